import { roundsUp } from './narrow';

/*
 * Quantization of raw input values into int16 codes, bit for bit the
 * fixed-point room's quantizeNumber after the engine's raw scaling:
 *   v = x * k (k = 2^rawScaleLog2), refused when not finite;
 *   w = v * s (s = 2^F; a nonzero v whose w underflows to 0 keeps its sign as
 *   the smallest subnormal, since only the sign of a value below 1/2 LSB
 *   matters); w rounded to an integer with the rounding mode (ties decided
 *   against floor(w) + 0.5, exact because a non-integer double is below 2^52);
 *   outside [lo, hi] one event and the overflow mode (WRAP: w modulo 2^width
 *   as floor arithmetic on doubles, exact; SAT / SAT_SYM: the nearer bound;
 *   SAT_ZERO: 0). Modes are numbered as in narrow.ts.
 */

// @ts-ignore: decorator
@inline function roundDouble(w: f64, mode: i32): f64 {
  const fl = Math.floor(w);
  if (w == fl) return fl;
  const mid = fl + 0.5;
  const cmp = w < mid ? -1 : w > mid ? 1 : 0;
  const odd = fl - 2 * Math.floor(fl / 2) != 0;
  return roundsUp(mode, w < 0, cmp, odd) ? fl + 1 : fl;
}

/** One value: its code, or the code with an event in bit 16, or NO when x * k is not finite. */
// @ts-ignore: decorator
@inline function one(x: f64, k: f64, s: f64, mode: i32, ovf: i32, lo: f64, hi: f64, width: i32, signed: bool): i32 {
  const v = x * k;
  if (!isFinite(v)) return NO;
  let w = v * s;
  if (w == 0 && v != 0) w = v < 0 ? -f64.MIN_VALUE : f64.MIN_VALUE;
  let r = roundDouble(w, mode);
  if (r >= lo && r <= hi) return <i32>r & 0xffff;
  const m = Math.pow(2, <f64>width);
  if (ovf == 0) {
    const q = isFinite(r) ? r - Math.floor(r / m) * m : 0;
    r = signed && q >= m / 2 ? q - m : q;
  } else r = ovf == 2 ? 0 : r < lo ? lo : hi;
  return (<i32>r & 0xffff) | 0x10000;
}

const NO: i32 = -1;

/**
 * Two values rounded as the scalar route rounds them, for the vector test:
 * v = x * k, w = v * s; RND_CONV rounds with f64x2.nearest (ties to even, the
 * same as roundDouble; an underflow to 0 rounds to 0 either way), the other
 * modes with floor (TRN's rounding; for the others the lane only counts when
 * w is integral).
 */
// @ts-ignore: decorator
@inline function rounded(w: v128, mode: i32): v128 {
  return mode == 6 ? f64x2.nearest(w) : f64x2.floor(w);
}

/**
 * Lanes (all ones) whose rounded r the scalar route gives without an event:
 * r in [lo, hi] (NaN and infinities fail), and unless RND_CONV, w is not a
 * nonzero v underflowed to 0, and unless TRN, w is integral.
 */
// @ts-ignore: decorator
@inline function decided(v: v128, w: v128, r: v128, mode: i32, lo: v128, hi: v128): v128 {
  let good = v128.and(f64x2.ge(r, lo), f64x2.le(r, hi));
  if (mode != 6) {
    const zero = f64x2.splat(0);
    good = v128.andnot(good, v128.and(f64x2.eq(w, zero), f64x2.ne(v, zero)));
    if (mode != 0) good = v128.and(good, f64x2.eq(r, w));
  }
  return good;
}

/** Eight values from p: stored as int16 at d and true when the vector test decides all eight, else false (nothing stored). */
// @ts-ignore: decorator
@inline function eight(p: usize, d: usize, k: v128, s: v128, mode: i32, lo: v128, hi: v128): bool {
  const v0 = f64x2.mul(v128.load(p), k), v1 = f64x2.mul(v128.load(p, 16), k);
  const v2 = f64x2.mul(v128.load(p, 32), k), v3 = f64x2.mul(v128.load(p, 48), k);
  const w0 = f64x2.mul(v0, s), w1 = f64x2.mul(v1, s), w2 = f64x2.mul(v2, s), w3 = f64x2.mul(v3, s);
  const r0 = rounded(w0, mode), r1 = rounded(w1, mode), r2 = rounded(w2, mode), r3 = rounded(w3, mode);
  const ok = v128.and(
    v128.and(decided(v0, w0, r0, mode, lo, hi), decided(v1, w1, r1, mode, lo, hi)),
    v128.and(decided(v2, w2, r2, mode, lo, hi), decided(v3, w3, r3, mode, lo, hi)),
  );
  if (!i64x2.all_true(ok)) return false;
  const a = i32x4.trunc_sat_f64x2_s_zero(r0), b = i32x4.trunc_sat_f64x2_s_zero(r1);
  const c = i32x4.trunc_sat_f64x2_s_zero(r2), e = i32x4.trunc_sat_f64x2_s_zero(r3);
  v128.store(d, i16x8.narrow_i32x4_s(v128.shuffle<i32>(a, b, 0, 1, 4, 5), v128.shuffle<i32>(c, e, 0, 1, 4, 5)));
  return true;
}

// @ts-ignore: decorator
@inline function quantizeWith(src: usize, n: i32, k: f64, s: f64, mode: i32, ovf: i32, lo: f64, hi: f64, width: i32, signed: bool, dst: usize): i32 {
  let events = 0;
  const vk = f64x2.splat(k), vs = f64x2.splat(s), vlo = f64x2.splat(lo), vhi = f64x2.splat(hi);
  for (let i = 0; i < n; i += 8) {
    if (i + 8 <= n && eight(src + (<usize>i << 3), dst + (<usize>i << 1), vk, vs, mode, vlo, vhi)) continue;
    for (let j = i; j < min(n, i + 8); j++) {
      const r = one(load<f64>(src + (<usize>j << 3)), k, s, mode, ovf, lo, hi, width, signed);
      if (r == NO) return -(j + 1);
      events += r >>> 16;
      store<i16>(dst + (<usize>j << 1), <i16>r);
    }
  }
  return events;
}

/** n doubles at src -> int16 codes at dst; returns the events, or -(i + 1) when x[i] * k is the first value that is not finite. */
export function quantize_f64_i16(src: usize, n: i32, k: f64, s: f64, mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: i32, dst: usize): i32 {
  const sg = signed != 0, l = <f64>lo, h = <f64>hi;
  switch (mode) {
    case 0: return quantizeWith(src, n, k, s, 0, ovf, l, h, width, sg, dst);
    case 1: return quantizeWith(src, n, k, s, 1, ovf, l, h, width, sg, dst);
    case 2: return quantizeWith(src, n, k, s, 2, ovf, l, h, width, sg, dst);
    case 3: return quantizeWith(src, n, k, s, 3, ovf, l, h, width, sg, dst);
    case 4: return quantizeWith(src, n, k, s, 4, ovf, l, h, width, sg, dst);
    case 5: return quantizeWith(src, n, k, s, 5, ovf, l, h, width, sg, dst);
    default: return quantizeWith(src, n, k, s, 6, ovf, l, h, width, sg, dst);
  }
}
