import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageHalfEven, lrintf, pytorchChannel, pytorchRequantize } from '../../src/fixedpoint/index.js';
import { cmpRat, pow2, rat, ratOfDouble, roundRat, type Rat } from './oracle.js';

/*
 * PyTorch's requantization (fbgemm ReQuantizeOutput) and the half-to-even
 * average against oracles on exact rationals: every float32 operation is the
 * exact result rounded to the nearest float32 (ties to even) by bigint
 * arithmetic, lrintf is round half to even of the exact value.
 */

const mulR = (a: Rat, b: Rat): Rat => rat(a.num * b.num, a.den * b.den);
const addR = (a: Rat, b: Rat): Rat => rat(a.num * b.den + b.num * a.den, a.den * b.den);
const divR = (a: Rat, b: Rat): Rat => rat(a.num * b.den, a.den * b.num);

/** The float32 nearest to r (normal range), ties to even. */
function f32(r: Rat): Rat {
  if (r.num === 0n) return rat(0n);
  const neg = r.num < 0n;
  const a = rat(neg ? -r.num : r.num, r.den);
  let e = 0;
  const scaled = (k: number): Rat => (k >= 0 ? rat(a.num, a.den * pow2(k)) : rat(a.num * pow2(-k), a.den));
  while (cmpRat(scaled(e), rat(pow2(24))) >= 0) e++;
  while (cmpRat(scaled(e), rat(pow2(23))) < 0) e--;
  let m = roundRat(scaled(e), 'RND_CONV');
  if (m === pow2(24)) {
    m = pow2(23);
    e++;
  }
  const v = e >= 0 ? rat(m * pow2(e)) : rat(m, pow2(-e));
  return neg ? rat(-v.num, v.den) : v;
}

function oracle(raw: number, bias: number, sIn: number, sW: number, sOut: number, zp: number, lo: number, hi: number): number {
  const R = (x: number) => ratOfDouble(Math.fround(x));
  const atw = f32(mulR(R(sIn), R(sW)));
  const mult = f32(divR(atw, R(sOut)));
  const biased = f32(addR(f32(ratOfDouble(raw)), f32(divR(R(bias), atw))));
  const code = Number(roundRat(f32(mulR(biased, mult)), 'RND_CONV')) + zp;
  return Math.min(hi, Math.max(lo, code));
}

const scale = fc.double({ min: 1e-4, max: 1, noNaN: true }).map(Math.fround);

describe('PyTorch requantization', () => {
  it('lrintf rounds ties to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999].map(lrintf)).toEqual([0, 2, 2, 0, -2, -2, 2]);
  });

  it('matches the rational oracle for random accumulators, float biases and scales', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        scale,
        scale,
        scale,
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (raw, bias, sIn, sW, sOut, zp, relu) => {
          const lo = relu ? zp : 0;
          return pytorchRequantize(raw, bias, pytorchChannel(sIn, sW, sOut), zp, lo, 255) === oracle(raw, bias, sIn, sW, sOut, zp, lo, 255);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('matches the oracle around ties: accumulators whose scaled value is near k + 1/2', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 0, max: 255 }), (k, zp) => {
        // multiplier 1/2 exactly: (2k + 1) / 2 is a tie, rounded to the even neighbour
        const got = pytorchRequantize(2 * k + 1, 0, pytorchChannel(1, 0.5, 1), zp, -1e9, 1e9);
        return got === oracle(2 * k + 1, 0, 1, 0.5, 1, zp, -1e9, 1e9) && (got - zp) % 2 === 0;
      }),
    );
  });
});

describe('average rounded half to even', () => {
  it('matches the rational oracle: round(sum / count) half to even, then + zp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 20), max: 2 ** 20 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: -128, max: 255 }),
        (sum, count, zp) => averageHalfEven(sum, count, zp) === Number(roundRat(rat(BigInt(sum), BigInt(count)), 'RND_CONV')) + zp,
      ),
    );
  });

  it('ties go to the even mean, not to the even code: an odd zero point does not move them', () => {
    expect(averageHalfEven(2, 4, 127)).toBe(127); // 0.5 -> 0
    expect(averageHalfEven(6, 4, 127)).toBe(129); // 1.5 -> 2
    expect(averageHalfEven(-2, 4, 127)).toBe(127); // -0.5 -> 0
    expect(averageHalfEven(-6, 4, 127)).toBe(125); // -1.5 -> -2
  });
});
