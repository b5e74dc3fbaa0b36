import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  applyOverflow,
  applyOverflowNumber,
  bitsToCode,
  codeToBits,
  convert,
  convertNumber,
  overflowsNumber,
  parseFormat,
  type FixedFormat,
} from '../../src/fixedpoint/index.js';
import { arbCode, arbFormat } from '../../src/testing/index.js';
import { codeRange, overflowOracle, pow2, quantizeOracle, ratOfCode, type Fmt } from './oracle.js';

const pair = (maxWidth: number, lo = -40, hi = 100) =>
  fc
    .tuple(arbFormat({ maxWidth, minIntBits: lo, maxIntBits: hi }), arbFormat({ maxWidth, minIntBits: lo, maxIntBits: hi }))
    .chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), arbCode(a)));

describe('convert between formats (integers only)', () => {
  it('matches the oracle: exact value of the code quantized into the target', () => {
    fc.assert(
      fc.property(pair(64), ([from, to, code]) => {
        expect(convert(code, from, to)).toEqual(quantizeOracle(ratOfCode(code, from.width - from.intBits), to as Fmt));
      }),
      { numRuns: 1500 },
    );
  });

  it('convertNumber matches the oracle for W <= 53', () => {
    fc.assert(
      fc.property(pair(53, -1100, 1100), ([from, to, code]) => {
        const want = quantizeOracle(ratOfCode(code, from.width - from.intBits), to as Fmt).code;
        expect(convertNumber(Number(code), from, to)).toBe(Number(want));
      }),
      { numRuns: 1500 },
    );
  });

  it('source modes play no part; a code outside the source range is a user error', () => {
    const a = parseFormat('fixed<8,4,RND,SAT>');
    const b = parseFormat('fixed<8,4,TRN,WRAP>');
    const to = parseFormat('fixed<4,2,RND_CONV,SAT>');
    expect(convert(27n, a, to)).toEqual(convert(27n, b, to));
    expect(convert(27n, a, to)).toEqual({ code: 7n, overflow: false }); // 27/16 = 1.6875 -> 6.75/4 -> 7/4
    expect(() => convert(128n, a, to)).toThrow(UserError);
  });
});

describe('overflow modes', () => {
  const fmtAndInt = (maxWidth: number) => fc.tuple(arbFormat({ maxWidth }), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));

  it('applyOverflow matches the oracle (values far and near the range)', () => {
    fc.assert(
      fc.property(fmtAndInt(64), fc.integer({ min: -3, max: 3 }), ([f, x], d) => {
        const { min, max } = codeRange(f);
        for (const v of [x, min + BigInt(d), max + BigInt(d), -max + BigInt(d)]) {
          expect(applyOverflow(v, f)).toEqual(overflowOracle(v, f as Fmt));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('applyOverflowNumber / overflowsNumber match the oracle for W <= 53 and |x| < 2^53', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 53 }), fc.maxSafeInteger(), fc.integer({ min: -3, max: 3 }), (f, x, d) => {
        const { min, max } = codeRange(f);
        for (const v of [BigInt(x), min + BigInt(d), max + BigInt(d), -max + BigInt(d)]) {
          if (v > 2n ** 53n || v < -(2n ** 53n)) continue;
          const want = overflowOracle(v, f as Fmt);
          expect(applyOverflowNumber(Number(v), f)).toBe(Number(want.code));
          expect(overflowsNumber(Number(v), f)).toBe(want.overflow);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('raw bit patterns', () => {
  it("codeToBits is the two's complement pattern and bitsToCode inverts it", () => {
    fc.assert(
      fc.property(
        arbFormat().chain((f) => fc.tuple(fc.constant(f), arbCode(f))),
        ([f, code]: [FixedFormat, bigint]) => {
          const bits = codeToBits(code, f);
          expect(bits).toBe(code < 0n ? code + pow2(f.width) : code);
          expect(bitsToCode(bits, f)).toBe(code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects out-of-range codes and patterns', () => {
    const f = parseFormat('fixed<4,2>');
    expect(() => codeToBits(8n, f)).toThrow(UserError);
    expect(() => bitsToCode(16n, f)).toThrow(UserError);
    expect(() => bitsToCode(-1n, f)).toThrow(UserError);
    expect(bitsToCode(15n, f)).toBe(-1n);
    expect(bitsToCode(15n, parseFormat('ufixed<4,2>'))).toBe(15n);
  });
});
