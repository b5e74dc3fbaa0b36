import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseFormat, quantizeArray, toRealArray, type FixedFormat } from '../../src/fixedpoint/index.js';
import { arbCode, arbFormat, arbGridReal } from '../../src/testing/index.js';
import { cmpRat, quantizeOracle, ratOfCode, ratOfDouble, type Fmt } from './oracle.js';

/** A format, and an array mixing grid values (ties, overflow) with arbitrary doubles. */
const formatAndValues = (opts: Parameters<typeof arbFormat>[0]) =>
  arbFormat(opts).chain((f) =>
    fc.tuple(
      fc.constant(f),
      fc.array(
        fc.oneof(
          arbGridReal(f),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.double({ min: -1e-310, max: 1e-310, noNaN: true }),
        ),
        { maxLength: 300 },
      ),
    ),
  );

function check(f: FixedFormat, xs: number[], out: Int32Array | Uint32Array | Float64Array): void {
  const count = quantizeArray(Float64Array.from(xs), f, out);
  let overflows = 0;
  xs.forEach((x, i) => {
    const want = quantizeOracle(ratOfDouble(x), f as Fmt);
    if (want.overflow) overflows++;
    expect(out[i], `${JSON.stringify(f)} x=${x}`).toBe(Number(want.code));
  });
  expect(count).toBe(overflows);
}

describe('quantizeArray (per-mode loops)', () => {
  it('signed W <= 32 into Int32Array, every rounding and overflow mode', () => {
    fc.assert(
      fc.property(formatAndValues({ signed: true, maxWidth: 32, minIntBits: -40, maxIntBits: 70 }), ([f, xs]) => {
        check(f, xs, new Int32Array(xs.length));
      }),
      { numRuns: 400 },
    );
  });

  it('unsigned W <= 32 into Uint32Array, W <= 53 into Float64Array', () => {
    fc.assert(
      fc.property(formatAndValues({ signed: false, maxWidth: 32 }), ([f, xs]) => check(f, xs, new Uint32Array(xs.length))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(formatAndValues({ maxWidth: 53, minIntBits: -1100, maxIntBits: 1100 }), ([f, xs]) => {
        const out = new Float64Array(xs.length);
        check(f, xs, out);
        for (const v of out) expect(Object.is(v, -0)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('Float32Array sources (values read as their float32 doubles)', () => {
    fc.assert(
      fc.property(formatAndValues({ maxWidth: 24, minIntBits: -10, maxIntBits: 30 }), ([f, xs]) => {
        const src = Float32Array.from(xs.map((x) => (Number.isFinite(Math.fround(x)) ? x : 0)));
        const out = new Float64Array(src.length);
        const count = quantizeArray(src, f, out);
        let overflows = 0;
        src.forEach((x, i) => {
          const want = quantizeOracle(ratOfDouble(x), f as Fmt);
          if (want.overflow) overflows++;
          expect(out[i]).toBe(Number(want.code));
        });
        expect(count).toBe(overflows);
      }),
      { numRuns: 200 },
    );
  });

  it('the benchmark format over many values', () => {
    const f = parseFormat('fixed<8,4,RND_CONV,SAT>');
    const xs = Array.from({ length: 5000 }, (_, i) => (i - 2500) / 256);
    check(f, xs, new Int32Array(xs.length));
  });

  it('rejects non-finite values and outputs that cannot hold the codes', () => {
    const f = parseFormat('fixed<8,4>');
    expect(() => quantizeArray(Float64Array.from([1, NaN]), f, new Int32Array(2))).toThrow(UserError);
    expect(() => quantizeArray(Float64Array.from([Infinity]), f, new Int32Array(1))).toThrow(UserError);
    expect(() => quantizeArray(new Float64Array(1), parseFormat('ufixed<32,0>'), new Int32Array(1))).toThrow(UserError);
    expect(() => quantizeArray(new Float64Array(1), f, new Uint32Array(1))).toThrow(UserError);
    expect(() => quantizeArray(new Float64Array(3), f, new Int32Array(2))).toThrow(UserError);
  });

  it('toRealArray gives the exact values of the codes', () => {
    fc.assert(
      fc.property(
        arbFormat({ maxWidth: 53, minIntBits: -900, maxIntBits: 900 }).chain((f) =>
          fc.tuple(fc.constant(f), fc.array(arbCode(f), { maxLength: 50 })),
        ),
        ([f, codes]) => {
          const out = new Float64Array(codes.length);
          toRealArray(Float64Array.from(codes, Number), f, out);
          codes.forEach((c, i) => expect(cmpRat(ratOfDouble(out[i]!), ratOfCode(c, f.width - f.intBits))).toBe(0));
        },
      ),
      { numRuns: 300 },
    );
  });
});
