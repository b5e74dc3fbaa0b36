/*
 * verify's comparison on resident tensors: the first index i < n where
 * reals[i] * scale - codes[i] is not 0 (NaN counts as a difference), or n
 * when there is none. reals: the reference's float64 values; codes: the
 * integer engine's codes as float64; scale: 2^F.
 */
export function first_difference_f64(reals: usize, codes: usize, n: i32, scale: f64): i32 {
  const vs = f64x2.splat(scale), zero = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const at = <usize>i << 3;
    const d0 = f64x2.sub(f64x2.mul(v128.load(reals + at), vs), v128.load(codes + at));
    const d1 = f64x2.sub(f64x2.mul(v128.load(reals + at, 16), vs), v128.load(codes + at, 16));
    if (v128.any_true(v128.or(f64x2.ne(d0, zero), f64x2.ne(d1, zero)))) break;
  }
  for (; i < n; i++) {
    const at = <usize>i << 3;
    if (load<f64>(reals + at) * scale - load<f64>(codes + at) != 0) return i;
  }
  return n;
}
