import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from '../../src/fixedpoint/index.js';
import { mbqmOracle, quantizeMultiplierOracle, rdbpOracle, srdhmOracle } from './gemmlowp-oracle.js';
import { INT32_MAX, INT32_MIN, int32Edges, pow2, rat, roundRat } from './oracle.js';

const int32 = fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(...int32Edges()));
const multiplier = fc.oneof(
  fc.integer({ min: 2 ** 30, max: INT32_MAX }),
  fc.integer({ min: 0, max: INT32_MAX }),
  fc.constantFrom(...int32Edges().filter((v) => v >= 0)),
);

describe('gemmlowp primitives', () => {
  it('docs/requantization.md worked examples: A and B disagree', () => {
    expect(multiplyByQuantizedMultiplier(-2, 2 ** 30, -1, 'gemmlowp')).toBe(-1);
    expect(multiplyByQuantizedMultiplier(-2, 2 ** 30, -1, 'single-rounding')).toBe(0);
    expect(multiplyByQuantizedMultiplier(1, 2 ** 30, -1, 'gemmlowp')).toBe(1);
    expect(multiplyByQuantizedMultiplier(1, 2 ** 30, -1, 'single-rounding')).toBe(0);
    expect(multiplyByQuantizedMultiplier(1, 2 ** 30, -1)).toBe(1); // gemmlowp is the default
  });

  it('SRDHM: INT32_MIN * INT32_MIN saturates; the int64 product beyond 2^53 is exact', () => {
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1);
    expect(saturatingRoundingDoublingHighMul(2 ** 30, 3)).toBe(2); // 1.5 -> 2 (nudge up)
    expect(saturatingRoundingDoublingHighMul(-(2 ** 30), 3)).toBe(-1); // -1.5: (ab + 1 - 2^30) / 2^31 truncates to -1
  });

  it('SRDHM edge table: every pair of int32 values within ±2 of a power of two', () => {
    const edges = int32Edges();
    for (const a of edges)
      for (const b of edges) {
        if (saturatingRoundingDoublingHighMul(a, b) !== srdhmOracle(a, b)) {
          expect(saturatingRoundingDoublingHighMul(a, b), `${a} * ${b}`).toBe(srdhmOracle(a, b));
        }
      }
  });

  it('SRDHM matches the bigint oracle on random int32 pairs', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(saturatingRoundingDoublingHighMul(a, b)).toBe(srdhmOracle(a, b));
      }),
      { numRuns: 6000 },
    );
  });

  it('RoundingDivideByPOT matches the formula and rounds half away from zero', () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, e) => {
        const got = roundingDivideByPOT(x, e);
        expect(got).toBe(rdbpOracle(x, e));
        expect(BigInt(got)).toBe(roundRat(rat(BigInt(x), pow2(e)), 'RND_INF'));
      }),
      { numRuns: 1500 },
    );
    for (const x of int32Edges()) for (let e = 0; e <= 31; e++) expect(roundingDivideByPOT(x, e)).toBe(rdbpOracle(x, e));
    expect(() => roundingDivideByPOT(1, 32)).toThrow(UserError);
  });

  it('MultiplyByQuantizedMultiplier, both schemes, shifts at their limits', () => {
    for (const scheme of ['gemmlowp', 'single-rounding'] as const) {
      const maxShift = scheme === 'gemmlowp' ? 31 : 30;
      fc.assert(
        fc.property(int32, multiplier, fc.integer({ min: -31, max: maxShift }), (x, m, s) => {
          expect(multiplyByQuantizedMultiplier(x, m, s, scheme)).toBe(mbqmOracle(x, m, s, scheme));
        }),
        { numRuns: 1500 },
      );
      for (const x of int32Edges())
        for (const s of [-31, -30, -1, 0, 1, maxShift])
          for (const m of [0, 1, 2 ** 30, INT32_MAX]) {
            expect(multiplyByQuantizedMultiplier(x, m, s, scheme), `${scheme} ${x} ${m} ${s}`).toBe(mbqmOracle(x, m, s, scheme));
          }
      expect(() => multiplyByQuantizedMultiplier(1, 1, maxShift + 1, scheme)).toThrow(UserError);
      expect(() => multiplyByQuantizedMultiplier(1, 1, -32, scheme)).toThrow(UserError);
    }
    expect(() => multiplyByQuantizedMultiplier(2 ** 31, 1, 0)).toThrow(UserError);
  });
});

describe('QuantizeMultiplier', () => {
  it('by hand', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 3 * 2 ** 29, shift: 0 });
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 }); // rounds to 2^31: m = 2^30, shift + 1
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 }); // the last shift kept
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 }); // shift -32 flushes to zero
    expect(quantizeMultiplier(2 ** -31)).toEqual({ multiplier: 2 ** 30, shift: -30 });
    expect(quantizeMultiplier(2 ** 40, 'single-rounding')).toEqual({ multiplier: 2 ** 31 - 1, shift: 30 });
    expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: 2 ** 30, shift: 41 });
    expect(() => quantizeMultiplier(NaN)).toThrow(UserError);
  });

  it('matches the exact frexp oracle for positive, negative, tiny and huge multipliers', () => {
    const M = fc.oneof(
      fc.double({ min: 1e-12, max: 1e4, noNaN: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: 1, max: 2 ** 31 }).map((k) => k / 2 ** 31),
    );
    fc.assert(
      fc.property(M, fc.constantFrom('gemmlowp' as const, 'single-rounding' as const), (m, scheme) => {
        expect(quantizeMultiplier(m, scheme)).toEqual(quantizeMultiplierOracle(m, scheme));
      }),
      { numRuns: 2000 },
    );
  });
});
