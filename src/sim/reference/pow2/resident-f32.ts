import type { ConvLayer, DenseLayer } from '../../quantize/model.js';
import type { ReferenceMemory } from '../wasm/resident.js';
import type { LinearReal } from './linear.js';
import { convGeometry } from './resident.js';

/*
 * Dense and conv steps of the resident pow2 reference in float32, for layers
 * whose products and partial sums are all exact in float32 (exactInF32,
 * exact-f32.ts): the same sums as the float64 steps, in the same order, each
 * step exact, so the same values; outputs float64, before quantization.
 */

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Dense y = b + x * w^T in float32 for `batch` samples: (x, y, batch) byte offsets of float64 tensors. */
export function denseStepF32(mem: ReferenceMemory, l: DenseLayer, p: LinearReal, chunk: number) {
  const [N, K] = l.weights.shape as [number, number];
  const wt = new Float32Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = p.w[n * K + k]!;
  const wAt = mem.put(wt),
    bAt = mem.put(Float32Array.from(p.b));
  const rowsPer = size(l.shape) / N;
  mem.needScratch(align16(chunk * rowsPer * K * 4) + chunk * rowsPer * N * 4);
  return (x: number, y: number, batch: number) => mem.k.dense_f32(x, batch * rowsPer, K, wAt, bAt, N, mem.scratch, y);
}

/** Conv y = b + w * x in float32 (conv_f64's geometry and order) for `batch` samples. */
export function convStepF32(mem: ReferenceMemory, l: ConvLayer, p: LinearReal, inShape: readonly number[]) {
  const geo = convGeometry(l, inShape);
  const [C, , , M, group, OH, OW, KK, PH, PW] = Array.from(geo) as number[];
  const geoAt = mem.put(geo),
    wAt = mem.put(Float32Array.from(p.w)),
    bAt = mem.put(Float32Array.from(p.b)),
    padAt = mem.put(new Float32Array(PH! * PW!));
  const P = OH! * OW!;
  mem.needScratch(align16((C! / group!) * KK! * P * 4) + (M! / group!) * P * 4);
  return (x: number, y: number, batch: number) => mem.k.conv_f32(x, batch, geoAt, wAt, bAt, padAt, mem.scratch, y);
}
