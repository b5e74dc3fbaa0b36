import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  REQUANT_SCHEMES,
  makeRequantizer,
  parseRequantScheme,
  requantize,
  requantizeArray,
  type RequantParams,
  type RequantScheme,
} from '../../src/fixedpoint/index.js';
import { mbqmOracle, quantizeMultiplierOracle } from './gemmlowp-oracle.js';
import { INT32_MAX, INT32_MIN, int32Edges, ratOfDouble, roundRat } from './oracle.js';

const f32 = Math.fround;
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** Each scheme's output written from docs/requantization.md. */
function requantOracle(acc: number, p: RequantParams, scheme: RequantScheme): number {
  const lo = Math.max(p.qmin, p.actMin ?? p.qmin);
  const hi = Math.min(p.qmax, p.actMax ?? p.qmax);
  const zp = p.zeroPointOut;
  // TFLite: doubles of the float32 scales; per-tensor FullyConnected rounds the input-scale product to float32 first.
  const product = f32(p.scaleIn) * f32(p.scaleW);
  const M = (p.tfliteKernel === 'fully-connected' ? f32(product) : product) / f32(p.scaleOut);
  switch (scheme) {
    case 'gemmlowp':
    case 'single-rounding': {
      const { multiplier, shift } = quantizeMultiplierOracle(M, scheme);
      return clamp(zp + mbqmOracle(acc, multiplier, shift, scheme), lo, hi);
    }
    case 'tflite-float':
      return clamp(zp + Number(roundRat(ratOfDouble(acc * M), 'RND_INF')), lo, hi);
    case 'onnxruntime':
    case 'pytorch': {
      // qnnpack's fp32 requantization / fbgemm's ReQuantizeOutput: the same float32 formula
      const scale = f32(f32(f32(p.scaleIn) * f32(p.scaleW)) / f32(p.scaleOut));
      const v = clamp(f32(f32(acc) * scale), p.qmin - zp, p.qmax - zp);
      return clamp(Number(roundRat(ratOfDouble(v), 'RND_CONV')) + zp, lo, hi);
    }
  }
}

const scale = fc.double({ min: 1e-6, max: 4, noNaN: true });
const int8Params = fc.record({
  scaleIn: scale,
  scaleW: scale,
  scaleOut: scale,
  zeroPointOut: fc.integer({ min: -128, max: 127 }),
  qmin: fc.constant(-128),
  qmax: fc.constant(127),
});
const int32Params = fc.record({
  scaleIn: scale,
  scaleW: scale,
  scaleOut: scale,
  zeroPointOut: fc.constant(0),
  qmin: fc.constant(INT32_MIN),
  qmax: fc.constant(INT32_MAX),
});
const uint8Params = fc.record({
  scaleIn: scale,
  scaleW: scale,
  scaleOut: scale,
  zeroPointOut: fc.integer({ min: 0, max: 255 }),
  qmin: fc.constant(0),
  qmax: fc.constant(255),
});
/** Power-of-two multipliers: ties are common, so each scheme's tie rule is exercised. */
const dyadicParams = fc.record({
  scaleIn: fc.constant(1),
  scaleW: fc.integer({ min: 1, max: 12 }).map((k) => 2 ** -k),
  scaleOut: fc.constantFrom(1, 0.5, 0.25),
  zeroPointOut: fc.integer({ min: -128, max: 127 }),
  qmin: fc.constant(-128),
  qmax: fc.constant(127),
});
const anyParams = fc.oneof(int8Params, uint8Params, dyadicParams);
const acc = fc.oneof(
  fc.integer({ min: -5000, max: 5000 }),
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
  fc.constantFrom(...int32Edges()),
);

