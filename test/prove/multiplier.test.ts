import { describe, expect, it } from 'vitest';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { affineRequantGolden, buildAffineRequant, buildPe, peGolden, type AffineRequantSpec, type MacFormats } from '../../src/hardware/index.js';
import { traceMultipliers, type Netlist } from '../../src/netlist/index.js';
import { proveAffineRequantNetlist, provePeStaged, type UnitProofResult } from '../../src/prove/index.js';
import { evalNet } from '../netlist/helpers.js';
import { unitMutant } from './unit-mutants.js';

/*
 * The decomposition of helu-sim's array multiplier by its cut points (the
 * carry-save stages), in the PE (operands too wide to enumerate) and in the
 * affine requantization unit (acc x m): helu-sim's netlists proven; one gate
 * changed or one wire swapped in the multiplier, or in the affine unit's
 * rounding stage, refuted with a counterexample that is one: at its inputs
 * the independent gate evaluator (evalNet) and the golden models written from
 * the fixed-point room and the gemmlowp formulas (hardware/verilog/golden.ts)
 * differ, with the codes reported. Small formats keep the suite fast; the
 * stage contracts do not depend on the width (bench/prove.ts proves the 16 x 16
 * PE and the int32 affine unit).
 */
const inputsOf = (r: UnitProofResult) => Object.fromEntries(r.counterexample!.inputs.map((p) => [p.name, p.raw]));

describe('prove pe by the multiplier stages', () => {
  const f: MacFormats = { weight: parseFormat('fixed<6,6>'), input: parseFormat('ufixed<5,5>'), acc: parseFormat('fixed<14,14,TRN,SAT>') };
  const { result: pe, multipliers } = traceMultipliers(() => buildPe(f));
  const trace = multipliers[0]!;
  const inMult = new Set(trace.cells.map((c) => c.output));
  const multCell = (net: Netlist) => (i: number) => inMult.has(net.cells[i]!.output);

  it('proven: stage contracts and the accumulate stage', async () => {
    const r = await provePeStaged(pe, f, trace);
    expect(r.proven).toBe(true);
    expect(r.stages.map((s) => s.method)).toEqual(['exhaustive', 'sat', 'sat']);
    expect(r.stages[1]!.what).toMatch(/^multiplier: 5 carry-save stage contracts and the final adder's/);
  });

  it.each([
    ['gate', 5],
    ['wire', 6],
  ] as const)('one %s changed in the multiplier: refuted with a checked counterexample', async (kind, seed) => {
    const m = unitMutant(pe, kind, seed, multCell(pe));
    const r = await provePeStaged(m, f, trace);
    expect(r.proven).toBe(false);
    const v = inputsOf(r);
    const got = evalNet(m, v).y!,
      want = peGolden(f)(v['w']!, v['x']!, v['acc']!).y;
    expect(got).not.toBe(want);
    expect([r.counterexample!.expected.raw, r.counterexample!.got.raw]).toEqual([want, got]);
  });
});

describe('prove requant --acc-bits: the affine unit decomposed at its multiplier', () => {
  const s: AffineRequantSpec = { kind: 'affine', accBits: 4, out: parseFormat('int8') };
  const { result: unit, multipliers } = traceMultipliers(() => buildAffineRequant(s));
  const trace = multipliers[0]!;
  const inMult = new Set(trace.cells.map((c) => c.output));

  function checkCounterexample(m: Netlist, r: UnitProofResult): void {
    expect(r.proven).toBe(false);
    const v = inputsOf(r);
    const got = evalNet(m, v).y!,
      want = affineRequantGolden(s)(v['acc']!, v['m']!, Number(v['e']!), v['zp']!);
    expect(got).not.toBe(want);
    expect([r.counterexample!.expected.raw, r.counterexample!.got.raw]).toEqual([want, got]);
    expect(r.counterexample!.text).toMatch(/^acc = -?\d+, m = -?\d+, e = \d+, zp = -?\d+: expected y = -?\d+, got -?\d+$/);
  }

  it('proven', async () => {
    const r = await proveAffineRequantNetlist(unit, s, trace);
    expect(r.proven).toBe(true);
    expect(r.stages.map((x) => x.method)).toEqual(['sat', 'sat']);
  });

  it('one gate changed in the rounding, shift or clamp stage: refuted at a real (acc, m)', async () => {
    const m = unitMutant(unit, 'gate', 3, (i) => !inMult.has(unit.cells[i]!.output));
    checkCounterexample(m, await proveAffineRequantNetlist(m, s, trace));
  });

  it('one gate changed in the multiplier: its stage contract fails, the search finds a counterexample', async () => {
    const m = unitMutant(unit, 'gate', 11, (i) => inMult.has(unit.cells[i]!.output));
    const r = await proveAffineRequantNetlist(m, s, trace);
    expect(r.detail).toMatch(/multiplier (carry-save stage \d+|final adder).*not proven/);
    checkCounterexample(m, r);
  });
});
