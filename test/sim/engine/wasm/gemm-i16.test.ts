import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmI16, packWeightsI16 } from '../../../../src/sim/engine/wasm/index.js';
import { edgyInt, gemmCase, transpose } from './arbitraries.js';
import { gemmBig, wrap } from './oracle.js';

const i16 = edgyInt(-32768, 32767);

function run(
  a: number[],
  b: number[],
  M: number,
  K: number,
  N: number,
  layout: 'kn' | 'nk' = 'kn',
  c0?: number[],
  bias?: number[],
): bigint[] {
  const packed = packWeightsI16(layout === 'kn' ? b : transpose(b, K, N), K, N, { layout, bias });
  const out = new Int32Array(c0 ?? M * N);
  gemmI16(Int16Array.from(a), M, K, packed, out, c0 !== undefined);
  return Array.from(out, BigInt);
}

describe('gemmI16: int16 x int16, int32 accumulation, == bigint oracle modulo 2^32', () => {
  it('random shapes (tile edges, K=1, N=1) and edge values', () => {
    fc.assert(
      fc.property(gemmCase(i16), ({ M, K, N, a, b }) => {
        expect(run(a, b, M, K, N)).toEqual(wrap(gemmBig(a, b, M, K, N), 32));
      }),
      { numRuns: 300 },
    );
  });

  it('accumulates into C, adds a per-column bias, takes N x K weights', () => {
    fc.assert(
      fc.property(gemmCase(i16), fc.boolean(), fc.boolean(), ({ M, K, N, a, b, c0 }, acc, withBias) => {
        const c = c0.map((v) => v * 65536 + v);
        const bias = withBias ? Array.from({ length: N }, (_, j) => c[j % c.length]! ^ 0x5555) : undefined;
        const start = c.map((v, i) => (acc ? BigInt(v) : 0n) + BigInt(bias ? bias[i % N]! : 0));
        expect(run(a, b, M, K, N, 'nk', acc ? c : undefined, bias)).toEqual(wrap(gemmBig(a, b, M, K, N, start), 32));
      }),
      { numRuns: 150 },
    );
  });

  it('sums reaching +(2^31 - 1) and -2^31 exactly, and 2^31 wrapping to -2^31', () => {
    // 2 * 32767^2 + 32767 * 4 + 1 = 2^31 - 1; 2 * (-32768 * 32767) - 32768 * 2 = -2^31; 2 * (-32768)^2 = 2^31.
    const cases: [number[], number[], bigint][] = [
      [[32767, 32767, 32767, 1], [32767, 32767, 4, 1], 2147483647n],
      [[-32768, -32768, -32768], [32767, 32767, 2], -2147483648n],
      [[-32768, -32768], [-32768, -32768], -2147483648n],
    ];
    for (const [a, b, want] of cases) {
      for (const M of [1, 2, 3]) {
        const A = Array.from({ length: M }, () => a).flat();
        expect(run(A, b, M, a.length, 1)).toEqual(Array(M).fill(want));
      }
    }
  });

  it('Float64Array operands and output, 67 x 301 x 53 (several panels, odd K)', () => {
    const [M, K, N] = [67, 301, 53];
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 65536) - 32768;
    const a = Array.from({ length: M * K }, rnd),
      b = Array.from({ length: K * N }, rnd);
    const out = new Float64Array(M * N);
    gemmI16(Float64Array.from(a), M, K, packWeightsI16(Float64Array.from(b), K, N), out);
    expect(Array.from(out, (v) => BigInt(v))).toEqual(wrap(gemmBig(a, b, M, K, N), 32));
  });

  it('every int16 value crosses in and out of a Float64Array exactly (x 1, x -1 with a bias)', () => {
    const all = Float64Array.from({ length: 65536 }, (_, i) => i - 32768);
    const out = new Float64Array(65536 * 2);
    gemmI16(all, 65536, 1, packWeightsI16([1, -1], 1, 2, { bias: [0, 2 ** 31 - 1 - 32768] }), out);
    const bad: number[] = [];
    for (let i = 0; i < 65536; i++) if (out[2 * i] !== i - 32768 || out[2 * i + 1] !== 2 ** 31 - 1 - i) bad.push(i - 32768);
    expect(bad, 'int16 values that did not cross exactly').toEqual([]);
  });

  it('rejects weights outside int16 and mismatched shapes with a RangeError naming the value', () => {
    expect(() => packWeightsI16([1, 32768], 1, 2)).toThrow(/32768 is not an integer in \[-32768, 32767\]/);
    expect(() => packWeightsI16([1.5], 1, 1)).toThrow(RangeError);
    expect(() => packWeightsI16([1, 2, 3], 2, 2)).toThrow(/expected 2\*2 = 4 weights, got 3/);
    expect(() => packWeightsI16([1, 2], 1, 2, { bias: [0, 2 ** 31] })).toThrow(/bias 1 = 2147483648 is not an integer/);
    expect(() => packWeightsI16([1, 2], 1, 2, { bias: [0] })).toThrow(/expected 2 bias values, got 1/);
    const p = packWeightsI16([1, 2], 2, 1);
    expect(() => gemmI16(new Int16Array(3), 1, 3, p, new Int32Array(1))).toThrow(/K=3 columns but the packed weights have K=2/);
    expect(() => gemmI16(new Int16Array(2), 1, 2, p, new Int32Array(2))).toThrow(/out must hold M\*N = 1 values, got 2/);
  });
});
