/*
 * The reference's quantize step (pow2/real.ts quantizeReal) over n float64
 * values in place: s = v * scale (2^F), fl = floor(s), frac = s - fl; v stays
 * when frac = 0, else becomes (fl + 1) * lsb when the rounding mode rounds
 * up, fl * lsb otherwise; then a value outside [lo, hi] is one event and goes
 * through the overflow mode (WRAP: r - span * floor((r - wrapLo) / span);
 * SAT_ZERO: 0; SAT and SAT_SYM: the nearer bound). Returns the events.
 * Rounding modes by index: 0 TRN, 1 TRN_ZERO, 2 RND, 3 RND_ZERO,
 * 4 RND_MIN_INF, 5 RND_INF, 6 RND_CONV (the order of fixedpoint's ROUNDINGS);
 * overflow modes: 0 WRAP, 1 SAT, 2 SAT_ZERO, 3 SAT_SYM (OVERFLOWS' order).
 * Two values at a time (f64x2; floor, products and differences are exact
 * lane by lane as in the scalar form); a pair with a value out of range, and
 * the last odd value, take the scalar form.
 */

// @ts-ignore: decorator
@inline function roundsUp(mode: i32, fl: f64, frac: f64): bool {
  switch (mode) {
    case 0: return false;
    case 1: return fl < 0;
    case 2: return frac >= 0.5;
    case 3: return frac > 0.5 || (frac == 0.5 && fl < 0);
    case 4: return frac > 0.5;
    case 5: return frac > 0.5 || (frac == 0.5 && fl >= 0);
    default: return frac > 0.5 || (frac == 0.5 && abs(fl % 2.0) == 1.0);
  }
}

/** Lanes of fl that are odd integers: fl / 2 is not an integer (both exact). */
// @ts-ignore: decorator
@inline function odd2(fl: v128): v128 {
  const h = f64x2.mul(fl, f64x2.splat(0.5));
  return f64x2.ne(h, f64x2.floor(h));
}

/** The lanes (all ones) that round up under `mode`, as roundsUp lane by lane. */
// @ts-ignore: decorator
@inline function upMask(mode: i32, fl: v128, frac: v128): v128 {
  const half = f64x2.splat(0.5), zero = f64x2.splat(0);
  switch (mode) {
    case 0: return i64x2.splat(0);
    case 1: return f64x2.lt(fl, zero);
    case 2: return f64x2.ge(frac, half);
    case 3: return v128.or(f64x2.gt(frac, half), v128.and(f64x2.eq(frac, half), f64x2.lt(fl, zero)));
    case 4: return f64x2.gt(frac, half);
    case 5: return v128.or(f64x2.gt(frac, half), v128.and(f64x2.eq(frac, half), f64x2.ge(fl, zero)));
    default: return v128.or(f64x2.gt(frac, half), v128.and(f64x2.eq(frac, half), odd2(fl)));
  }
}

export function quantize_f64(
  p: usize, n: i32, scale: f64, lsb: f64, mode: i32, lo: f64, hi: f64, overflow: i32, span: f64, wrapLo: f64,
): i32 {
  // One copy of the loop per rounding mode (the mode a constant in each, so no per-pair switch).
  switch (mode) {
    case 0: return quantize_pairs(p, n, scale, lsb, 0, lo, hi, overflow, span, wrapLo);
    case 1: return quantize_pairs(p, n, scale, lsb, 1, lo, hi, overflow, span, wrapLo);
    case 2: return quantize_pairs(p, n, scale, lsb, 2, lo, hi, overflow, span, wrapLo);
    case 3: return quantize_pairs(p, n, scale, lsb, 3, lo, hi, overflow, span, wrapLo);
    case 4: return quantize_pairs(p, n, scale, lsb, 4, lo, hi, overflow, span, wrapLo);
    case 5: return quantize_pairs(p, n, scale, lsb, 5, lo, hi, overflow, span, wrapLo);
    default: return quantize_pairs(p, n, scale, lsb, 6, lo, hi, overflow, span, wrapLo);
  }
}

// @ts-ignore: decorator
@inline function quantize_pairs(
  p: usize, n: i32, scale: f64, lsb: f64, mode: i32, lo: f64, hi: f64, overflow: i32, span: f64, wrapLo: f64,
): i32 {
  let events = 0;
  const vs = f64x2.splat(scale), vl = f64x2.splat(lsb), vlo = f64x2.splat(lo), vhi = f64x2.splat(hi);
  const one = f64x2.splat(1), zero = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const at = p + (<usize>i << 3);
    const v = v128.load(at);
    const s = f64x2.mul(v, vs);
    const fl = f64x2.floor(s);
    const frac = f64x2.sub(s, fl);
    const rounded = f64x2.mul(f64x2.add(fl, v128.and(upMask(mode, fl, frac), one)), vl);
    const r = v128.bitselect(v, rounded, f64x2.eq(frac, zero));
    if (v128.all_true<i64>(v128.and(f64x2.ge(r, vlo), f64x2.le(r, vhi)))) v128.store(at, r);
    else events += quantize_scalar(at, 2, scale, lsb, mode, lo, hi, overflow, span, wrapLo);
  }
  return events + quantize_scalar(p + (<usize>i << 3), n - i, scale, lsb, mode, lo, hi, overflow, span, wrapLo);
}

function quantize_scalar(
  p: usize, n: i32, scale: f64, lsb: f64, mode: i32, lo: f64, hi: f64, overflow: i32, span: f64, wrapLo: f64,
): i32 {
  let events = 0;
  for (let i = 0; i < n; i++) {
    const at = p + (<usize>i << 3);
    const v = load<f64>(at);
    const s = v * scale;
    const fl = Math.floor(s);
    const frac = s - fl;
    let r = frac == 0 ? v : (roundsUp(mode, fl, frac) ? fl + 1 : fl) * lsb;
    if (!(r >= lo && r <= hi)) {
      events++;
      if (overflow == 0) r = r - span * Math.floor((r - wrapLo) / span);
      else if (overflow == 2) r = 0;
      else r = r < lo ? lo : hi;
    }
    store<f64>(at, r);
  }
  return events;
}
