import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, parseFormat, quantizeNumber, roundDouble, shiftRightRound, shiftRightRoundNumber } from '../../src/fixedpoint/index.js';
import { MODES, edgeIntegers, pow2, rat, ratOfDouble, roundRat } from './oracle.js';

const mode = fc.constantFrom(...MODES);

describe('rounding primitives against the spec table', () => {
  it('shiftRightRound: x / 2^s for bigints up to 2^200, shifts -10..220', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.integer({ min: -10, max: 220 }), mode, (x, s, m) => {
        const want = s >= 0 ? roundRat(rat(x, pow2(s)), m) : x * pow2(-s);
        expect(shiftRightRound(x, s, m)).toBe(want);
      }),
      { numRuns: 1500 },
    );
  });

  it('shiftRightRound edge table: ±2 around powers of two, shifts 0..6', () => {
    for (const x of edgeIntegers(66)) {
      for (let s = 0; s <= 6; s++) {
        for (const m of MODES) expect(shiftRightRound(x, s, m), `${x} >> ${s} ${m}`).toBe(roundRat(rat(x, pow2(s)), m));
      }
    }
  });

  it('divRound: any rational, either sign of the denominator', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).filter((d) => d !== 0n),
        mode,
        (n, d, m) => {
          expect(divRound(n, d, m)).toBe(roundRat(rat(n, d), m));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('divRound: small exhaustive table (n -40..40, d 1..8)', () => {
    for (let n = -40n; n <= 40n; n++) {
      for (let d = 1n; d <= 8n; d++) for (const m of MODES) expect(divRound(n, d, m)).toBe(roundRat(rat(n, d), m));
    }
  });

  it('roundDouble: every double, including halves and large integers', () => {
    const doubles = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 4),
      fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((i) => i * 2 ** 22 + 0.5),
    );
    fc.assert(
      fc.property(doubles, mode, (v, m) => {
        const r = roundDouble(v, m);
        expect(Object.is(r, -0)).toBe(false);
        expect(BigInt(r)).toBe(roundRat(ratOfDouble(v), m));
      }),
      { numRuns: 2000 },
    );
  });

  it('roundDouble: -0.5 + 2^-54 is below the tie (regression: the fraction v - floor(v) rounded to 0.5)', () => {
    const v = -0.5 + 2 ** -54;
    expect(roundDouble(v, 'RND_INF')).toBe(0);
    expect(roundDouble(v, 'RND_MIN_INF')).toBe(0);
    expect(roundDouble(v, 'RND')).toBe(0);
    expect(roundDouble(-0.5 - 2 ** -53, 'RND_ZERO')).toBe(-1);
  });

  it('roundDouble: doubles within a few ulps of every half in (-2, 2)', () => {
    const nearHalf = fc
      .tuple(fc.constantFrom(-1.5, -0.5, 0.5, 1.5), fc.integer({ min: -64, max: 64 }), fc.integer({ min: 50, max: 60 }))
      .map(([h, k, e]) => h + k * 2 ** -e);
    fc.assert(
      fc.property(nearHalf, mode, (v, m) => {
        expect(BigInt(roundDouble(v, m))).toBe(roundRat(ratOfDouble(v), m));
      }),
      { numRuns: 3000 },
    );
  });

  it('quantizeNumber: x·2^F within ulps of -1/2 rounds as the exact value does, for every F', () => {
    const cases = fc
      .tuple(fc.integer({ min: -8, max: 16 }), fc.integer({ min: -40, max: 40 }), fc.constantFrom(...MODES))
      .map(([F, k, m]) => ({ F, x: (-0.5 + k * 2 ** -54) * 2 ** -F, m }));
    fc.assert(
      fc.property(cases, ({ F, x, m }) => {
        const f = parseFormat(`fixed<16,${16 - F},${m},SAT>`);
        const want = roundRat(ratOfDouble(x * 2 ** F), m); // the scaling by 2^F is exact
        expect(BigInt(quantizeNumber(x, f))).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('shiftRightRoundNumber: safe integers, shifts -20..1100', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger().chain((x) => fc.constant(x)),
        fc.integer({ min: -20, max: 1100 }),
        mode,
        (x, s, m) => {
          const want = s >= 0 ? roundRat(rat(BigInt(x), pow2(s)), m) : BigInt(x) * pow2(-s);
          expect(BigInt(shiftRightRoundNumber(x, s, m))).toBe(want);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