describe('requantize: the four schemes against their formulas', () => {
  it('tie cases by hand (M = 0.5 exactly): the schemes disagree as documented', () => {
    const p: RequantParams = { scaleIn: 1, scaleW: 0.5, scaleOut: 1, zeroPointOut: 0, qmin: -128, qmax: 127 };
    const table: Array<[number, Record<RequantScheme, number>]> = [
      [3, { gemmlowp: 2, 'single-rounding': 2, 'tflite-float': 2, onnxruntime: 2, pytorch: 2 }], // 1.5
      [5, { gemmlowp: 3, 'single-rounding': 3, 'tflite-float': 3, onnxruntime: 2, pytorch: 2 }], // 2.5: half-even gives 2
      [-5, { gemmlowp: -2, 'single-rounding': -2, 'tflite-float': -3, onnxruntime: -2, pytorch: -2 }], // -2.5: SRDHM ties toward +inf
      [-3, { gemmlowp: -1, 'single-rounding': -1, 'tflite-float': -2, onnxruntime: -2, pytorch: -2 }], // -1.5
      [1000, { gemmlowp: 127, 'single-rounding': 127, 'tflite-float': 127, onnxruntime: 127, pytorch: 127 }],
    ];
    for (const [a, want] of table) for (const s of REQUANT_SCHEMES) expect(requantize(a, p, s), `${s} ${a}`).toBe(want[s]);
  });

  it('M = 0.25: gemmlowp rounds twice (SRDHM exact, then RoundingDivideByPOT half away)', () => {
    const p: RequantParams = { scaleIn: 1, scaleW: 0.25, scaleOut: 1, zeroPointOut: 0, qmin: -128, qmax: 127 };
    // m = 2^30, shift = -1: acc * 2^30 / 2^31 then / 2
    expect(requantize(-2, p, 'gemmlowp')).toBe(-1); // docs/requantization.md: A -1
    expect(requantize(-2, p, 'single-rounding')).toBe(0); // B 0
    expect(requantize(2, p, 'gemmlowp')).toBe(1);
    expect(requantize(2, p, 'single-rounding')).toBe(1);
  });

  for (const scheme of REQUANT_SCHEMES) {
    it(`${scheme}: int8 and uint8 outputs, fused activation ranges`, () => {
      fc.assert(
        fc.property(anyParams, acc, fc.boolean(), (p0, a, relu) => {
          const p: RequantParams = relu ? { ...p0, actMin: Math.max(p0.qmin, p0.zeroPointOut) } : p0;
          expect(requantize(a, p, scheme)).toBe(requantOracle(a, p, scheme));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('TFLite multiplier derivations: the fully-connected kernels round s_in·s_w to float32, conv kernels do not', () => {
    const kernels = fc.constantFrom<'conv' | 'fully-connected'>('conv', 'fully-connected');
    let differ = 0;
    fc.assert(
      fc.property(
        int32Params,
        kernels,
        fc.constantFrom<RequantScheme>('gemmlowp', 'single-rounding', 'tflite-float'),
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        (p, k, scheme, acc) => {
          const q = { ...p, tfliteKernel: k };
          expect(requantize(acc, q, scheme)).toBe(requantOracle(acc, q, scheme));
          if (
            requantize(acc, { ...p, tfliteKernel: 'conv' }, scheme) !== requantize(acc, { ...p, tfliteKernel: 'fully-connected' }, scheme)
          )
            differ++;
        },
      ),
      { numRuns: 4000 },
    );
    expect(differ).toBeGreaterThan(0); // the two derivations are really different
  });

  it('requantizeArray equals the per-element oracle for every scheme', () => {
    fc.assert(
      fc.property(anyParams, fc.array(acc, { maxLength: 200 }), fc.constantFrom(...REQUANT_SCHEMES), (p, accs, scheme) => {
        const out = new Int32Array(accs.length);
        requantizeArray(Int32Array.from(accs), p, scheme, out);
        expect(Array.from(out)).toEqual(accs.map((a) => requantOracle(a, p, scheme)));
      }),
      { numRuns: 400 },
    );
  });

  it('requantizeArray gemmlowp at shift limits and large multipliers', () => {
    const accs = Int32Array.from(int32Edges());
    for (const [sIn, sW, sOut] of [
      [1, 1, 2 ** 30],
      [1, 1, 1],
      [2 ** 20, 1, 1],
      [1, 2 ** -31, 1],
      [1, 2 ** -32, 1],
      [0.7, 0.3, 0.0011],
    ]) {
      const p: RequantParams = { scaleIn: sIn!, scaleW: sW!, scaleOut: sOut!, zeroPointOut: 3, qmin: -(2 ** 20), qmax: 2 ** 20 };
      const out = new Int32Array(accs.length);
      requantizeArray(accs, p, 'gemmlowp', out);
      expect(Array.from(out)).toEqual(Array.from(accs, (a) => requantOracle(a, p, 'gemmlowp')));
    }
  });

  it('bad parameters are user errors', () => {
    const p: RequantParams = { scaleIn: 1, scaleW: 1, scaleOut: 1, zeroPointOut: 0, qmin: -128, qmax: 127 };
    expect(() => makeRequantizer({ ...p, scaleOut: 0 }, 'gemmlowp')).toThrow(UserError);
    expect(() => makeRequantizer({ ...p, scaleIn: NaN }, 'onnxruntime')).toThrow(UserError);
    expect(() => makeRequantizer({ ...p, qmin: 5, qmax: 4 }, 'tflite-float')).toThrow(UserError);
    expect(() => makeRequantizer({ ...p, actMin: 200 }, 'tflite-float')).toThrow(UserError);
    expect(() => requantize(2 ** 31, p, 'gemmlowp')).toThrow(UserError);
    expect(() => requantize(0.5, p, 'tflite-float')).toThrow(UserError);
    expect(() => parseRequantScheme('tflite')).toThrow(UserError);
    expect(parseRequantScheme('onnxruntime')).toBe('onnxruntime');
  });
});
