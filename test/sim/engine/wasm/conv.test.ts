import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convF64,
  convI16,
  convOutputShape,
  convWide,
  prepareConvF64,
  prepareConvI16,
  prepareConvI32,
} from '../../../../src/sim/engine/wasm/index.js';
import { edgyInt } from './arbitraries.js';
import { convBig, convF64Scalar, wrap, type ConvCase } from './oracle.js';

const i16 = edgyInt(-32768, 32767);
const small = fc.integer({ min: 1, max: 3 });

/** Geometries whose kernel fits the padded input, with values drawn from `elem`. */
const convCaseOf = (elem: fc.Arbitrary<number>) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      group: small,
      cig: small,
      cog: small,
      h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 1, max: 19 }),
      kh: small,
      kw: small,
      sh: small,
      sw: small,
      pt: fc.nat(2),
      pl: fc.nat(2),
      pb: fc.nat(2),
      pr: fc.nat(2),
      dh: fc.integer({ min: 1, max: 2 }),
      dw: fc.integer({ min: 1, max: 2 }),
      pad: fc.oneof(fc.constant(0), elem),
    })
    .filter((c) => c.h + c.pt + c.pb >= c.dh * (c.kh - 1) + 1 && c.w + c.pl + c.pr >= c.dw * (c.kw - 1) + 1)
    .chain((c) =>
      fc.tuple(
        fc.constant(c),
        fc.array(elem, { minLength: c.n * c.cig * c.group * c.h * c.w, maxLength: c.n * c.cig * c.group * c.h * c.w }),
        fc.array(elem, { minLength: c.cog * c.group * c.cig * c.kh * c.kw, maxLength: c.cog * c.group * c.cig * c.kh * c.kw }),
      ),
    );
const convCase = convCaseOf(i16);

const geometry = (c: ConvCase) => ({ strides: [c.sh, c.sw], pads: [c.pt, c.pl, c.pb, c.pr], dilations: [c.dh, c.dw] }) as const;

function conv(
  c: ConvCase,
  x: ArrayLike<number>,
  wt: ArrayLike<number>,
  bias?: number[],
  f64 = false,
): { out: ArrayLike<number>; shape: number[] } {
  const w = prepareConvI16(wt, [c.cog * c.group, c.cig, c.kh, c.kw], c.group, bias);
  const shape = [c.n, c.cig * c.group, c.h, c.w];
  const g = geometry(c);
  const o = convOutputShape(shape, w, g);
  const out = f64 ? new Float64Array(o[0] * o[1] * o[2] * o[3]) : new Int32Array(o[0] * o[1] * o[2] * o[3]);
  convI16(f64 ? Float64Array.from(x) : x, shape, w, g, out, c.pad);
  return { out, shape: o };
}

