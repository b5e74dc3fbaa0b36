/*
 * Wide exact integer GEMM: int32 operands, int64 accumulation:
 * C[i,j] = C0[i,j] + sum_k A[i,k] * B[k,j] in int64 two's-complement
 * arithmetic. `i64x2.extmul_{low,high}_i32x4_s` form each product exactly
 * (|a*b| <= 2^62) and `i64x2.add` wraps modulo 2^64, so every output is the
 * true sum reduced modulo 2^64: exact whenever the true value lies in int64.
 *
 * Layouts (byte pointers):
 * - A: row-major int32, row stride lda elements.
 * - packed B: panels of 8 columns; panel q, row k holds B[k, 8q..8q+7] as 8
 *   int32 at byte q*K*32 + k*32; columns past N are 0.
 * - C: row-major int64, row stride ldc elements.
 */

const TILE: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline function rowStore(c: usize, t: usize, cols: i32, add: bool, x0: v128, x1: v128, x2: v128, x3: v128): void {
  if (cols == 8) {
    if (add) {
      x0 = i64x2.add(x0, v128.load(c)); x1 = i64x2.add(x1, v128.load(c, 16));
      x2 = i64x2.add(x2, v128.load(c, 32)); x3 = i64x2.add(x3, v128.load(c, 48));
    }
    v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
    return;
  }
  v128.store(t, x0); v128.store(t, x1, 16); v128.store(t, x2, 32); v128.store(t, x3, 48);
  for (let j = 0; j < cols; j++) {
    const o = <usize>j << 3;
    store<i64>(c + o, (add ? load<i64>(c + o) : 0) + load<i64>(t + o));
  }
}

/** Two rows of A against one 8-column panel: 8 accumulators of 2 int64 lanes. */
function tile2(a: usize, lda: i32, b: usize, k: i32, c: usize, ldc: i32, cols: i32, add: bool): void {
  let a0 = a, a1 = a + (<usize>lda << 2), pb = b;
  let c00 = i64x2.splat(0), c01 = c00, c02 = c00, c03 = c00;
  let c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  for (let p = 0; p < k; p++) {
    const x0 = v128.load32_splat(a0), x1 = v128.load32_splat(a1);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    c00 = i64x2.add(c00, i64x2.extmul_low_i32x4_s(x0, b0)); c01 = i64x2.add(c01, i64x2.extmul_high_i32x4_s(x0, b0));
    c02 = i64x2.add(c02, i64x2.extmul_low_i32x4_s(x0, b1)); c03 = i64x2.add(c03, i64x2.extmul_high_i32x4_s(x0, b1));
    c10 = i64x2.add(c10, i64x2.extmul_low_i32x4_s(x1, b0)); c11 = i64x2.add(c11, i64x2.extmul_high_i32x4_s(x1, b0));
    c12 = i64x2.add(c12, i64x2.extmul_low_i32x4_s(x1, b1)); c13 = i64x2.add(c13, i64x2.extmul_high_i32x4_s(x1, b1));
    a0 += 4; a1 += 4; pb += 32;
  }
  rowStore(c, TILE, cols, add, c00, c01, c02, c03);
  rowStore(c + (<usize>ldc << 3), TILE + 64, cols, add, c10, c11, c12, c13);
}

function tile1(a: usize, b: usize, k: i32, c: usize, cols: i32, add: bool): void {
  let a0 = a, pb = b;
  let c00 = i64x2.splat(0), c01 = c00, c02 = c00, c03 = c00;
  for (let p = 0; p < k; p++) {
    const x0 = v128.load32_splat(a0);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    c00 = i64x2.add(c00, i64x2.extmul_low_i32x4_s(x0, b0)); c01 = i64x2.add(c01, i64x2.extmul_high_i32x4_s(x0, b0));
    c02 = i64x2.add(c02, i64x2.extmul_low_i32x4_s(x0, b1)); c03 = i64x2.add(c03, i64x2.extmul_high_i32x4_s(x0, b1));
    a0 += 4; pb += 32;
  }
  rowStore(c, TILE, cols, add, c00, c01, c02, c03);
}

/** C (=|+=) A x packed B: M rows, depth K, N columns, rows in blocks of mc (even). */
export function gemm_i64(a: usize, lda: i32, m: i32, k: i32, b: usize, n: i32, c: usize, ldc: i32, mc: i32, add: i32): void {
  const panel = <usize>k << 5;
  const acc = add != 0;
  for (let i0 = 0; i0 < m; i0 += mc) {
    const i1 = min(m, i0 + mc);
    for (let j = 0; j < n; j += 8) {
      const pb = b + <usize>(j >> 3) * panel;
      const cols = min(8, n - j);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        tile2(a + (<usize>(i * lda) << 2), lda, pb, k, c + (<usize>(i * ldc + j) << 3), ldc, cols, acc);
      }
      if (i < i1) tile1(a + (<usize>(i * lda) << 2), pb, k, c + (<usize>(i * ldc + j) << 3), cols, acc);
    }
  }
}

/**
 * Converts n int64 values to float64 in place (same 8-byte slots). Returns how
 * many had |v| > 2^53, where the conversion would round (those are left as the
 * rounded double; the caller treats a nonzero count as a broken bound).
 */
export function i64_to_f64(p: usize, n: i32): i32 {
  let over = 0;
  for (let i = 0; i < n; i++) {
    const q = p + (<usize>i << 3);
    const v = load<i64>(q);
    if (v > 9007199254740992 || v < -9007199254740992) over++;
    store<f64>(q, <f64>v);
  }
  return over;
}
