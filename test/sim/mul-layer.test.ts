// The mul layer (elementwise product of two runtime tensors, b broadcast to a):
// pow2 engine against a bigint oracle written here from the model.ts semantics
// and against the float reference; affine engine against the QLinearMul
// reference (onnxruntime scheme exactly the float32 definition, every scheme
// within 1 LSB of the exact one). Seeds are fixed and printed by fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../src/fixedpoint/format.js';
import type { FixedFormat, Overflow, Rounding } from '../../src/fixedpoint/types.js';
import { REQUANT_SCHEMES } from '../../src/fixedpoint/requant.js';
import { runAffineCodes, runInteger } from '../../src/sim/engine/run.js';
import { runAffineReference, runReference } from '../../src/sim/reference/run.js';
import type { IntLayer, IntModel } from '../../src/sim/quantize/model.js';
import { validateIntModel } from '../../src/sim/quantize/validate.js';
import { q, model as affineModel } from './affine-helpers.js';
import { narrow, type OracleEvents } from './oracle.js';

const ROUNDINGS: Rounding[] = ['TRN', 'RND', 'RND_CONV', 'RND_INF', 'TRN_ZERO'];
const OVERFLOWS: Overflow[] = ['SAT', 'WRAP'];

const arbFormat = (maxW: number) =>
  fc
    .record({
      width: fc.integer({ min: 2, max: maxW }),
      intOff: fc.integer({ min: -4, max: 6 }),
      signed: fc.boolean(),
      rounding: fc.constantFrom(...ROUNDINGS),
      overflow: fc.constantFrom(...OVERFLOWS),
    })
    .map(({ width, intOff, signed, rounding, overflow }): FixedFormat => ({
      width,
      intBits: Math.min(width, Math.max(0, intOff)) + (intOff < 0 ? intOff : 0),
      signed,
      rounding,
      overflow,
    }));

const P = (f: FixedFormat) => ({ kind: 'pow2' as const, format: formatToString(f) });
const F = (f: FixedFormat) => f.width - f.intBits;

/** x [C,H,W] in fa; b = pool of x into fb (global average: [C,1,1], or a 1x1 average: x's shape); y = x * b into fo. */
function pow2Model(fa: FixedFormat, fb: FixedFormat, fo: FixedFormat, shape: number[], broadcast: boolean): IntModel {
  const win = {
    kernel: [1, 1] as [number, number],
    strides: [1, 1] as [number, number],
    pads: [0, 0, 0, 0] as [number, number, number, number],
    dilations: [1, 1] as [number, number],
  };
  const b: IntLayer = broadcast
    ? { op: 'globalavgpool', name: 'B', inputs: ['x'], output: 'b', shape: [shape[0]!, 1, 1], out: P(fb) }
    : {
        op: 'avgpool',
        name: 'B',
        inputs: ['x'],
        output: 'b',
        shape: [...shape],
        out: P(fb),
        ...win,
        ceilMode: false,
        countIncludePad: true,
      };
  return validateIntModel({
    format: 'helu-sim/integer-model',
    schemaVersion: 2,
    name: 'mul',
    scheme: 'pow2',
    input: { name: 'x', shape, quant: P(fa) },
    layers: [b, { op: 'mul', name: 'M', inputs: ['x', 'b'], output: 'y', shape: [...shape], out: P(fo) }],
    outputs: ['y'],
    metadata: {},
  });
}

const arbCase = fc.record({
  fa: arbFormat(16),
  fb: arbFormat(16),
  fo: arbFormat(20),
  C: fc.integer({ min: 1, max: 3 }),
  H: fc.integer({ min: 1, max: 3 }),
  W: fc.integer({ min: 1, max: 4 }),
  broadcast: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
  batch: fc.integer({ min: 1, max: 2 }),
});

/** Codes spread over the whole range of f (edges included), from a seed. */
function codes(f: FixedFormat, n: number, seed: number): number[] {
  const lo = f.signed ? -(2 ** (f.width - 1)) : 0,
    hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
  let s = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return i % 7 === 0 ? lo : i % 7 === 1 ? hi : lo + (s % (hi - lo + 1));
  });
}

