import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../../src/fixedpoint/format.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../src/fixedpoint/types.js';
import { compile } from '../../../src/sim/engine/compile.js';
import { runAffineCodes } from '../../../src/sim/engine/run.js';
import { runAffineReference, runReference } from '../../../src/sim/reference/run.js';
import { validateIntModel } from '../../../src/sim/quantize/validate.js';
import type { IntModel } from '../../../src/sim/quantize/model.js';
import type { ReduceKind } from '../../../src/sim/quantize/model-data.js';
import { overflow, roundDiv, type OracleEvents } from '../oracle.js';

/*
 * Reduce sum / mean of integer codes against a bigint oracle written from the
 * model-data.ts semantics: S = the exact sum of the group's codes,
 * S * 2^(F_out - F_in) / d (d = the group size for mean, 1 for sum) rounded
 * with the output's mode, then its overflow mode. The engine (codes) and the
 * pow2 float reference (reals) must both equal it on every value and count
 * the same events. Affine: the engine's onnxruntime scheme equals the
 * float32 reference of the exact sum's requantization. fast-check prints the
 * seed and the shrunk counterexample on failure.
 */

const BATCH = 2;
const fmtArb = (maxWidth: number): fc.Arbitrary<FixedFormat> =>
  fc.record({
    signed: fc.boolean(),
    width: fc.integer({ min: 2, max: maxWidth }),
    intBits: fc.integer({ min: -4, max: 10 }),
    rounding: fc.constantFrom(...ROUNDINGS),
    overflow: fc.constantFrom(...OVERFLOWS),
  });

const caseArb = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    fn: fc.constantFrom<ReduceKind>('sum', 'mean'),
    keepdims: fc.boolean(),
    inF: fmtArb(12).map((f) => ({ ...f, rounding: 'RND_CONV' as const, overflow: 'SAT' as const })),
    outF: fmtArb(20),
    axisBits: fc.integer({ min: 1, max: 7 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  })
  .map((c) => {
    const axes = c.shape.map((_, a) => a).filter((a) => (c.axisBits >> a) & 1);
    return { ...c, axes: axes.length ? axes : [c.shape.length - 1] };
  });

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function codesOf(c: Case): number[] {
  const size = c.shape.reduce((a, d) => a * d, 1) * BATCH;
  const lo = c.inF.signed ? -(2 ** (c.inF.width - 1)) : 0,
    span = 2 ** c.inF.width;
  let s = c.seed;
  return Array.from({ length: size }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + (s % span);
  });
}

function outShape(c: Case): number[] {
  return c.shape.flatMap((d, a) => (!c.axes.includes(a) ? [d] : c.keepdims ? [1] : []));
}

function model(c: Case, inQ: object, outQ: object, scheme: 'pow2' | 'affine'): IntModel {
  return validateIntModel({
    format: 'helu-sim/integer-model',
    schemaVersion: 2,
    name: 'reduce',
    scheme,
    input: { name: 'x', shape: c.shape, quant: inQ },
    layers: [
      { op: 'reduce', name: 'r', inputs: ['x'], output: 'y', shape: outShape(c), out: outQ, fn: c.fn, axes: c.axes, keepdims: c.keepdims },
    ],
    outputs: ['y'],
    metadata: {},
  });
}

/** The oracle's output codes: groups found by comparing each element's kept digits. */
function oracle(c: Case, codes: number[], ev: OracleEvents): bigint[] {
  const size = c.shape.reduce((a, d) => a * d, 1);
  const F = (f: FixedFormat) => f.width - f.intBits;
  const groups = new Map<string, bigint[]>();
  for (let i = 0; i < size; i++) {
    let r = i;
    const digits = c.shape.map(() => 0);
    for (let a = c.shape.length - 1; a >= 0; a--) {
      digits[a] = r % c.shape[a]!;
      r = Math.floor(r / c.shape[a]!);
    }
    const key = digits.filter((_, a) => !c.axes.includes(a)).join(',');
    groups.set(key, [...(groups.get(key) ?? []), BigInt(i)]);
  }
  const out: bigint[] = [];
  const d = F(c.outF) - F(c.inF);
  for (let b = 0; b < BATCH; b++)
    for (const members of groups.values()) {
      const S = members.reduce((s, i) => s + BigInt(codes[b * size + Number(i)]!), 0n);
      const n = c.fn === 'mean' ? BigInt(members.length) : 1n;
      const num = d >= 0 ? S << BigInt(d) : S;
      const den = d >= 0 ? n : n << BigInt(-d);
      out.push(overflow(roundDiv(num, den, c.outF.rounding), c.outF, ev));
    }
  return out;
}

describe('reduce sum / mean: integer rounding against a bigint oracle', () => {
  it('pow2: engine codes and reference reals equal the oracle, events too', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const m = model(c, { kind: 'pow2', format: formatToString(c.inF) }, { kind: 'pow2', format: formatToString(c.outF) }, 'pow2');
        const codes = codesOf(c);
        const ev = { saturations: 0, wraps: 0 };
        const want = oracle(c, codes, ev).map(Number);
        const eng = compile(m, { kernels: 'js' }).runCodes(codes, BATCH, { float64Codes: true });
        expect(Array.from(eng.tensors.get('y')!)).toEqual(want);
        expect(eng.events.get('r')).toEqual(ev);
        const Fin = c.inF.width - c.inF.intBits,
          Fout = c.outF.width - c.outF.intBits;
        const ref = runReference(
          m,
          codes.map((q) => q * 2 ** -Fin),
          BATCH,
        );
        expect(Array.from(ref.tensors.get('y')!)).toEqual(want.map((q) => q * 2 ** -Fout));
        expect(ref.events.get('r')).toEqual(ev);
      }),
      { seed: 1201, numRuns: 300 },
    );
  });

  it("affine: the engine's onnxruntime scheme equals the float32 reference; max and min select codes", () => {
    const arb = fc.record({
      c: caseArb,
      type: fc.constantFrom<'int8' | 'uint8'>('int8', 'uint8'),
      zIn: fc.integer({ min: 0, max: 255 }),
      zOut: fc.integer({ min: 0, max: 255 }),
      sIn: fc.double({ min: 1e-3, max: 1, noNaN: true }).map(Math.fround),
      sOut: fc.double({ min: 1e-3, max: 4, noNaN: true }).map(Math.fround),
      fn: fc.constantFrom<ReduceKind>('sum', 'mean', 'max', 'min'),
    });
    fc.assert(
      fc.property(arb, ({ c: c0, type, zIn, zOut, sIn, sOut, fn }) => {
        const off = type === 'int8' ? -128 : 0;
        const inQ = { kind: 'affine', type, scale: [sIn], zeroPoint: [zIn + off] };
        const select = fn === 'max' || fn === 'min';
        const outQ = select ? inQ : { kind: 'affine', type, scale: [sOut], zeroPoint: [zOut + off] };
        const c = { ...c0, fn, inF: { ...c0.inF, signed: type === 'int8', width: 8 } };
        const m = model(c, inQ, outQ, 'affine');
        const codes = codesOf(c);
        const eng = runAffineCodes(m, codes, BATCH, { requant: 'onnxruntime' });
        const ref = runAffineReference(m, codes, BATCH, { arithmetic: 'float32', inputCodes: true });
        expect(Array.from(eng.tensors.get('y')!)).toEqual(Array.from(ref.codes.get('y')!));
        expect(eng.events.get('r')).toEqual(ref.events.get('r'));
      }),
      { seed: 1202, numRuns: 200 },
    );
  });
});
