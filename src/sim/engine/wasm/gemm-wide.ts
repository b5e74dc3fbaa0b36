import { alloc, f64View, i32View, i64View, release } from './heap.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';
import { checkGemm, rowBlock } from './gemm-i16.js';
import type { PackedF64, PackedI32 } from './pack-wide.js';

/** Prior int64 values (BigInt64Array, or integers |v| <= 2^53 in a Float64Array) into kernel memory at `at`. */
export function writeI64(src: BigInt64Array | Float64Array, at: number): void {
  const dst = i64View(at, src.length);
  if (src instanceof BigInt64Array) dst.set(src);
  else for (let i = 0; i < src.length; i++) dst[i] = BigInt(src[i]!);
}

/**
 * int64 results at `at` into `out`: copied to a BigInt64Array, or converted in
 * place to doubles for a Float64Array; returns how many exceeded 2^53 in
 * magnitude (converted to the nearest double).
 */
export function readI64(at: number, out: BigInt64Array | Float64Array): number {
  if (out instanceof BigInt64Array) {
    out.set(i64View(at, out.length));
    return 0;
  }
  const over = kernels().i64_to_f64(at, out.length);
  out.set(f64View(at, out.length));
  return over;
}

/**
 * C = A x B (or C += A x B with `accumulate`) with int32 operands and int64
 * accumulation, A row-major M x K, C row-major M x N: every output is the
 * true sum (plus C's prior value) reduced modulo 2^64, so it is exact when
 * that value lies in int64 (partial sums may leave the range).
 * - out: BigInt64Array: the int64 results.
 * - out: Float64Array: exact when every |result| <= 2^53 (the caller's bound);
 *   a result beyond 2^53 throws a RangeError (the bound was wrong) after
 *   `out` is written with the nearest doubles. Accumulating reads its prior
 *   values as integers (they must be integers with |v| <= 2^53).
 * A's values must be integers in [-2^31, 2^31): an Int32Array holds only
 * those; other arrays are converted as TypedArray.set does (ToInt32).
 */
export function gemmWide(
  a: ArrayLike<number>,
  M: number,
  K: number,
  packed: PackedI32,
  out: BigInt64Array | Float64Array,
  accumulate = false,
): void {
  checkGemm('gemmWide', a.length, M, K, packed, out.length);
  const N = packed.N,
    k = kernels();
  const bAt = residentAt(packed.data);
  const cOff = Math.ceil((M * K * 4) / 16) * 16;
  const blk = alloc(cOff + M * N * 8, false);
  i32View(blk.at, M * K).set(a);
  const c = blk.at + cOff;
  if (accumulate) writeI64(out, c);
  k.gemm_i64(blk.at, K, M, K, bAt, N, c, N, rowBlock(K * 4), accumulate ? 1 : 0);
  const over = readI64(c, out);
  release(blk);
  if (over > 0) throw new RangeError(`gemmWide: ${over} results exceed 2^53 in magnitude; use a BigInt64Array output`);
}

/**
 * C = A x B (or C += A x B) in float64, A row-major M x K: each output is
 * `s = C0 (or +0); for k = 0..K-1: s = s + A[i,k] * B[k,j]` evaluated in
 * IEEE-754 double precision, product rounded then sum rounded at every step
 * (no fused multiply-add), bit for bit; NaN payloads are unspecified.
 */
export function gemmF64(a: ArrayLike<number>, M: number, K: number, packed: PackedF64, out: Float64Array, accumulate = false): void {
  checkGemm('gemmF64', a.length, M, K, packed, out.length);
  const N = packed.N;
  const bAt = residentAt(packed.data);
  const cOff = M * K * 8;
  const blk = alloc(cOff + M * N * 8, false);
  f64View(blk.at, M * K).set(a);
  if (accumulate) f64View(blk.at + cOff, M * N).set(out);
  kernels().gemm_f64(blk.at, K, M, K, bAt, N, blk.at + cOff, N, rowBlock(K * 8), accumulate ? 1 : 0);
  out.set(f64View(blk.at + cOff, M * N));
  release(blk);
}
