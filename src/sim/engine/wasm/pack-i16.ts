import { checkShape, int32Bias, weightAt, type Packed, type PackOptions } from './packed.js';

/** Columns per panel of the int16 kernel (its 2x16 register tile). */
export const NR_I16 = 16;

export interface PackedI16 extends Packed<'i16'> {
  /** bias[n] per output column, padded with 0 to whole panels; every output starts from it. */
  readonly bias?: Int32Array;
}

export interface PackI16Options extends PackOptions {
  /** One int32 per output column n (integers in [-2^31, 2^31), checked). */
  readonly bias?: ArrayLike<number>;
}

/** K rounded up to even: the kernel consumes k in pairs. */
export function pairDepth(K: number): number {
  return K + (K & 1);
}

/**
 * Packs a K x N int16 weight matrix for gemmI16: panels of 16 columns, each
 * k-pair p of panel q at element offset q*Kp*16 + p*32 holding, for column
 * c = 0..15, B[2p, 16q+c] then B[2p+1, 16q+c] (Kp = K rounded up to even;
 * rows and columns past the matrix are 0). Every weight must be an integer in
 * [-32768, 32767] (checked: RangeError otherwise). With `bias`, gemmI16 adds
 * bias[n] to every output of column n.
 */
export function packWeightsI16(w: ArrayLike<number>, K: number, N: number, opts: PackI16Options = {}): PackedI16 {
  checkShape('packWeightsI16', w, K, N);
  const layout = opts.layout ?? 'kn';
  const Kp = pairDepth(K),
    panels = Math.ceil(N / NR_I16);
  const data = new Int16Array(panels * Kp * NR_I16);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const v = weightAt(w, K, N, layout, k, n);
      if (!Number.isInteger(v) || v < -32768 || v > 32767) {
        throw new RangeError(`packWeightsI16: weight (k=${k}, n=${n}) = ${v} is not an integer in [-32768, 32767]`);
      }
      const q = Math.floor(n / NR_I16),
        c = n % NR_I16;
      data[q * Kp * NR_I16 + (k >> 1) * 2 * NR_I16 + c * 2 + (k & 1)] = v;
    }
  }
  const bias = opts.bias && int32Bias('packWeightsI16', opts.bias, N, panels * NR_I16);
  return bias ? { kind: 'i16', K, N, data, bias } : { kind: 'i16', K, N, data };
}
