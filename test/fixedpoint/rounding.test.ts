import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  divRound, roundDouble, shiftRightRound, shiftRightRoundNumber,
} from '../../src/fixedpoint/index.js';
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
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).filter((d) => d !== 0n), mode, (n, d, m) => {
        expect(divRound(n, d, m)).toBe(roundRat(rat(n, d), m));
      }),
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

  it('shiftRightRoundNumber: safe integers, shifts -20..1100', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger().chain((x) => fc.constant(x)), fc.integer({ min: -20, max: 1100 }), mode, (x, s, m) => {
        const want = s >= 0 ? roundRat(rat(BigInt(x), pow2(s)), m) : BigInt(x) * pow2(-s);
        expect(BigInt(shiftRightRoundNumber(x, s, m))).toBe(want);
      }),
      { numRuns: 1500 },
    );
  });
});
