import { describe, expect, it } from 'vitest';
import { convert, parseFormat } from '../../src/fixedpoint/index.js';
import { buildPe, buildPow2Requant, peGolden, type MacFormats, type Pow2RequantSpec } from '../../src/hardware/index.js';
import { provePeNetlist, proveRequantNetlist, transparentCopy, type UnitProofResult } from '../../src/prove/index.js';
import type { Netlist } from '../../src/netlist/index.js';
import { evalNet } from '../netlist/helpers.js';
import { coneCells, unitMutant } from './unit-mutants.js';

/*
 * The PE and the pow2 requantization unit: helu-sim's netlists proven, and
 * mutants (one gate changed, one wire swapped) refuted with a counterexample
 * that is one: at its inputs the independent gate evaluator (evalNet) and
 * the golden model written from the fixed-point room (hardware/verilog
 * golden.ts peGolden; fixedpoint convert) differ, with the codes reported.
 * Small formats keep the suite fast: the decomposition does not depend on
 * the width (bench/prove.ts proves the cost model's 8- and 12-bit PEs).
 */
const fmt = (w: string, x: string, acc: string): MacFormats => ({ weight: parseFormat(w), input: parseFormat(x), acc: parseFormat(acc) });
const raw = (code: bigint, w: number) => BigInt.asUintN(w, code);
const inputsOf = (r: UnitProofResult) => Object.fromEntries(r.counterexample!.inputs.map((p) => [p.name, p.raw]));

function checkPeCounterexample(net: Netlist, f: MacFormats, r: UnitProofResult): void {
  expect(r.proven).toBe(false);
  const c = r.counterexample!,
    v = inputsOf(r);
  const got = evalNet(net, v),
    want = peGolden(f)(v['w']!, v['x']!, v['acc']!);
  expect(got[c.output]).not.toBe(want[c.output as 'y' | 'x_out']);
  expect(c.got.raw).toBe(got[c.output]);
  expect(c.expected.raw).toBe(want[c.output as 'y' | 'x_out']);
  expect(c.text).toMatch(
    /^w = -?\d+ \(-?[\d.]+\), x = -?\d+ \(-?[\d.]+\), acc = -?\d+ \(-?[\d.]+\): expected (y|x_out) = -?\d+ \(-?[\d.]+\), got -?\d+ \(-?[\d.]+\)$/,
  );
}

describe('prove pe: decomposed at the multiplier', () => {
  const cases: Array<[string, string, string, string]> = [
    ['fixed<4,4>', 'fixed<4,4>', 'fixed<12,12,TRN,WRAP>', 'A'],
    ['fixed<6,1>', 'fixed<6,3>', 'fixed<12,6,RND_CONV,SAT>', 'A'], // product rounded onto the accumulator grid
    ['fixed<4,1>', 'ufixed<4,2>', 'fixed<14,6,TRN,SAT>', 'P'], // product shifted left: the adder reads P's bits
  ];
  it.each(cases)('%s x %s + %s proven', async (w, x, acc, kind) => {
    const r = await provePeNetlist(transparentCopy(buildPe(fmt(w, x, acc))), fmt(w, x, acc));
    expect(r.proven).toBe(true);
    expect(r.method).toBe('decomposition');
    expect(r.stages.map((s) => s.method)).toEqual(['exhaustive', 'exhaustive', 'sat']);
    expect(r.stages[1]!.vectors).toBe(2 ** (fmt(w, x, acc).weight.width + fmt(w, x, acc).input.width));
    expect(r.stages[2]!.what).toContain(kind === 'A' ? 'acc + A' : 'round(P)');
  });

  const f = fmt('fixed<5,5>', 'fixed<4,4>', 'fixed<10,10,TRN,SAT>');
  const pe = transparentCopy(buildPe(f));
  const mult = coneCells(pe, ['w', 'x']);
  const mutants: Array<[string, () => Netlist]> = [
    ['gate in the multiplier', () => unitMutant(pe, 'gate', 3, (i) => mult.has(i))],
    ['gate in the accumulator', () => unitMutant(pe, 'gate', 4, (i) => !mult.has(i))],
    ['wire in the multiplier', () => unitMutant(pe, 'wire', 7, (i) => mult.has(i))],
    ['wire in the accumulator', () => unitMutant(pe, 'wire', 8, (i) => !mult.has(i))],
  ];
  it.each(mutants)('one %s: refuted with a checked counterexample', async (_, make) => {
    const m = make();
    checkPeCounterexample(m, f, await provePeNetlist(m, f));
  });
});

describe('prove requant (pow2): SAT against the behavioral model', () => {
  const one: Pow2RequantSpec = { kind: 'pow2', acc: [parseFormat('fixed<12,6>')], out: parseFormat('fixed<6,3,RND_CONV,SAT>') };
  const two: Pow2RequantSpec = {
    kind: 'pow2',
    acc: [parseFormat('fixed<12,6>'), parseFormat('fixed<10,2>')],
    out: parseFormat('fixed<6,3>'),
  };
  it.each([
    ['one channel', one],
    ['two channel formats (shift port)', two],
  ] as const)('%s proven', async (_, s) => {
    const r = await proveRequantNetlist(buildPow2Requant(s), s);
    expect(r.proven).toBe(true);
  });

  it.each([
    ['gate', 2],
    ['wire', 9],
  ] as const)('one %s changed: refuted with a checked counterexample', async (kind, seed) => {
    const m = unitMutant(buildPow2Requant(one), kind, seed);
    const r = await proveRequantNetlist(m, one);
    expect(r.proven).toBe(false);
    const c = r.counterexample!,
      acc = inputsOf(r)['acc']!;
    const want = raw(convert(BigInt.asIntN(12, acc), one.acc[0]!, one.out).code, 6);
    const got = evalNet(m, { acc }).y!;
    expect(got).not.toBe(want);
    expect([c.expected.raw, c.got.raw]).toEqual([want, got]);
  });
});
