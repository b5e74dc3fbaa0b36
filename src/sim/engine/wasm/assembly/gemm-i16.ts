/*
 * Exact integer GEMM on int16 operands: C[i,j] = C0[i,j] + sum_k A[i,k] * B[k,j]
 * in int32 two's-complement arithmetic (wrapping), so every output equals the
 * true sum reduced modulo 2^32 into [-2^31, 2^31): exact whenever the true
 * value lies in int32, whatever the partial sums or the order.
 *
 * `i32x4.dot_i16x8_s` multiplies eight int16 pairs exactly (each product
 * fits in 31 bits) and adds adjacent products modulo 2^32, so one instruction
 * does eight multiply-accumulates on k and k+1 at once.
 *
 * Layouts (byte pointers into linear memory):
 * - A: row-major int16, row stride lda elements; row i holds A[i,0..K). When K
 *   is odd the last pair also reads the element after A[i,K-1] (the next row,
 *   or 2 bytes past the end: the caller leaves them readable); it meets a zero
 *   row of packed B, so it never counts.
 * - packed B (see packed-layout in the host): Kp = K rounded up to even, panels
 *   of 16 columns; panel q, k-pair p holds 32 int16 at byte
 *   q*Kp*32 + p*64: for column c = 0..15 of the panel, B[2p, 16q+c] then
 *   B[2p+1, 16q+c]. Pad rows and columns are 0.
 * - C: row-major int32, row stride ldc elements.
 * - bias (int32, optional): biasMode 1 adds bias[j] to column j (one value per
 *   column, the array padded to whole panels), 2 adds bias[i] to row i; the
 *   accumulators start from it, so it is one more term of the modular sum.
 */

/** 2x16 tile spill area for the last, partial panel. */
const TILE: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline function rowStore(c: usize, t: usize, cols: i32, add: bool, x0: v128, x1: v128, x2: v128, x3: v128): void {
  if (cols == 16) {
    if (add) {
      x0 = i32x4.add(x0, v128.load(c)); x1 = i32x4.add(x1, v128.load(c, 16));
      x2 = i32x4.add(x2, v128.load(c, 32)); x3 = i32x4.add(x3, v128.load(c, 48));
    }
    v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
    return;
  }
  v128.store(t, x0); v128.store(t, x1, 16); v128.store(t, x2, 32); v128.store(t, x3, 48);
  for (let j = 0; j < cols; j++) {
    const o = <usize>j << 2;
    store<i32>(c + o, (add ? load<i32>(c + o) : 0) + load<i32>(t + o));
  }
}

/** Two rows of A against one 16-column panel: 8 accumulators of 4 lanes, starting from the bias. */
function tile2(a: usize, lda: i32, b: usize, pairs: i32, c: usize, ldc: i32, cols: i32, add: bool, bias: usize, mode: i32): void {
  let a0 = a, a1 = a + (<usize>lda << 1), pb = b;
  let c00 = i32x4.splat(0), c01 = c00, c02 = c00, c03 = c00;
  if (mode == 1) {
    c00 = v128.load(bias); c01 = v128.load(bias, 16); c02 = v128.load(bias, 32); c03 = v128.load(bias, 48);
  } else if (mode == 2) {
    c00 = v128.load32_splat(bias); c01 = c00; c02 = c00; c03 = c00;
  }
  let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
  if (mode == 2) {
    c10 = v128.load32_splat(bias, 4); c11 = c10; c12 = c10; c13 = c10;
  }
  for (let p = 0; p < pairs; p++) {
    const x0 = v128.load32_splat(a0), x1 = v128.load32_splat(a1);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, b1));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, b2)); c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, b3));
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, b1));
    c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x1, b2)); c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x1, b3));
    a0 += 4; a1 += 4; pb += 64;
  }
  rowStore(c, TILE, cols, add, c00, c01, c02, c03);
  rowStore(c + (<usize>ldc << 2), TILE + 64, cols, add, c10, c11, c12, c13);
}

/** The last row of an odd M against one panel. */
function tile1(a: usize, b: usize, pairs: i32, c: usize, cols: i32, add: bool, bias: usize, mode: i32): void {
  let a0 = a, pb = b;
  let c00 = i32x4.splat(0), c01 = c00, c02 = c00, c03 = c00;
  if (mode == 1) {
    c00 = v128.load(bias); c01 = v128.load(bias, 16); c02 = v128.load(bias, 32); c03 = v128.load(bias, 48);
  } else if (mode == 2) {
    c00 = v128.load32_splat(bias); c01 = c00; c02 = c00; c03 = c00;
  }
  for (let p = 0; p < pairs; p++) {
    const x0 = v128.load32_splat(a0);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, v128.load(pb)));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, v128.load(pb, 16)));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, v128.load(pb, 32)));
    c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, v128.load(pb, 48)));
    a0 += 4; pb += 64;
  }
  rowStore(c, TILE, cols, add, c00, c01, c02, c03);
}

/**
 * C (=|+=) A x packed B for M rows, Kp (even) depth, N columns. Rows are taken
 * in blocks of `mc` (even) so a block of A stays in L2 while each 16-column
 * panel of B (Kp*32 bytes, L1-sized for Kp <= 1024) is swept over it.
 * add != 0: accumulate into C (an earlier K slice, or any C0); else overwrite.
 */
export function gemm_i16(
  a: usize, lda: i32, m: i32, kp: i32, b: usize, n: i32, c: usize, ldc: i32, mc: i32, add: i32, bias: usize, biasMode: i32,
): void {
  const pairs = kp >> 1;
  const panel = <usize>kp << 5;
  const acc = add != 0;
  for (let i0 = 0; i0 < m; i0 += mc) {
    const i1 = min(m, i0 + mc);
    for (let j = 0; j < n; j += 16) {
      const pb = b + <usize>(j >> 4) * panel;
      const cols = min(16, n - j);
      let i = i0;
      const bj = bias + (<usize>j << 2);
      for (; i + 1 < i1; i += 2) {
        const bp = biasMode == 2 ? bias + (<usize>i << 2) : bj;
        tile2(a + (<usize>(i * lda) << 1), lda, pb, pairs, c + (<usize>(i * ldc + j) << 2), ldc, cols, acc, bp, biasMode);
      }
      if (i < i1) {
        const bp = biasMode == 2 ? bias + (<usize>i << 2) : bj;
        tile1(a + (<usize>(i * lda) << 1), pb, pairs, c + (<usize>(i * ldc + j) << 2), cols, acc, bp, biasMode);
      }
    }
  }
}
