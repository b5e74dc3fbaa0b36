/*
 * Float64 GEMM for the float reference: C[i,j] = C0[i,j] + A[i,0]*B[0,j] + ...
 * + A[i,K-1]*B[K-1,j], evaluated left to right in IEEE-754 double precision:
 * every product rounded, then added to the running sum (rounded), k
 * increasing, no fused multiply-add (WebAssembly's f64x2.mul and f64x2.add
 * round each step). C0 is +0 when not accumulating. So each output equals
 * the scalar loop `s = C0; for k: s = s + a*b` bit for bit.
 *
 * Layouts (byte pointers):
 * - A: row-major float64, row stride lda elements.
 * - packed B: panels of 8 columns; panel q, row k holds B[k, 8q..8q+7] as 8
 *   float64 at byte q*K*64 + k*64; columns past N are 0 (their outputs are
 *   never stored).
 * - C: row-major float64, row stride ldc elements.
 */

const TILE: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline function rowStore(c: usize, t: usize, cols: i32, x0: v128, x1: v128, x2: v128, x3: v128): void {
  if (cols == 8) {
    v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
    return;
  }
  v128.store(t, x0); v128.store(t, x1, 16); v128.store(t, x2, 32); v128.store(t, x3, 48);
  for (let j = 0; j < cols; j++) store<f64>(c + (<usize>j << 3), load<f64>(t + (<usize>j << 3)));
}

// @ts-ignore: decorator
@inline function start(c: usize, cols: i32, add: bool, t: usize, o: i32): v128 {
  // The running sum starts from C0 (accumulate) or +0, lanes o and o+1.
  if (!add) return f64x2.splat(0);
  if (cols == 8) return v128.load(c + (<usize>o << 3));
  const lo = o < cols ? load<f64>(c + (<usize>o << 3)) : 0.0;
  const hi = o + 1 < cols ? load<f64>(c + (<usize>(o + 1) << 3)) : 0.0;
  store<f64>(t, lo); store<f64>(t + 8, hi);
  return v128.load(t);
}

function tile2(a: usize, lda: i32, b: usize, k: i32, c: usize, ldc: i32, cols: i32, add: bool): void {
  let a0 = a, a1 = a + (<usize>lda << 3), pb = b;
  const c1 = c + (<usize>ldc << 3);
  let c00 = start(c, cols, add, TILE, 0), c01 = start(c, cols, add, TILE, 2);
  let c02 = start(c, cols, add, TILE, 4), c03 = start(c, cols, add, TILE, 6);
  let c10 = start(c1, cols, add, TILE, 0), c11 = start(c1, cols, add, TILE, 2);
  let c12 = start(c1, cols, add, TILE, 4), c13 = start(c1, cols, add, TILE, 6);
  for (let p = 0; p < k; p++) {
    const x0 = v128.load64_splat(a0), x1 = v128.load64_splat(a1);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
    c02 = f64x2.add(c02, f64x2.mul(x0, b2)); c03 = f64x2.add(c03, f64x2.mul(x0, b3));
    c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
    c12 = f64x2.add(c12, f64x2.mul(x1, b2)); c13 = f64x2.add(c13, f64x2.mul(x1, b3));
    a0 += 8; a1 += 8; pb += 64;
  }
  rowStore(c, TILE, cols, c00, c01, c02, c03);
  rowStore(c1, TILE, cols, c10, c11, c12, c13);
}

function tile1(a: usize, b: usize, k: i32, c: usize, cols: i32, add: bool): void {
  let a0 = a, pb = b;
  let c00 = start(c, cols, add, TILE, 0), c01 = start(c, cols, add, TILE, 2);
  let c02 = start(c, cols, add, TILE, 4), c03 = start(c, cols, add, TILE, 6);
  for (let p = 0; p < k; p++) {
    const x0 = v128.load64_splat(a0);
    c00 = f64x2.add(c00, f64x2.mul(x0, v128.load(pb))); c01 = f64x2.add(c01, f64x2.mul(x0, v128.load(pb, 16)));
    c02 = f64x2.add(c02, f64x2.mul(x0, v128.load(pb, 32))); c03 = f64x2.add(c03, f64x2.mul(x0, v128.load(pb, 48)));
    a0 += 8; pb += 64;
  }
  rowStore(c, TILE, cols, c00, c01, c02, c03);
}

/** C (=|+=) A x packed B: M rows, depth K, N columns, rows in blocks of mc (even). */
export function gemm_f64(a: usize, lda: i32, m: i32, k: i32, b: usize, n: i32, c: usize, ldc: i32, mc: i32, add: i32): void {
  const panel = <usize>k << 6;
  const acc = add != 0;
  for (let i0 = 0; i0 < m; i0 += mc) {
    const i1 = min(m, i0 + mc);
    for (let j = 0; j < n; j += 8) {
      const pb = b + <usize>(j >> 3) * panel;
      const cols = min(8, n - j);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        tile2(a + (<usize>(i * lda) << 3), lda, pb, k, c + (<usize>(i * ldc + j) << 3), ldc, cols, acc);
      }
      if (i < i1) tile1(a + (<usize>(i * lda) << 3), pb, k, c + (<usize>(i * ldc + j) << 3), cols, acc);
    }
  }
}
