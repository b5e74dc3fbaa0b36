/*
 * Conversions between the reference's float64 tensors and the float32
 * operands of its exact float32 layers (see matmul.ts).
 */

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