describe('convI16: im2col + int16 GEMM == direct convolution oracle (int32, modulo 2^32)', () => {
  it('strides, pads, dilations, groups, pad value, bias, edge values, Float64Array codes', () => {
    fc.assert(
      fc.property(convCase, fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), fc.boolean(), ([c, x, wt], b, f64) => {
        const cout = c.cog * c.group;
        const bias = b === null ? undefined : Array.from({ length: cout }, (_, i) => b ^ (i * 0x10001));
        const { out, shape } = conv(c, x, wt, bias, f64);
        const [want, oh, ow] = convBig(x, wt, c);
        expect(shape).toEqual([c.n, cout, oh, ow]);
        const plane = oh * ow;
        const withBias = want.map((v, i) => v + BigInt(bias ? bias[Math.floor(i / plane) % cout]! : 0));
        expect(Array.from(out, (v) => BigInt(v))).toEqual(wrap(withBias, 32));
      }),
      { numRuns: 250 },
    );
  });

  it('a 16 x 18 x 18 image, 3x3, 24 filters (several 16-pixel panels, K = 144)', () => {
    const c: ConvCase = {
      n: 1,
      group: 1,
      cig: 16,
      cog: 24,
      h: 18,
      w: 18,
      kh: 3,
      kw: 3,
      sh: 1,
      sw: 1,
      pt: 1,
      pl: 1,
      pb: 1,
      pr: 1,
      dh: 1,
      dw: 1,
      pad: 0,
    };
    let s = 7;
    const rnd = () => (((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) % 255) - 127;
    const x = Array.from({ length: 16 * 18 * 18 }, rnd),
      wt = Array.from({ length: 24 * 16 * 9 }, rnd);
    expect(Array.from(conv(c, x, wt).out, (v) => BigInt(v))).toEqual(convBig(x, wt, c)[0]);
  });

  it('rows long enough for the vector im2col paths: strides 1-3, dilations, pads, odd widths, odd K', () => {
    let s = 99;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) - 32768;
    for (const sw of [1, 2, 3]) {
      for (const [kh, kw, dw, pl, pr, w] of [
        [1, 1, 1, 0, 0, 41],
        [3, 3, 1, 1, 1, 40],
        [3, 2, 2, 3, 0, 37],
        [1, 7, 1, 3, 3, 50],
        [2, 3, 1, 0, 2, 33],
      ]) {
        const c: ConvCase = {
          n: 1,
          group: 1,
          cig: 3,
          cog: 2,
          h: 5,
          w: w!,
          kh: kh!,
          kw: kw!,
          sh: 2,
          sw,
          pt: 1,
          pl: pl!,
          pb: 0,
          pr: pr!,
          dh: 1,
          dw: dw!,
          pad: rnd(),
        };
        const x = Array.from({ length: 3 * 5 * c.w }, rnd),
          wt = Array.from({ length: 2 * 3 * c.kh * c.kw }, rnd);
        expect(
          Array.from(conv(c, x, wt).out, (v) => BigInt(v)),
          JSON.stringify(c),
        ).toEqual(wrap(convBig(x, wt, c)[0], 32));
      }
    }
  });

  it('convWide: int32 values, int64 modulo 2^64 (BigInt64Array), accumulate; Float64Array below 2^53', () => {
    fc.assert(
      fc.property(convCaseOf(edgyInt(-(2 ** 31), 2 ** 31 - 1)), fc.boolean(), ([c, x, wt], acc) => {
        const w = prepareConvI32(wt, [c.cog * c.group, c.cig, c.kh, c.kw], c.group);
        const shape = [c.n, c.cig * c.group, c.h, c.w];
        const o = convOutputShape(shape, w, geometry(c));
        const out = new BigInt64Array(o[0] * o[1] * o[2] * o[3]).map((_, i) => (acc ? BigInt(i) << 40n : 0n));
        const prior = Array.from(out);
        convWide(x, shape, w, geometry(c), out, c.pad, acc);
        expect(Array.from(out)).toEqual(
          wrap(
            convBig(x, wt, c)[0].map((v, i) => v + prior[i]!),
            64,
          ),
        );
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(convCaseOf(edgyInt(-(2 ** 20), 2 ** 20)), ([c, x, wt]) => {
        const w = prepareConvI32(wt, [c.cog * c.group, c.cig, c.kh, c.kw], c.group);
        const shape = [c.n, c.cig * c.group, c.h, c.w];
        const o = convOutputShape(shape, w, geometry(c));
        const out = new Float64Array(o[0] * o[1] * o[2] * o[3]);
        convWide(Float64Array.from(x), shape, w, geometry(c), out, c.pad);
        expect(Array.from(out, (v) => BigInt(v))).toEqual(convBig(x, wt, c)[0]);
      }),
      { numRuns: 100 },
    );
  });

  it('convF64 == the scalar double loop bit for bit (signed zeros, subnormals, infinities, NaN, padded taps)', () => {
    const dbl = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 2 ** -1074, 2 ** 1023, Infinity, -Infinity, Number.NaN) },
      { weight: 4, arbitrary: fc.double() },
      { weight: 4, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
    );
    fc.assert(
      fc.property(convCaseOf(dbl), fc.boolean(), ([c, x, wt], acc) => {
        const w = prepareConvF64(wt, [c.cog * c.group, c.cig, c.kh, c.kw], c.group);
        const shape = [c.n, c.cig * c.group, c.h, c.w];
        const o = convOutputShape(shape, w, geometry(c));
        const out = new Float64Array(o[0] * o[1] * o[2] * o[3]).map((_, i) => (acc ? i * 0.1 - 1 : 0));
        const want = convF64Scalar(x, wt, c, acc ? Array.from(out) : undefined);
        convF64(Float64Array.from(x), shape, w, geometry(c), out, c.pad, acc);
        const bad = want.flatMap((v, i) => (Object.is(out[i], v) ? [] : [`element ${i}: ${out[i]} vs ${v}`]));
        expect(bad).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects inconsistent shapes and geometry with a RangeError', () => {
    expect(() => prepareConvI16(new Array(12).fill(0), [3, 1, 2, 2], 2)).toThrow(/group 2 must be a positive divisor of Cout=3/);
    const w = prepareConvI16(new Array(4).fill(1), [1, 1, 2, 2]);
    expect(() => convI16(new Array(9).fill(0), [1, 2, 3, 3], w, {}, new Int32Array(4))).toThrow(
      /input has 2 channels, the weights expect 1/,
    );
    expect(() => convI16([0], [1, 1, 1, 1], w, {}, new Int32Array(1))).toThrow(/does not fit the padded input/);
    expect(() => convI16(new Array(9).fill(0), [1, 1, 3, 3], w, { strides: [0, 1] }, new Int32Array(4))).toThrow(
      /strides and dilations must be positive/,
    );
  });
});
