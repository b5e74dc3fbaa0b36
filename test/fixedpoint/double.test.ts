import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigToDouble, decomposeDouble, parseFormat, rationalToDouble, toReal } from '../../src/fixedpoint/index.js';
import { arbCode, arbFormat } from '../../src/testing/index.js';
import { cmpRat, isNearestDouble, pow2, rat, ratOfCode, ratOfDouble } from './oracle.js';

describe('exact doubles', () => {
  it('decomposeDouble gives the exact value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const { mant, exp } = decomposeDouble(x);
        const r = ratOfDouble(x);
        const mine = exp >= 0 ? rat(mant * pow2(exp)) : rat(mant, pow2(-exp));
        expect(mine.num * r.den).toBe(r.num * mine.den);
      }),
      { numRuns: 1500 },
    );
  });

  it('toReal is the nearest double to code * 2^-F (exact when it fits)', () => {
    const f = arbFormat({ minIntBits: -1200, maxIntBits: 1200 });
    fc.assert(
      fc.property(
        f.chain((g) => fc.tuple(fc.constant(g), arbCode(g))),
        ([g, code]) => {
          const exact = ratOfCode(code, g.width - g.intBits);
          const d = toReal(code, g);
          // beyond the largest double: 2^1024 - 2^970 and above round to Infinity
          const huge = cmpRat(rat(code < 0n ? -exact.num : exact.num, exact.den), rat(pow2(1024) - pow2(970))) >= 0;
          if (huge) expect(d).toBe(code < 0n ? -Infinity : Infinity);
          else if (isNearestDouble(d, exact)) expect(Object.is(d, -0)).toBe(false);
          else expect(d === 0 && cmpRat(rat(code < 0n ? -exact.num : exact.num, exact.den), rat(1n, pow2(1075))) <= 0).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rationalToDouble is correctly rounded', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 120n), max: 2n ** 120n }), fc.bigInt({ min: 1n, max: 2n ** 90n }), (n, d) => {
        const x = rationalToDouble(n, d);
        if (n === 0n) expect(x).toBe(0);
        else expect(isNearestDouble(x, rat(n, d))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('subnormal boundary: ties go to even', () => {
    expect(bigToDouble(1n, -1074)).toBe(Number.MIN_VALUE);
    expect(bigToDouble(1n, -1075)).toBe(0); // tie between 0 and 2^-1074: even is 0
    expect(bigToDouble(3n, -1075)).toBe(2 * Number.MIN_VALUE); // tie 1.5 ulp -> 2
    expect(bigToDouble(3n, -1076)).toBe(Number.MIN_VALUE); // 0.75 ulp -> 1
    expect(bigToDouble(-1n, 1024)).toBe(-Infinity);
    expect(bigToDouble((1n << 53n) - 1n, 971)).toBe(Number.MAX_VALUE);
    const tiny = parseFormat('fixed<8,-1070>'); // F = 1078
    expect(toReal(1n, tiny)).toBe(0); // 2^-1078 is below half of 2^-1074
    expect(toReal(64n, tiny)).toBe(4 * Number.MIN_VALUE);
    expect(toReal(-24n, tiny)).toBe(-2 * Number.MIN_VALUE); // -1.5 ulp, tie to even 2
    expect(toReal(127n, parseFormat('fixed<8,1032>'))).toBe(Infinity); // 127 * 2^1024
  });
});
