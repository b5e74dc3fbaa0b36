import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  parseFormat,
  quantize,
  quantizeNumber,
  quantizeRational,
  quantizationError,
  toReal,
  type FixedFormat,
} from '../../src/fixedpoint/index.js';
import { arbFormat, arbGridReal } from '../../src/testing/index.js';
import {
  MODES,
  OVFS,
  edgeIntegers,
  isNearestDouble,
  pow2,
  quantizeOracle,
  rat,
  ratOfCode,
  ratOfDouble,
  subRat,
  type Fmt,
} from './oracle.js';

/** Doubles of every magnitude: full-range doubles, small ones, integers, subnormals. */
const anyDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer().map((i) => i / 64),
  fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
);

const wideFormat = arbFormat({ minWidth: 1, maxWidth: 64, minIntBits: -80, maxIntBits: 150 });

describe('quantize (exact rational value of the double)', () => {
  it('UG1399 example (docs/fixed-point.md): fixed<3,2,RND> 1.25 -> 1.5, -1.25 -> -1.0', () => {
    const f = parseFormat('fixed<3,2,RND>');
    expect(toReal(quantize(1.25, f).code, f)).toBe(1.5);
    expect(toReal(quantize(-1.25, f).code, f)).toBe(-1);
  });

  it('ties under every rounding mode (fixed<8,4>, LSB 1/16)', () => {
    // x = k + 1/2 LSB; expected codes from the spec table written out by hand
    const table: Array<[number, Record<string, number>]> = [
      [2.5 / 16, { TRN: 2, TRN_ZERO: 2, RND: 3, RND_ZERO: 2, RND_MIN_INF: 2, RND_INF: 3, RND_CONV: 2 }],
      [3.5 / 16, { TRN: 3, TRN_ZERO: 3, RND: 4, RND_ZERO: 3, RND_MIN_INF: 3, RND_INF: 4, RND_CONV: 4 }],
      [-2.5 / 16, { TRN: -3, TRN_ZERO: -2, RND: -2, RND_ZERO: -2, RND_MIN_INF: -3, RND_INF: -3, RND_CONV: -2 }],
      [-3.5 / 16, { TRN: -4, TRN_ZERO: -3, RND: -3, RND_ZERO: -3, RND_MIN_INF: -4, RND_INF: -4, RND_CONV: -4 }],
      [-2.75 / 16, { TRN: -3, TRN_ZERO: -2, RND: -3, RND_ZERO: -3, RND_MIN_INF: -3, RND_INF: -3, RND_CONV: -3 }],
    ];
    for (const [x, want] of table) {
      for (const mode of MODES) {
        const f = parseFormat(`fixed<8,4,${mode}>`);
        expect(Number(quantize(x, f).code), `${x} ${mode}`).toBe(want[mode]);
        expect(quantizeNumber(x, f), `${x} ${mode} number`).toBe(want[mode]);
      }
    }
  });

  it('overflow modes by hand: fixed<4,4> (codes -8..7) and ufixed<4,4>', () => {
    const cases: Array<[string, number, number, boolean]> = [
      ['fixed<4,4,TRN,WRAP>', 9, -7, true],
      ['fixed<4,4,TRN,SAT>', 9, 7, true],
      ['fixed<4,4,TRN,SAT_ZERO>', 9, 0, true],
      ['fixed<4,4,TRN,SAT_SYM>', -9, -7, true],
      ['fixed<4,4,TRN,SAT_SYM>', -8, -7, true],
      ['fixed<4,4,TRN,SAT>', -8, -8, false],
      ['ufixed<4,4,TRN,SAT_SYM>', -1, 0, true],
      ['ufixed<4,4,TRN,SAT_SYM>', 16, 15, true],
      ['ufixed<4,4,TRN,WRAP>', -1, 15, true],
      ['fixed<4,4,RND,SAT>', 7.5, 7, true],
      ['fixed<4,4,RND,WRAP>', 7.5, -8, true],
      ['fixed<1,1,TRN,SAT_SYM>', -1, 0, true],
    ];
    for (const [fmt, x, code, ovf] of cases) {
      expect(quantize(x, parseFormat(fmt)), `${fmt} ${x}`).toEqual({ code: BigInt(code), overflow: ovf });
    }
  });

  it('matches the rational oracle for random formats (W 1..64, I -80..150) and doubles', () => {
    fc.assert(
      fc.property(wideFormat, anyDouble, (f, x) => {
        expect(quantize(x, f)).toEqual(quantizeOracle(ratOfDouble(x), f as Fmt));
      }),
      { numRuns: 1500 },
    );
  });

  it('matches the oracle on ties and near-ties (quarter-LSB grid beyond the range)', () => {
    fc.assert(
      fc.property(
        arbFormat({ maxWidth: 48, minIntBits: -20, maxIntBits: 60 }).chain((f) => fc.tuple(fc.constant(f), arbGridReal(f))),
        ([f, x]) => {
          expect(quantize(x, f)).toEqual(quantizeOracle(ratOfDouble(x), f as Fmt));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('edge table: ±2 LSB around every power of two, for every mode and overflow', () => {
    for (const signed of [true, false]) {
      for (const ovf of OVFS) {
        for (const mode of MODES) {
          const f: Fmt = { signed, width: 12, intBits: 6, rounding: mode, overflow: ovf };
          for (const k of edgeIntegers(14)) {
            for (const sub of [0n, 1n, 2n, 3n]) {
              const x = Number(k * 4n + sub) / 256; // quarter steps of the LSB 2^-6
              expect(quantize(x, f), `${JSON.stringify(f)} ${x}`).toEqual(quantizeOracle(ratOfDouble(x), f));
            }
          }
        }
      }
    }
  });

  it('quantizeNumber matches the oracle for W <= 53, including extreme F', () => {
    const f53 = arbFormat({ maxWidth: 53, minIntBits: -1200, maxIntBits: 1200 });
    fc.assert(
      fc.property(fc.oneof(f53, arbFormat({ maxWidth: 53 })), anyDouble, (f, x) => {
        expect(quantizeNumber(x, f)).toBe(Number(quantizeOracle(ratOfDouble(x), f as Fmt).code));
      }),
      { numRuns: 1500 },
    );
  });

  it('subnormal and huge inputs', () => {
    const cases: Array<[number, string]> = [
      [-Number.MIN_VALUE, 'fixed<8,4,TRN>'],
      [-Number.MIN_VALUE, 'fixed<8,100,TRN>'],
      [Number.MIN_VALUE, 'fixed<8,-1100,RND>'],
      [Number.MAX_VALUE, 'fixed<8,4,TRN,WRAP>'],
      [-Number.MAX_VALUE, 'fixed<16,-2000,TRN,SAT>'],
      [3 * 2 ** -1074, 'fixed<8,1080,RND_CONV>'],
      [1.5, 'fixed<8,8000,RND_INF,SAT>'],
      [-(2 ** 1023), 'fixed<53,-10,TRN,WRAP>'],
    ];
    for (const [x, s] of cases) {
      const f = parseFormat(s);
      const want = quantizeOracle(ratOfDouble(x), f as Fmt);
      expect(quantize(x, f), `${s} ${x}`).toEqual(want);
      expect(quantizeNumber(x, f), `${s} ${x} number`).toBe(Number(want.code));
    }
  });

  it('NaN and Infinity are user errors', () => {
    const f = parseFormat('fixed<8,4>');
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(() => quantize(x, f)).toThrow(UserError);
      expect(() => quantizeNumber(x, f)).toThrow(UserError);
    }
  });

  it('quantizeRational matches the oracle', () => {
    fc.assert(
      fc.property(wideFormat, fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }), fc.bigInt({ min: 1n, max: 2n ** 70n }), (f, num, den) => {
        expect(quantizeRational(num, den, f)).toEqual(quantizeOracle(rat(num, den), f as Fmt));
      }),
      { numRuns: 2000 },
    );
  });

  it('quantizationError is the exact difference rounded once', () => {
    fc.assert(
      fc.property(wideFormat, anyDouble, (f: FixedFormat, x) => {
        const { code } = quantizeOracle(ratOfDouble(x), f as Fmt);
        const exact = subRat(ratOfCode(code, f.width - f.intBits), ratOfDouble(x));
        const e = quantizationError(x, code, f);
        expect(isNearestDouble(e, exact) || (exact.num === 0n && e === 0)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('codes of W = 64 and I > W keep every bit', () => {
    const f = parseFormat('fixed<64,70,TRN,WRAP>'); // LSB 2^6
    const x = 2 ** 68 + 2 ** 20; // exact double
    expect(quantize(x, f).code).toBe((pow2(68) + pow2(20)) >> 6n);
  });
});
