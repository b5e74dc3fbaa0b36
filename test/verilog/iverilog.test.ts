import { describe, expect, it } from 'vitest';
import { behavioralModule, exportFiles, memFile, romModule, selectVectors, signMuxExpression, testbench } from '../../src/verilog/index.js';
import { lintModule, simulateExport, simulateTestbench, withTempDir, writeTree } from '../helpers/tools.js';
import { structuralHelu8 } from './fixtures.js';

/** ReLU on W-bit two's complement raw patterns, from the definition max(x, 0). */
function reluRaw(raw: bigint, w: number): bigint {
  const signedValue = raw >= 1n << BigInt(w - 1) ? raw - (1n << BigInt(w)) : raw;
  return signedValue < 0n ? 0n : signedValue;
}

const all = (w: number): bigint[] => Array.from({ length: 2 ** w }, (_, i) => BigInt(i));

const relu8 = behavioralModule({ name: 'relu8', inWidth: 8, outWidth: 8, expression: signMuxExpression(8) });
const relu8p3 = behavioralModule({ name: 'relu8p3', inWidth: 8, outWidth: 8, expression: signMuxExpression(8), pipeline: 3 });

/** 6-bit unsigned square table, 12-bit entries, computed here. */
const square = all(6).map((i) => i * i);
const romMem = romModule({ name: 'sq6', inWidth: 6, outWidth: 12, table: square, style: 'readmemh' });
const romCase = romModule({ name: 'sq6c', inWidth: 6, outWidth: 12, table: square, style: 'case' });
const romCaseP1 = romModule({ name: 'sq6p', inWidth: 6, outWidth: 12, table: square, style: 'case', pipeline: 1 });

describe('generated testbenches in Icarus Verilog', () => {
  it('8-bit ReLU, every input: exactly PASS', async () => {
    const inputs = all(8);
    const tb = testbench({ name: 'relu8', inWidth: 8, outWidth: 8, inputs, outputs: inputs.map((x) => reluRaw(x, 8)) });
    const r = await simulateTestbench({ 'relu8.v': relu8 }, tb);
    expect(r.stdout).toBe('PASS\n');
  });

  it('a wrong golden vector makes it print FAIL 1', async () => {
    const inputs = all(8);
    const outputs = inputs.map((x) => reluRaw(x, 8));
    outputs[200] = 1n; // x = -56: ReLU gives 0
    const r = await simulateTestbench({ 'relu8.v': relu8 }, testbench({ name: 'relu8', inWidth: 8, outWidth: 8, inputs, outputs }));
    expect(r.verdict).toEqual({ pass: false, mismatches: 1 });
    expect(r.stdout.trim().split('\n').at(-1)).toBe('FAIL 1');
    expect(r.stdout).toContain('MISMATCH x=c8 expected=01 got=00');
  });

  it('pipelined ReLU (3 ranks): PASS at latency 3, FAIL when told latency 1', async () => {
    const inputs = all(8);
    const outputs = inputs.map((x) => reluRaw(x, 8));
    const ok = await simulateTestbench(
      { 'relu8p3.v': relu8p3 },
      testbench({ name: 'relu8p3', inWidth: 8, outWidth: 8, latency: 3, inputs, outputs }),
    );
    expect(ok.stdout).toBe('PASS\n');
    const off = await simulateTestbench(
      { 'relu8p3.v': relu8p3 },
      testbench({ name: 'relu8p3', inWidth: 8, outWidth: 8, latency: 1, inputs, outputs }),
    );
    expect(off.verdict?.pass).toBe(false);
  });

  it('ROM from a table: $readmemh, case, and pipelined case variants PASS', async () => {
    const inputs = all(6);
    const tb = (name: string, latency = 0) =>
      testbench({ name, inWidth: 6, outWidth: 12, latency, inputs, outputs: inputs.map((x) => x * x) });
    expect((await simulateTestbench({ 'sq6.v': romMem, 'sq6.mem': memFile(square, 12) }, tb('sq6'))).stdout).toBe('PASS\n');
    expect((await simulateTestbench({ 'sq6c.v': romCase }, tb('sq6c'))).stdout).toBe('PASS\n');
    expect((await simulateTestbench({ 'sq6p.v': romCaseP1 }, tb('sq6p', 1))).stdout).toBe('PASS\n');
  });

  it('structural HeLU from the netlist writer, plain and with 2 register ranks: PASS', async () => {
    const inputs = all(8);
    const outputs = inputs.map((x) => reluRaw(x, 8));
    for (const stages of [0, 2]) {
      const tb = testbench({ name: 'helu_s', inWidth: 8, outWidth: 8, latency: stages, inputs, outputs });
      expect((await simulateTestbench({ 'helu_s.v': structuralHelu8('helu_s', stages) }, tb)).stdout).toBe('PASS\n');
    }
  });

  it('17-bit ReLU with 100,000 random vectors plus edge cases: PASS', async () => {
    const sel = selectVectors({ signed: true, width: 17 }, { seed: 17 });
    const module = behavioralModule({ name: 'relu17', inWidth: 17, outWidth: 17, expression: signMuxExpression(17) });
    const tb = testbench({ name: 'relu17', inWidth: 17, outWidth: 17, inputs: sel.inputs, outputs: sel.inputs.map((x) => reluRaw(x, 17)) });
    expect((await simulateTestbench({ 'relu17.v': module }, tb)).stdout).toBe('PASS\n');
  });
});

