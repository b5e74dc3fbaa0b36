/*
 * Float32 matrix product of the float reference, for layers whose every
 * product and partial sum is exact in float32 (the host decides that from a
 * worst-case bound: src/sim/reference/pow2/exact-f32.ts). The order is
 * matmul_f64's: for every output, s = C[i, j], then s = s + A[i, p] * B[p, j]
 * for p = 0, 1, ..., k - 1, each step rounded to the nearest float (f32x4.mul
 * and f32x4.add; no fused multiply-add); the four lanes of a vector hold four
 * different outputs (columns j .. j + 3), never parts of one sum. When every
 * step is exact, the result is the exact sum, the same value the float64
 * kernel computes.
 *
 * Layouts: A, B and C row-major float32 with row strides lda, ldb, ldc
 * (elements); byte pointers. Blocking: rows in blocks of ROWS, columns in
 * strips of 8 (B's strip, k x 8, stays in L1), tiles of 4 rows x 8 columns
 * held in eight f32x4 accumulators.
 */

const ROWS: i32 = 64;

// @ts-ignore: decorator
@inline function splat(p: usize): v128 {
  return v128.load32_splat(p);
}

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, b));
}

/** Rows i..i+3, columns j..j+7 (a, b, c point at A[i, 0], B[0, j], C[i, j]). */
function tile4(a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let s00 = v128.load(c), s01 = v128.load(c, 16), s10 = v128.load(c1), s11 = v128.load(c1, 16);
  let s20 = v128.load(c2), s21 = v128.load(c2, 16), s30 = v128.load(c3), s31 = v128.load(c3, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = splat(pa), x1 = splat(pa + lda), x2 = splat(pa + 2 * lda), x3 = splat(pa + 3 * lda);
    s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
    s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
    s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
    s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
    pa += 4; pb += ldb;
  }
  v128.store(c, s00); v128.store(c, s01, 16); v128.store(c1, s10); v128.store(c1, s11, 16);
  v128.store(c2, s20); v128.store(c2, s21, 16); v128.store(c3, s30); v128.store(c3, s31, 16);
}

/** One row, columns j..j+7. */
function tile1(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s0 = v128.load(c), s1 = v128.load(c, 16);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const x = splat(pa);
    s0 = madd(s0, x, v128.load(pb)); s1 = madd(s1, x, v128.load(pb, 16));
    pa += 4; pb += ldb;
  }
  v128.store(c, s0); v128.store(c, s1, 16);
}

/** One output, scalar (columns past the last strip of 8). */
function dot1(a: usize, b: usize, ldb: usize, c: usize, k: i32): void {
  let s = load<f32>(c);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    s = s + load<f32>(pa) * load<f32>(pb);
    pa += 4; pb += ldb;
  }
  store<f32>(c, s);
}

/** C = C + A x B (m x k times k x n, float32), in the order stated above. */
export function matmul_f32(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  const ra = <usize>lda << 2, rb = <usize>ldb << 2, rc = <usize>ldc << 2;
  const n8 = n & ~7;
  for (let i0 = 0; i0 < m; i0 += ROWS) {
    const i1 = min(m, i0 + ROWS);
    for (let j = 0; j < n8; j += 8) {
      const pb = b + (<usize>j << 2);
      let i = i0;
      for (; i + 3 < i1; i += 4) tile4(a + <usize>i * ra, ra, pb, rb, c + <usize>i * rc + (<usize>j << 2), rc, k);
      for (; i < i1; i++) tile1(a + <usize>i * ra, pb, rb, c + <usize>i * rc + (<usize>j << 2), k);
    }
    for (let i = i0; i < i1; i++) {
      for (let j = n8; j < n; j++) dot1(a + <usize>i * ra, b + (<usize>j << 2), rb, c + <usize>i * rc + (<usize>j << 2), k);
    }
  }
}

/** Float64 -> float32 (rounded to nearest; exact for the values the host sends), n values. */
export function demote_f64(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3), 16));
    v128.store(out + (<usize>i << 2), i64x2.shuffle(lo, hi, 0, 2));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
}

/** Float32 -> float64 (exact), n values. */
export function promote_f32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    v128.store(out + (<usize>i << 3), f64x2.promote_low_f32x4(v));
    v128.store(out + (<usize>i << 3), f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1)), 16);
  }
  for (; i < n; i++) store<f64>(out + (<usize>i << 3), <f64>load<f32>(x + (<usize>i << 2)));
}
