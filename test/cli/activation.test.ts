// `helu-sim activation` end to end: spawns the built CLI (npm run build first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('helu-sim activation', () => {
  beforeAll(() => {
    expect(existsSync(main), 'build the CLI first (npm run build)').toBe(true);
  });

  it('headline JSON for helu at fixed<8,4>', () => {
    const r = cli('activation', 'helu', '--in', 'fixed<8,4>', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      'activation',
      'input',
      'output',
      'cells',
      'gates',
      'transistors',
      'nand2Equivalents',
      'depth',
      'delayPs',
      'cycles',
      'areaUm2',
      'energyFjPerOp',
      'romBits',
      'verification',
    ]);
    expect(j.gates).toBeLessThanOrEqual(8);
    expect(j.depth).toBeLessThanOrEqual(2);
    expect(j.cycles).toBe(0);
    expect(j.verification).toMatchObject({ method: 'exhaustive', proven: true, vectors: 256, mismatches: 0 });
  });

  it('all: a JSON array, one per activation, helu beside gelu', () => {
    const r = cli('activation', 'all', '--in', 'fixed<6,3>', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { activation: string; verification: { mismatches: number; proven: boolean } }[];
    expect(j.map((x) => x.activation)).toEqual([
      'helu',
      'relu',
      'leakyrelu',
      'relu6',
      'clamp:-1:1',
      'hardsigmoid',
      'hardswish',
      'gelu',
      'silu',
      'sigmoid',
      'tanh',
      'elu',
    ]);
    expect(j.every((x) => x.verification.mismatches === 0 && x.verification.proven)).toBe(true);
  });

  it('readable table without --json; --out without modes means RND_CONV,SAT; --pipeline', () => {
    const r = cli('activation', 'leakyrelu:0.01', '--in', 'fixed<8,4>', '--out', 'fixed<8,3>', '--pipeline', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/leakyrelu:0.01\s+fixed<8,3,RND_CONV,SAT>/);
    expect(r.stdout).toMatch(/proven \(exhaustive, 256 inputs\)/);
  });

  it('user errors exit 2 with one line naming what is accepted', () => {
    const bad = cli('activation', 'softmax', '--in', 'fixed<8,4>');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/softmax.*helu/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli('activation', 'helu', '--in', 'fixed<8').status).toBe(2);
    expect(cli('activation', 'helu', '--in', 'fixed<8,4>', '--tech', 'nosuch').status).toBe(2);
    expect(cli('activation', 'helu', '--in', 'fixed<8,4>', '--pipeline', '-1').status).toBe(2);
    expect(cli('activation', 'helu').status).toBe(2);
  });
});