describe('Verilator lint (-Wall)', () => {
  it('every generated module is clean', async () => {
    expect(await lintModule('relu8', relu8)).toEqual([]);
    expect(await lintModule('relu8p3', relu8p3)).toEqual([]);
    expect(await lintModule('sq6', romMem, { 'sq6.mem': memFile(square, 12) })).toEqual([]);
    expect(await lintModule('sq6c', romCase)).toEqual([]);
    expect(await lintModule('sq6p', romCaseP1)).toEqual([]);
    expect(await lintModule('helu_s', structuralHelu8('helu_s', 2))).toEqual([]);
  });

  it('reports unused input bits unless the module declares them', async () => {
    const frame = { name: 'hi4', inWidth: 8, outWidth: 4, expression: 'x[7:4]' };
    const warnings = await lintModule('hi4', behavioralModule(frame));
    expect(warnings.some((w) => /UNUSED/.test(w))).toBe(true);
    expect(await lintModule('hi4', behavioralModule({ ...frame, unusedInputBits: true }))).toEqual([]);
  });
});

describe('exportFiles', () => {
  it('writes a table unit whose testbench passes where it was written', async () => {
    // 5-bit signed input, output |x| saturated to 4 bits unsigned: computed from the definition here
    const golden = (raw: bigint): bigint => {
      const v = raw >= 16n ? raw - 32n : raw;
      const a = v < 0n ? -v : v;
      return a > 15n ? 15n : a;
    };
    const table = all(5).map(golden);
    const name = 'absq_w5i5';
    const bundle = exportFiles({
      name,
      signed: true,
      inWidth: 5,
      outWidth: 4,
      pipeline: 2,
      table,
      golden,
      moduleText: romModule({ name, inWidth: 5, outWidth: 4, table, style: 'readmemh', pipeline: 2 }),
    });
    expect([...bundle.files.keys()].sort()).toEqual([
      `${name}.coe`,
      `${name}.mem`,
      `${name}.mif`,
      `${name}.v`,
      `${name}_tb.mem`,
      `${name}_tb.v`,
    ]);
    expect(bundle.vectors).toEqual({ method: 'exhaustive', count: 32 });
    const r = await withTempDir(async (dir) => {
      writeTree(dir, Object.fromEntries(bundle.files));
      return simulateExport(dir, name);
    });
    expect(r.stdout).toBe('PASS\n');
  });
});
