// `helu-sim verilog pe|requant` and `helu-sim cost --dram-bw` end to end: spawns the built CLI (npm run build first).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pow2Mlp } from '../hardware/network/models.js';
import { runIverilog } from '../helpers/tools.js';
import { testbenchVerdict } from '../../src/verilog/testbench.js';
import { cli, main } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-units-cli-'));

describe('helu-sim verilog pe / requant, cost --dram-bw', () => {
  beforeAll(() => expect(existsSync(main)).toBe(true));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verilog pe writes a PE whose testbench passes in Icarus; JSON names its ports', async () => {
    const out = join(dir, 'pe');
    const r = cli(
      'verilog',
      'pe',
      '--weight',
      'fixed<6,1>',
      '--input',
      'ufixed<6,3>',
      '--acc',
      'fixed<16,8,RND,SAT>',
      '--vectors',
      '500',
      '-o',
      out,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ module: 'pe', unit: 'pe', style: 'behavioral', edgesPerVector: 2 });
    expect(j.ports.inputs.map((p: { name: string }) => p.name)).toEqual(['w', 'x', 'acc']);
    expect(j.ports.outputs.map((p: { name: string }) => p.name)).toEqual(['y', 'x_out']);
    const stdout = await runIverilog(out, ['pe.v', 'pe_tb.v'], 'pe_tb');
    expect(testbenchVerdict(stdout)).toEqual({ pass: true, mismatches: 0 });
    expect(JSON.parse(readFileSync(join(out, 'pe.json'), 'utf8')).verification.circuit.mismatches).toBe(0);
  }, 60_000);

  it('verilog requant: pow2 per-channel formats give a shift port; bad options exit 2 with one line', () => {
    const r = cli(
      'verilog',
      'requant',
      '--acc',
      'fixed<16,8>;fixed<12,2>',
      '--out',
      'fixed<8,4>',
      '--vectors',
      '200',
      '-o',
      join(dir, 'rq'),
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ports.inputs.map((p: { name: string }) => p.name)).toEqual(['acc', 'shift']);
    for (const args of [
      ['verilog', 'requant', '--out', 'int8', '-o', join(dir, 'x')],
      ['verilog', 'requant', '--acc-bits', '32', '--out', 'fixed<8,4>', '-o', join(dir, 'x')],
      ['verilog', 'pe', '--weight', 'fixed<8,1>', '-o', join(dir, 'x')],
      ['verilog', 'helu', '--in', 'fixed<8,4>', '--synth', 'vivado', '-o', join(dir, 'x')],
    ]) {
      const b = cli(...args);
      expect(b.status, args.join(' ')).toBe(2);
      expect(b.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    }
  });

  it('cost --dram-bw: cycles = compute + stall per layer and in total; more bandwidth, fewer stalls', () => {
    const model = join(dir, 'mlp.q.json');
    writeFileSync(model, JSON.stringify(pow2Mlp([64, 64, 32, 10])));
    const slow = JSON.parse(cli('cost', model, '--dram-bw', '1', '--sram-kb', '1,1,1', '--json').stdout);
    const fast = JSON.parse(cli('cost', model, '--dram-bw', '64', '--sram-kb', '1,1,1', '--json').stdout);
    const none = JSON.parse(cli('cost', model, '--json').stdout);
    for (const l of slow.layers) expect(l.cycles).toBe(l.computeCycles + l.stallCycles);
    expect(slow.total.cycles).toBe(slow.total.computeCycles + slow.total.stallCycles);
    expect(slow.total.computeCycles).toBe(none.total.cycles);
    expect(none.total.stallCycles).toBe(0);
    expect(fast.total.stallCycles).toBeLessThan(slow.total.stallCycles);
    // 64 -> 64 on 16x16 ws with 1 KB SRAMs at 1 B/cycle: the hand-checked 3,348 stall cycles (docs/memory-model.md)
    expect(slow.layers[0].stallCycles).toBe(3348);
    expect(slow.total.breakdown.srams.map((s: { role: string }) => s.role)).toEqual(['filter', 'ifmap', 'ofmap']);
    expect(cli('cost', model, '--dram-bw', '0').status).toBe(2);
    expect(cli('cost', model, '--sram-kb', '1,1,1').status).toBe(2);
    expect(cli('cost', model, '--dram-bw', '4', '--sram-kb', '1,1').status).toBe(2);
    // --energy toggles: the activation units on the digits test samples, beside the uniform figure
    const tj = JSON.parse(cli('cost', model, '--energy', 'toggles', '--dataset', 'digits', '--limit', '20', '--json').stdout);
    const t = tj.activationToggles;
    expect(t.samples).toBe(20);
    // and each layer's PE on sampled whole dot products of its real operands, in the energy breakdown
    expect(t.pe.map((r: { layer: string; macs: number }) => [r.layer, r.macs])).toEqual([
      ['fc1', 8192],
      ['fc2', 8192],
      ['fc3', 200 * 32],
    ]);
    expect(tj.energy.layers[0].pe).toBeCloseTo((64 * 64 * t.pe[0].energyFjPerMac) / 1e3, 6);
    expect(tj.energy.sources.pe).toMatch(/real operands of 20 digits test samples/);
    expect(t.rows.map((r: { layer: string }) => r.layer)).toEqual(['act1', 'act2']);
    expect(t.totalPj.toggles).toBeGreaterThan(0);
    expect(t.totalPj.uniform).toBeGreaterThan(0);
    expect(cli('cost', model, '--energy', 'toggles').status).toBe(2);
  }, 180_000);
});

describe('--synth yosys', () => {
  it('activation helu --synth yosys --json: the synthesized area equals the estimate; a non-tool is refused', () => {
    const r = cli('activation', 'helu', '--in', 'fixed<8,4>', '--synth', 'yosys', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.synthesis.synthesized.areaUm2).toBeCloseTo(7 * (0.532 + 0.798), 9);
    expect(j.synthesis.estimate.areaUm2).toBeCloseTo(j.areaUm2, 9);
    const bad = cli('activation', 'helu', '--in', 'fixed<8,4>', '--liberty', 'x.lib');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--liberty needs --synth yosys/);
  }, 60_000);
});
