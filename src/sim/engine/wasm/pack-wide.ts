import { checkShape, weightAt, type Packed, type PackOptions, type WeightLayout } from './packed.js';

/** Columns per panel of the int64 and float64 kernels (their 2x8 register tiles). */
export const NR_WIDE = 8;

export type PackedI32 = Packed<'i32'>;
export type PackedF64 = Packed<'f64'>;

/** Panels of 8 columns; panel q, row k at element offset q*K*8 + k*8; columns past N are 0. */
function packPanels8(w: ArrayLike<number>, K: number, N: number, layout: WeightLayout, dst: Int32Array | Float64Array): void {
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      dst[Math.floor(n / NR_WIDE) * K * NR_WIDE + k * NR_WIDE + (n % NR_WIDE)] = weightAt(w, K, N, layout, k, n);
    }
  }
}

/**
 * Packs a K x N int32 weight matrix for gemmWide. Every weight must be an
 * integer in [-2^31, 2^31) (checked: RangeError otherwise).
 */
export function packWeightsI32(w: ArrayLike<number>, K: number, N: number, opts: PackOptions = {}): PackedI32 {
  checkShape('packWeightsI32', w, K, N);
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(`packWeightsI32: weight ${i} = ${v} is not an integer in [-2^31, 2^31)`);
    }
  }
  const data = new Int32Array(Math.ceil(N / NR_WIDE) * K * NR_WIDE);
  packPanels8(w, K, N, opts.layout ?? 'kn', data);
  return { kind: 'i32', K, N, data };
}

/** Packs a K x N float64 weight matrix for gemmF64 (any doubles). */
export function packWeightsF64(w: ArrayLike<number>, K: number, N: number, opts: PackOptions = {}): PackedF64 {
  checkShape('packWeightsF64', w, K, N);
  const data = new Float64Array(Math.ceil(N / NR_WIDE) * K * NR_WIDE);
  packPanels8(w, K, N, opts.layout ?? 'kn', data);
  return { kind: 'f64', K, N, data };
}
