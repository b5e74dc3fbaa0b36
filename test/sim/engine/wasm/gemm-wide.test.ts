import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmF64, gemmWide, packWeightsF64, packWeightsI32 } from '../../../../src/sim/engine/wasm/index.js';
import { edgyInt, gemmCase, transpose } from './arbitraries.js';
import { gemmBig, gemmF64Scalar, wrap } from './oracle.js';

const i32 = edgyInt(-2147483648, 2147483647);

describe('gemmWide: int32 x int32, int64 accumulation, == bigint oracle modulo 2^64', () => {
  it('BigInt64Array output, random shapes and edge values (products up to 2^62, sums wrapping)', () => {
    fc.assert(
      fc.property(gemmCase(i32), fc.boolean(), ({ M, K, N, a, b, c0 }, acc) => {
        const out = acc ? BigInt64Array.from(c0.map((v) => BigInt(v) << 31n)) : new BigInt64Array(M * N);
        const prior = Array.from(out);
        gemmWide(Int32Array.from(a), M, K, packWeightsI32(transpose(b, K, N), K, N, { layout: 'nk' }), out, acc);
        expect(Array.from(out)).toEqual(wrap(gemmBig(a, b, M, K, N, acc ? prior : undefined), 64));
      }),
      { numRuns: 200 },
    );
  });

  it('Float64Array output is exact up to 2^53 and refuses results beyond', () => {
    const small = edgyInt(-(2 ** 20), 2 ** 20);
    fc.assert(
      fc.property(gemmCase(small), ({ M, K, N, a, b }) => {
        const out = new Float64Array(M * N);
        gemmWide(a, M, K, packWeightsI32(b, K, N), out);
        expect(Array.from(out, BigInt)).toEqual(gemmBig(a, b, M, K, N));
      }),
      { numRuns: 150 },
    );
    // 2^26 * 2^27 = 2^53 is allowed, one more is not.
    const at = new Float64Array(1);
    gemmWide([2 ** 26], 1, 1, packWeightsI32([2 ** 27], 1, 1), at);
    expect(at[0]).toBe(2 ** 53);
    expect(() => gemmWide([2 ** 26, 1], 1, 2, packWeightsI32([2 ** 27, 1], 2, 1), at)).toThrow(/1 results exceed 2\^53/);
    expect(() => packWeightsI32([2 ** 31], 1, 1)).toThrow(/2147483648 is not an integer in \[-2\^31, 2\^31\)/);
  });
});

describe('gemmF64: float64, products and sums rounded at each step, k increasing', () => {
  const dbl = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 2 ** -1074, -(2 ** -1074), 2 ** 1023, Infinity, -Infinity, Number.NaN) },
    { weight: 4, arbitrary: fc.double() },
    { weight: 4, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  );
  it('== the scalar loop bit for bit (signed zeros, subnormals, overflow, NaN)', () => {
    fc.assert(
      fc.property(gemmCase(dbl), fc.boolean(), ({ M, K, N, a, b, c0 }, acc) => {
        const out = acc ? Float64Array.from(c0) : new Float64Array(M * N);
        gemmF64(Float64Array.from(a), M, K, packWeightsF64(b, K, N), out, acc);
        const want = gemmF64Scalar(a, b, M, K, N, acc ? c0 : undefined);
        const bad = want.flatMap((v, i) => (Object.is(out[i], v) ? [] : [`element ${i}: ${out[i]} vs ${v}`]));
        expect(bad).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