describe('pow2 mul layer', () => {
  it('engine equals the bigint oracle (codes and events) and the float reference (values and events)', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const shape = [c.C, c.H, c.W];
        const m = pow2Model(c.fa, c.fb, c.fo, shape, c.broadcast);
        const n = c.C * c.H * c.W;
        const x = codes(c.fa, c.batch * n, c.seed).map((v) => v * 2 ** -F(c.fa));
        const eng = runInteger(m, x, c.batch, { float64Codes: true });
        const a = eng.tensors.get('x')!,
          b = eng.tensors.get('b')!,
          y = eng.tensors.get('y')!;
        const nb = c.broadcast ? c.C : n;
        const per = c.H * c.W;
        const ev: OracleEvents = { saturations: 0, wraps: 0 };
        for (let s = 0; s < c.batch; s++) {
          for (let i = 0; i < n; i++) {
            const bi = s * nb + (c.broadcast ? Math.floor(i / per) : i);
            const want = narrow(BigInt(a[s * n + i]!) * BigInt(b[bi]!), F(c.fa) + F(c.fb), c.fo, ev);
            expect(y[s * n + i], `sample ${s} element ${i}`).toBe(Number(want));
          }
        }
        expect(eng.events.get('M')).toEqual(ev);
        const ref = runReference(m, x, c.batch);
        // + 0: the reference's -0 (a negative real times 0) is the value 0
        expect(Array.from(ref.tensors.get('y')!, (v) => v + 0)).toEqual(Array.from(y, (v) => v * 2 ** -F(c.fo) + 0));
        expect(ref.events.get('M')).toEqual(ev);
      }),
      { seed: 1212, numRuns: 300 },
    );
  });

  it('the validator refuses operands whose products need more than 53 bits, and a second operand that does not broadcast', () => {
    const wide: FixedFormat = { width: 30, intBits: 10, signed: true, rounding: 'RND_CONV', overflow: 'SAT' };
    expect(() => pow2Model(wide, wide, wide, [2, 2, 2], true)).toThrow(/need 60 bits/);
    const f: FixedFormat = { width: 8, intBits: 3, signed: true, rounding: 'RND_CONV', overflow: 'SAT' };
    const m = pow2Model(f, f, f, [2, 2, 2], true) as unknown as { layers: { inputs: string[] }[] };
    m.layers[1]!.inputs = ['b', 'x'];
    expect(() => validateIntModel(m)).toThrow(/second input \[2,2,2\] does not broadcast to the first \[2,1,1\]/);
  });
});

describe('affine mul layer', () => {
  const arb = fc.record({
    sa: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    sb: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    sc: fc.double({ min: 1e-4, max: 1, noNaN: true }),
    za: fc.integer({ min: 0, max: 255 }),
    zb: fc.integer({ min: 0, max: 255 }),
    zc: fc.integer({ min: 0, max: 255 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  it("engine 'onnxruntime' equals the float32 QLinearMul reference; every scheme is within 1 LSB of the exact one", () => {
    fc.assert(
      fc.property(arb, (c) => {
        const shape = [3, 2, 2];
        const m = affineModel(
          { name: 'x', shape, quant: q('uint8', c.sa, c.za) },
          [
            { op: 'globalavgpool', name: 'B', inputs: ['x'], output: 'b', shape: [3, 1, 1], out: q('uint8', c.sb, c.zb) },
            { op: 'mul', name: 'M', inputs: ['x', 'b'], output: 'y', shape, out: q('uint8', c.sc, c.zc) },
            { op: 'mul', name: 'S', inputs: ['x', 'x'], output: 'sq', shape, out: q('uint8', c.sb, c.zb) },
          ],
          ['y', 'sq'],
        );
        validateIntModel(m);
        const x = codes({ width: 8, intBits: 8, signed: false, rounding: 'TRN', overflow: 'SAT' }, 24, c.seed);
        const f32 = runAffineReference(m, x, 2, { arithmetic: 'float32', inputCodes: true });
        const real = runAffineReference(m, x, 2, { arithmetic: 'real', inputCodes: true });
        for (const scheme of REQUANT_SCHEMES) {
          const eng = runAffineCodes(m, x, 2, { requant: scheme });
          if (scheme === 'onnxruntime') {
            for (const [t, l] of [
              ['y', 'M'],
              ['sq', 'S'],
            ]) {
              expect(Array.from(eng.tensors.get(t!)!), t).toEqual(Array.from(f32.codes.get(t!)!));
              expect(eng.events.get(l!), l).toEqual(f32.events.get(l!));
            }
          }
          // x * x: both operands are the input codes, the same for engine and reference
          const yr = real.codes.get('sq')!;
          Array.from(eng.tensors.get('sq')!).forEach((v, i) =>
            expect(Math.abs(v - yr[i]!), `${scheme} element ${i}`).toBeLessThanOrEqual(1),
          );
        }
      }),
      { seed: 3434, numRuns: 200 },
    );
  });
});
