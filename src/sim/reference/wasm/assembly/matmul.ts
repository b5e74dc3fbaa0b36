/*
 * Matrix products of the float reference, float64 (matmul_f64) and float32
 * (matmul_f32, for layers whose every product and partial sum is exact in
 * float32: the host decides that from a worst-case bound,
 * src/sim/reference/pow2/exact-f32.ts), in a fixed summation order: for
 * every output, s = C[i, j] (the initial value the host stored: a bias or
 * +0), then s = s + A[i, p] * B[p, j] for p = 0, 1, ..., k - 1, each product
 * and each sum rounded to the nearest value of the type (v128 mul and add
 * round every step; no fused multiply-add). So every output equals that
 * scalar loop bit for bit whatever the tiling: the lanes of a vector hold
 * different outputs (columns j, j + 1, ...), never parts of one sum.
 *
 * Layouts: A, B and C row-major with row strides lda, ldb, ldc (elements);
 * byte pointers.
 * Blocking: rows in blocks of ROWS (A's block stays in L2), columns in strips
 * of two vectors (4 float64 or 8 float32 columns; B's strip stays in L1),
 * tiles of 4 rows x one strip held in eight accumulators.
 */

const ROWS: i32 = 64;

// @ts-ignore: decorator
@inline function madd<T>(acc: v128, x: v128, b: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(x, b));
}

/** Rows i..i+3, one strip of columns (a, b, c point at A[i, 0], B[0, j], C[i, j]). */
function tile4<T>(a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let s00 = v128.load(c), s01 = v128.load(c, 16), s10 = v128.load(c1), s11 = v128.load(c1, 16);
  let s20 = v128.load(c2), s21 = v128.load(c2, 16), s30 = v128.load(c3), s31 = v128.load(c3, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = v128.load_splat<T>(pa), x1 = v128.load_splat<T>(pa + lda), x2 = v128.load_splat<T>(pa + 2 * lda), x3 = v128.load_splat<T>(pa + 3 * lda);
    s00 = madd<T>(s00, x0, b0); s01 = madd<T>(s01, x0, b1);
    s10 = madd<T>(s10, x1, b0); s11 = madd<T>(s11, x1, b1);
    s20 = madd<T>(s20, x2, b0); s21 = madd<T>(s21, x2, b1);
    s30 = madd<T>(s30, x3, b0); s31 = madd<T>(s31, x3, b1);
    pa += sizeof<T>(); pb += ldb;
  }
  v128.store(c, s00); v128.store(c, s01, 16); v128.store(c1, s10); v128.store(c1, s11, 16);
  v128.store(c2, s20); v128.store(c2, s21, 16); v128.store(c3, s30); v128.store(c3, s31, 16);
}

/** One row, one strip of columns. */
function tile1<T>(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s0 = v128.load(c), s1 = v128.load(c, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const x = v128.load_splat<T>(pa);
    s0 = madd<T>(s0, x, v128.load(pb)); s1 = madd<T>(s1, x, v128.load(pb, 16));
    pa += sizeof<T>(); pb += ldb;
  }
  v128.store(c, s0); v128.store(c, s1, 16);
}

/** One output, scalar (columns past the last strip). */
function dot1<T>(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s = load<T>(c);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    s = s + load<T>(pa) * load<T>(pb);
    pa += sizeof<T>(); pb += ldb;
  }
  store<T>(c, s);
}

/** C = C + A x B (m x k times k x n), in the order stated above. */
// @ts-ignore: decorator
@inline function matmul<T>(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  const e = sizeof<T>(), strip = <i32>(32 / <i32>e);
  const ra = <usize>lda * e, rb = <usize>ldb * e, rc = <usize>ldc * e;
  const ns = n - n % strip;
  for (let i0 = 0; i0 < m; i0 += ROWS) {
    const i1 = min(m, i0 + ROWS);
    for (let j = 0; j < ns; j += strip) {
      const pb = b + <usize>j * e;
      let i = i0;
      for (; i + 3 < i1; i += 4) tile4<T>(a + <usize>i * ra, ra, pb, rb, c + <usize>i * rc + <usize>j * e, rc, k);
      for (; i < i1; i++) tile1<T>(a + <usize>i * ra, pb, rb, c + <usize>i * rc + <usize>j * e, k);
    }
    for (let i = i0; i < i1; i++) {
      for (let j = ns; j < n; j++) dot1<T>(a + <usize>i * ra, b + <usize>j * e, rb, c + <usize>i * rc + <usize>j * e, k);
    }
  }
}

export function matmul_f64(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  matmul<f64>(a, lda, b, ldb, c, ldc, m, k, n);
}

export function matmul_f32(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  matmul<f32>(a, lda, b, ldb, c, ldc, m, k, n);
}
