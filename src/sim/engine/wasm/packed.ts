import { alloc, release, type Block } from './heap.js';
import { kernels } from './module.js';

/** How a weight matrix of K rows (reduction) and N columns (outputs) is laid out in the caller's array. */
export type WeightLayout = 'kn' | 'nk';

/**
 * Weights packed once for one kernel family, as plain data (a worker can
 * receive it through postMessage; each thread uploads its own copy into its
 * kernel memory on first use and frees it when the object is collected).
 */
export interface Packed<T extends 'i16' | 'i32' | 'f64'> {
  readonly kind: T;
  /** Reduction depth and output columns of B. */
  readonly K: number;
  readonly N: number;
  /** The packed bytes, in the layout the kernel of `kind` documents. */
  readonly data: T extends 'i16' ? Int16Array : T extends 'i32' ? Int32Array : Float64Array;
}

/** Element (k, n) of a K x N matrix stored in `layout`. */
export function weightAt(w: ArrayLike<number>, K: number, N: number, layout: WeightLayout, k: number, n: number): number {
  return layout === 'kn' ? w[k * N + n]! : w[n * K + k]!;
}

/** Options of the pack functions. */
export interface PackOptions {
  /** How `w` holds the K x N matrix: 'kn' row-major K x N (default), 'nk' row-major N x K. */
  readonly layout?: WeightLayout;
}

/** Copies an int32 bias (integers in [-2^31, 2^31), checked) into `length` slots, the rest 0. */
export function int32Bias(what: string, bias: ArrayLike<number>, n: number, length: number): Int32Array {
  if (bias.length !== n) throw new RangeError(`${what}: expected ${n} bias values, got ${bias.length}`);
  const out = new Int32Array(length);
  for (let i = 0; i < n; i++) {
    const v = bias[i]!;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
      throw new RangeError(`${what}: bias ${i} = ${v} is not an integer in [-2^31, 2^31)`);
    out[i] = v;
  }
  return out;
}

/** Checks the shape arguments of a pack call. */
export function checkShape(what: string, w: ArrayLike<number>, K: number, N: number): void {
  if (!Number.isInteger(K) || !Number.isInteger(N) || K < 1 || N < 1) {
    throw new RangeError(`${what}: K and N must be positive integers, got K=${K}, N=${N}`);
  }
  if (w.length !== K * N) throw new RangeError(`${what}: expected ${K}*${N} = ${K * N} weights, got ${w.length}`);
}

const resident = new WeakMap<object, Block>();
const freed = new FinalizationRegistry<Block>((b) => release(b));

/**
 * Byte offset of `data` in this thread's kernel memory, uploading it on first
 * use. The block lives as long as `data` does.
 */
export function residentAt(data: Int16Array | Int32Array | Float32Array | Float64Array): number {
  const have = resident.get(data);
  if (have) return have.at;
  const b = alloc(data.byteLength, false);
  new Uint8Array(kernels().memory.buffer, b.at, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  resident.set(data, b);
  freed.register(data, b);
  return b.at;
}
