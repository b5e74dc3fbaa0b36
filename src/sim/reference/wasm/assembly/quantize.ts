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

export function quantize_f64(
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
