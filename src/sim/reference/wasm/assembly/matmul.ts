/*
 * Float64 matrix product of the float reference, in a fixed summation order:
 * for every output, s = C[i, j] (the initial value the host stored: a bias
 * or +0), then s = s + A[i, p] * B[p, j] for p = 0, 1, ..., k - 1, each
 * product and each sum rounded to the nearest double (f64x2.mul and
 * f64x2.add round every step; no fused multiply-add). So every output equals
 * that scalar loop bit for bit whatever the tiling: the two lanes of a vector
 * hold two different outputs (columns j, j + 1), never two parts of one sum.
 *
 * Layouts: A, B and C row-major float64 with row strides lda, ldb, ldc
 * (elements); byte pointers.
 * Blocking: rows in blocks of ROWS (A's block stays in L2), columns in strips
 * of 4 (B's strip, k x 4, stays in L1), tiles of 4 rows x 4 columns held in
 * eight f64x2 accumulators.
 */

const ROWS: i32 = 64;

// @ts-ignore: decorator
@inline function splat(p: usize): v128 {
  return v128.load64_splat(p);
}

// @ts-ignore: decorator
@inline function fma2(acc: v128, x: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, b));
}

/** Rows i..i+3, columns j..j+3 (a, b, c point at A[i, 0], B[0, j], C[i, j]). */
function tile4(a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let s00 = v128.load(c), s01 = v128.load(c, 16), s10 = v128.load(c1), s11 = v128.load(c1, 16);
  let s20 = v128.load(c2), s21 = v128.load(c2, 16), s30 = v128.load(c3), s31 = v128.load(c3, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = splat(pa), x1 = splat(pa + lda), x2 = splat(pa + 2 * lda), x3 = splat(pa + 3 * lda);
    s00 = fma2(s00, x0, b0); s01 = fma2(s01, x0, b1);
    s10 = fma2(s10, x1, b0); s11 = fma2(s11, x1, b1);
    s20 = fma2(s20, x2, b0); s21 = fma2(s21, x2, b1);
    s30 = fma2(s30, x3, b0); s31 = fma2(s31, x3, b1);
    pa += 8; pb += ldb;
  }
  v128.store(c, s00); v128.store(c, s01, 16); v128.store(c1, s10); v128.store(c1, s11, 16);
  v128.store(c2, s20); v128.store(c2, s21, 16); v128.store(c3, s30); v128.store(c3, s31, 16);
}

/** One row, columns j..j+3. */
function tile1(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s0 = v128.load(c), s1 = v128.load(c, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const x = splat(pa);
    s0 = fma2(s0, x, v128.load(pb)); s1 = fma2(s1, x, v128.load(pb, 16));
    pa += 8; pb += ldb;
  }
  v128.store(c, s0); v128.store(c, s1, 16);
}

/** One output, scalar (columns past the last strip of 4). */
function dot1(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s = load<f64>(c);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    s = s + load<f64>(pa) * load<f64>(pb);
    pa += 8; pb += ldb;
  }
  store<f64>(c, s);
}

/** C = C + A x B (m x k times k x n), in the order stated above. */
export function matmul_f64(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  const ra = <usize>lda << 3, rb = <usize>ldb << 3, rc = <usize>ldc << 3;
  const n4 = n & ~3;
  for (let i0 = 0; i0 < m; i0 += ROWS) {
    const i1 = min(m, i0 + ROWS);
    for (let j = 0; j < n4; j += 4) {
      const pb = b + (<usize>j << 3);
      let i = i0;
      for (; i + 3 < i1; i += 4) tile4(a + <usize>i * ra, ra, pb, rb, c + <usize>i * rc + (<usize>j << 3), rc, k);
      for (; i < i1; i++) tile1(a + <usize>i * ra, pb, rb, c + <usize>i * rc + (<usize>j << 3), k);
    }
    for (let i = i0; i < i1; i++) {
      for (let j = n4; j < n; j++) dot1(a + <usize>i * ra, b + (<usize>j << 3), rb, c + <usize>i * rc + (<usize>j << 3), k);
    }
  }
}
