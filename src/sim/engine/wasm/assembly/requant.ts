/*
 * The affine output stage of onnxruntime's requantization (MLAS
 * MlasRequantizeOutput) on exact int32 accumulators, into int16 codes:
 *   v = float32(float32(acc) * M) (M a float32 per channel), clamped to
 *   [-2^24, 2^24], rounded half to even, plus the output zero point zp; then
 *   a value outside [satLo, satHi] counts one event and the value is clamped
 *   to [lo, hi] (the output type's range met with a fused relu/relu6).
 * Every step is IEEE single precision with round-to-nearest-even, as the
 * fixed-point room's makeRequantizer('onnxruntime') computes it in doubles
 * (a product of two float32 is exact in double, so rounding it once to
 * float32 is the float32 product).
 */

const LIM: f32 = 16777216;

// @ts-ignore: decorator
@inline function four(v: v128, m: v128, zp: v128, lo: v128, hi: v128, satLo: v128, satHi: v128, count: usize): v128 {
  let p = f32x4.mul(f32x4.convert_i32x4_s(v), m);
  p = f32x4.min(f32x4.max(p, f32x4.splat(-LIM)), f32x4.splat(LIM));
  const y = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(p)), zp);
  v128.store(count, i32x4.sub(v128.load(count), v128.or(i32x4.lt_s(y, satLo), i32x4.gt_s(y, satHi))));
  return i32x4.max_s(i32x4.min_s(y, hi), lo);
}

const COUNT: usize = memory.data(16, 16);

/**
 * rows x cols int32 at src (row stride ls) -> int16 at dst (row stride ld);
 * M of element (i, j) is ms[i] (perRow) or ms[j] (float32). Returns the events.
 */
export function requant_ort_i16(
  src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, ms: usize, perRow: i32,
  zp: i32, lo: i32, hi: i32, satLo: i32, satHi: i32,
): i32 {
  const vz = i32x4.splat(zp), vlo = i32x4.splat(lo), vhi = i32x4.splat(hi), vsl = i32x4.splat(satLo), vsh = i32x4.splat(satHi);
  v128.store(COUNT, i32x4.splat(0));
  let events = 0;
  for (let i = 0; i < rows; i++) {
    const s = src + (<usize>(i * ls) << 2), d = dst + (<usize>(i * ld) << 1);
    const row = f32x4.splat(perRow != 0 ? load<f32>(ms + (<usize>i << 2)) : 0);
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const m0 = perRow != 0 ? row : v128.load(ms + (<usize>j << 2)), m1 = perRow != 0 ? row : v128.load(ms + (<usize>j << 2), 16);
      const a = four(v128.load(s + (<usize>j << 2)), m0, vz, vlo, vhi, vsl, vsh, COUNT);
      const b = four(v128.load(s + (<usize>j << 2), 16), m1, vz, vlo, vhi, vsl, vsh, COUNT);
      v128.store(d + (<usize>j << 1), i16x8.narrow_i32x4_s(a, b));
    }
    for (; j < cols; j++) {
      const m = load<f32>(ms + (<usize>(perRow != 0 ? i : j) << 2));
      let p = <f32>load<i32>(s + (<usize>j << 2)) * m;
      p = p < -LIM ? -LIM : p > LIM ? LIM : p;
      let y = <i32>nearest<f32>(p) + zp;
      if (y < satLo || y > satHi) events++;
      y = y < lo ? lo : y > hi ? hi : y;
      store<i16>(d + (<usize>j << 1), <i16>y);
    }
  }
  const c = v128.load(COUNT);
  return events + i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3);
}
