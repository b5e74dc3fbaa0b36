import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCode, arbFormat, arbGridReal, arbRealInRange } from '../../src/testing/index.js';
import { cmpRat, codeRange, ratOfCode, ratOfDouble } from './oracle.js';

describe('helu-sim/testing arbitraries', () => {
  it('arbFormat respects its bounds', () => {
    fc.assert(
      fc.property(
        arbFormat({ minWidth: 3, maxWidth: 9, minIntBits: -2, maxIntBits: 5, signed: false, roundings: ['RND'], overflows: ['SAT'] }),
        (f) => {
          expect(f.width).toBeGreaterThanOrEqual(3);
          expect(f.width).toBeLessThanOrEqual(9);
          expect(f.intBits).toBeGreaterThanOrEqual(-2);
          expect(f.intBits).toBeLessThanOrEqual(5);
          expect(f).toMatchObject({ signed: false, rounding: 'RND', overflow: 'SAT' });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('arbCode and arbRealInRange stay within the format, ends included', () => {
    fc.assert(
      fc.property(
        arbFormat().chain((f) => fc.tuple(fc.constant(f), arbCode(f), arbRealInRange(f))),
        ([f, code, x]) => {
          const { min, max } = codeRange(f);
          expect(code >= min && code <= max).toBe(true);
          const F = f.width - f.intBits;
          expect(cmpRat(ratOfDouble(x), ratOfCode(min, F))).toBeGreaterThanOrEqual(0);
          expect(cmpRat(ratOfDouble(x), ratOfCode(max, F))).toBeLessThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbGridReal reaches ties and values beyond the range', () => {
    const f = { signed: true, width: 4, intBits: 2, rounding: 'TRN' as const, overflow: 'WRAP' as const };
    const xs = fc.sample(arbGridReal(f), { numRuns: 2000, seed: 42 });
    expect(xs.some((x) => Math.abs((x * 4) % 1) === 0.5)).toBe(true); // half an LSB (LSB 1/4)
    expect(xs.some((x) => x > 2 || x < -2)).toBe(true);
  });
});
