import { alloc, i32View, release } from './heap.js';
import { readI32, stageBytes, writeI16 } from './transfer.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';
import { pairDepth, type PackedI16 } from './pack-i16.js';

/** Bytes of A kept in L2 while panels of B sweep over it (Zen 3: 512 KiB L2 per core). */
const A_BLOCK_BYTES = 192 * 1024;

/** Rows of A per block (even, at least 2) for rows of `rowBytes` bytes. */
export function rowBlock(rowBytes: number): number {
  return Math.max(2, Math.floor(A_BLOCK_BYTES / rowBytes) & ~1);
}

/** Checks the shape arguments of a GEMM call. */
export function checkGemm(what: string, aLen: number, M: number, K: number, packed: { K: number; N: number }, outLen: number): void {
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`${what}: M must be a positive integer, got ${M}`);
  if (K !== packed.K) throw new RangeError(`${what}: A has K=${K} columns but the packed weights have K=${packed.K} rows`);
  if (aLen !== M * K) throw new RangeError(`${what}: A must hold M*K = ${M * K} values, got ${aLen}`);
  if (outLen !== M * packed.N) throw new RangeError(`${what}: out must hold M*N = ${M * packed.N} values, got ${outLen}`);
}

/**
 * C = bias + A x B (or C += bias + A x B with `accumulate`; bias is the packed
 * weights' per-column bias, or 0), A row-major M x K, C row-major M x N, in
 * int32 two's-complement arithmetic: every output is the exact integer sum
 * (plus the bias, plus C's prior value when accumulating) reduced modulo 2^32
 * into [-2^31, 2^31). It is exact when that true value lies in int32, which
 * the caller guarantees from its worst-case bound (e.g. sum_k |A[i,k]| |B[k,j]|
 * + |C0| <= 2^31 - 1); partial sums may leave the range without harm.
 * A's values must be integers in [-32768, 32767] (the caller guarantees it;
 * see writeI16 for what other values become). `out` may be an Int32Array or a
 * Float64Array (values converted exactly).
 */
export function gemmI16(
  a: ArrayLike<number>,
  M: number,
  K: number,
  packed: PackedI16,
  out: Int32Array | Float64Array,
  accumulate = false,
): void {
  checkGemm('gemmI16', a.length, M, K, packed, out.length);
  const N = packed.N,
    Kp = pairDepth(K);
  const bAt = residentAt(packed.data);
  const cOff = Math.ceil((M * K * 2) / 16) * 16,
    stage = cOff + Math.ceil((M * N * 4) / 16) * 16;
  const blk = alloc(stage + stageBytes(a, M * K, out, M * N), false);
  writeI16(a, blk.at, M * K, blk.at + stage);
  if (accumulate) i32View(blk.at + cOff, M * N).set(out);
  const biasAt = packed.bias ? residentAt(packed.bias) : 0;
  kernels().gemm_i16(blk.at, K, M, Kp, bAt, N, blk.at + cOff, N, rowBlock(K * 2), accumulate ? 1 : 0, biasAt, packed.bias ? 1 : 0);
  readI32(blk.at + cOff, M * N, out, blk.at + stage);
  release(blk);
}
