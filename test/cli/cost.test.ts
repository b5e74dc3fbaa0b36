import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { pow2Mlp } from '../hardware/network/models.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'helu-cost-cli-'));
const model = join(dir, 'mlp.q.json');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI without blocking, so several cases run side by side. */
function cliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [main, ...args], { cwd: root });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('helu-sim cost', () => {
  beforeAll(() => {
    expect(existsSync(main)).toBe(true);
    writeFileSync(model, JSON.stringify(pow2Mlp([64, 64, 32, 10])));
  });

  it('JSON: array, layers and totals with the documented keys; defaults 16x16 ws', () => {
    const r = cli('cost', model, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['array', 'layers', 'total', 'energy']);
    // energy per inference with everything: per layer and component, each with its source
    expect(j.energy.layers.map((l: { layer: string }) => l.layer)).toEqual(['fc1', 'fc2', 'fc3']);
    expect(j.energy.total.onChip).toBeCloseTo(j.total.energyPj, 6);
    expect(j.energy.total.dram).toBeNull();
    expect(Object.keys(j.energy.sources)).toEqual(['pe', 'requant', 'activation', 'sram', 'dram']);
    expect(j.energy.sources.sram).toMatch(/Horowitz/);
    expect(Object.keys(j.array).slice(0, 4)).toEqual(['rows', 'cols', 'dataflow', 'clockMhz']);
    expect(j.array).toMatchObject({ rows: 16, cols: 16, dataflow: 'ws', tech: 'nangate45' });
    expect(j.layers).toHaveLength(3);
    for (const l of j.layers) {
      expect(Object.keys(l).slice(0, 7)).toEqual(['name', 'macs', 'activations', 'activationUnit', 'cycles', 'areaUm2', 'energyPj']);
    }
    expect(j.layers[0].activationUnit).toMatchObject({ activation: 'helu', verification: { mismatches: 0 } });
    expect(j.layers[2].activationUnit).toBeNull();
    expect(Object.keys(j.total).slice(0, 7)).toEqual([
      'macs',
      'cycles',
      'latencyUs',
      'inferencesPerSecond',
      'areaUm2',
      'energyPj',
      'breakdown',
    ]);
    expect(j.total.macs).toBe(64 * 64 + 64 * 32 + 32 * 10);
    expect(Object.keys(j.total.breakdown.areaUm2)).toEqual(['peArray', 'activation', 'requant', 'sram']);
  });

  it('options: array, dataflow, clock, activation units, swap', () => {
    const r = cli(
      'cost',
      model,
      '--array',
      '8x4',
      '--dataflow',
      'os',
      '--clock-mhz',
      '200',
      '--act-units',
      '2',
      '--swap-activation',
      'gelu',
      '--json',
    );
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.array).toMatchObject({ rows: 8, cols: 4, dataflow: 'os', clockMhz: 200, actUnits: 2 });
    expect(Object.keys(j)).toEqual(['array', 'layers', 'total', 'whatIf', 'energy']);
    expect(j.whatIf.activation).toBe('gelu');
    expect(j.whatIf.delta.areaUm2).toBeGreaterThan(0);
    expect(j.whatIf.report.layers[0].activationUnit.activation).toBe('gelu');
  });

  it('readable tables without --json; --help documents the defaults', () => {
    const r = cli('cost', model, '--swap-activation', 'silu');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^16x16 WS array at/);
    expect(r.stdout).toMatch(/\| fc1 +\| +4,096 \|/);
    expect(r.stdout).toMatch(/\| PE array +\|/);
    expect(r.stdout).toMatch(/\| silu +\|/);
    expect(r.stdout).toMatch(/^Energy per inference by layer and component/m);
    expect(r.stdout).toMatch(/^\| fc1 +\|.*\| +n\/a \|/m);
    expect(r.stdout).toMatch(/^- dram: not modelled/m);
    const h = cli('cost', '--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/default: "16x16"/);
    expect(h.stdout).toMatch(/default: "ws"/);
  });

  it('bad input: exit 2, one line on stderr naming the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "helu-sim/integer-model", ');
    const badTech = join(dir, 'tech.json');
    writeFileSync(badTech, '{"name": "t"}');
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.q.json')], /cannot read integer model/],
      [[bad], /not valid JSON/],
      [[model, '--array', '16'], /array '16'.*RxC/],
      [[model, '--dataflow', 'rs'], /dataflow 'rs'/],
      [[model, '--swap-activation', 'softmax'], /softmax.*helu/],
      [[model, '--tech', badTech], /tech\.json/],
      [[model, '--clock-mhz', '-5'], /--clock-mhz/],
    ];
    const results = await Promise.all(cases.map(([args]) => cliAsync('cost', ...args)));
    results.forEach((r, i) => {
      const [args, msg] = cases[i]!;
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(msg);
      expect(r.stdout).toBe('');
    });
    // commander's own argument check (a usage error, with its usage hint)
    expect((await cliAsync('cost', model, '--act-units', '0')).status).toBe(2);
  });
});
