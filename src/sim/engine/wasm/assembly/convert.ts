/*
 * Conversions between the engine's float64 codes and the kernels' integer
 * operands, so a Float64Array crosses into or out of linear memory as a byte
 * copy plus one SIMD pass.
 */

/**
 * n float64 at src -> int16 at dst. Exact for integers in [-32768, 32767];
 * other values are truncated toward zero and saturated to int16 (NaN -> 0):
 * outside the kernels' precondition, defined only so nothing traps.
 */
export function f64_to_i16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const s = src + (<usize>i << 3);
    const a = i32x4.trunc_sat_f64x2_s_zero(v128.load(s)), b = i32x4.trunc_sat_f64x2_s_zero(v128.load(s, 16));
    const c = i32x4.trunc_sat_f64x2_s_zero(v128.load(s, 32)), d = i32x4.trunc_sat_f64x2_s_zero(v128.load(s, 48));
    v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_s(v128.shuffle<i32>(a, b, 0, 1, 4, 5), v128.shuffle<i32>(c, d, 0, 1, 4, 5)));
  }
  for (; i < n; i++) {
    const v = i32x4.trunc_sat_f64x2_s_zero(v128.load64_zero(src + (<usize>i << 3)));
    store<i16>(dst + (<usize>i << 1), <i16>i16x8.extract_lane_s(i16x8.narrow_i32x4_s(v, v), 0));
  }
}

/** n int32 at src -> float64 at dst (exact). */
export function i32_to_f64(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(src + (<usize>i << 2));
    const d = dst + (<usize>i << 3);
    v128.store(d, f64x2.convert_low_i32x4_s(v));
    v128.store(d, f64x2.convert_low_i32x4_s(v128.shuffle<i32>(v, v, 2, 3, 2, 3)), 16);
  }
  for (; i < n; i++) store<f64>(dst + (<usize>i << 3), <f64>load<i32>(src + (<usize>i << 2)));
}
