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

// @ts-ignore: decorator
@inline function quantizeWith(src: usize, n: i32, k: f64, s: f64, mode: i32, ovf: i32, lo: f64, hi: f64, width: i32, signed: bool, dst: usize): i32 {
  let events = 0;
  const m = Math.pow(2, <f64>width);
  for (let i = 0; i < n; i++) {
    const v = load<f64>(src + (<usize>i << 3)) * k;
    if (!isFinite(v)) return -(i + 1);
    let w = v * s;
    if (w == 0 && v != 0) w = v < 0 ? -f64.MIN_VALUE : f64.MIN_VALUE;
    let r = roundDouble(w, mode);
    if (r < lo || r > hi) {
      events++;
      if (ovf == 0) {
        const q = isFinite(r) ? r - Math.floor(r / m) * m : 0;
        r = signed && q >= m / 2 ? q - m : q;
      } else r = ovf == 2 ? 0 : r < lo ? lo : hi;
    }
    store<i16>(dst + (<usize>i << 1), <i16><i32>r);
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
