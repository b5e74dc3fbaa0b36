import type * as tfTypes from '@tensorflow/tfjs';
import type { DataSplit, Dataset } from '../datasets/types.js';
import type { Rng } from '../../random.js';
import type { Tf } from './tf.js';

/**
 * The input normalization a trained model applies as its first graph nodes:
 * normalized = x * mul - sub. Non-negative data in [0, inputScale] maps to
 * [-1, 1] (mul = 2/inputScale, sub = 1: for digits 0.125 and 1, both exact
 * and powers of two); data with negative values is divided by its largest
 * magnitude (sub = 0).
 */
export interface Normalization {
  mul: number;
  sub: number;
}

export function defaultNormalization(ds: Dataset): Normalization {
  let min = Infinity;
  for (let i = 0; i < ds.train.x.length; i++) min = Math.min(min, ds.train.x[i]!);
  return min >= 0 ? { mul: 2 / ds.inputScale, sub: 1 } : { mul: 1 / ds.inputScale, sub: 0 };
}

/** Normalized samples, float32 (the float64 value x*mul - sub rounded once), NHWC for images. */
export function normalizedNhwc(split: DataSplit, shape: readonly number[], norm: Normalization): Float32Array {
  const x = new Float32Array(split.x.length);
  const f = (v: number): number => v * norm.mul - norm.sub;
  if (shape.length !== 3) {
    for (let i = 0; i < x.length; i++) x[i] = f(split.x[i]!);
    return x;
  }
  const [C, H, W] = shape as [number, number, number];
  const per = C * H * W;
  for (let n = 0; n < split.count; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          x[n * per + (h * W + w) * C + c] = f(split.x[n * per + (c * H + h) * W + w]!);
        }
  return x;
}

export function toTensor(tf: Tf, x: Float32Array, count: number, shape: readonly number[]): tfTypes.Tensor {
  return shape.length === 3 ? tf.tensor4d(x, [count, shape[1]!, shape[2]!, shape[0]!]) : tf.tensor2d(x, [count, shape[0]!]);
}

/** A standard normal deviate (Box-Muller on two seeded uniforms). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * A mini-batch of normalized samples (rows `idx`), with optional seeded
 * Gaussian input noise of standard deviation `noise` (training augmentation).
 */
export function makeBatch(x: Float32Array, idx: Int32Array, per: number, noise: number, rng: Rng): Float32Array {
  const out = new Float32Array(idx.length * per);
  idx.forEach((i, b) => out.set(x.subarray(i * per, (i + 1) * per), b * per));
  if (noise > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! + noise * gaussian(rng);
  return out;
}
