/*
 * Narrowing of exact int32 accumulators into int16 output codes: the pow2
 * output stage of a dense or conv layer, bit for bit the fixed-point room's
 * definition (shiftRightRound, then applyOverflow):
 *   v / 2^s rounded with the rounding mode (s <= 0: v * 2^-s, exact), then,
 *   when the result r lies outside the kept range [lo, hi], one event and the
 *   overflow mode: WRAP the low `width` bits (two's complement when signed),
 *   SAT / SAT_SYM the nearer bound, SAT_ZERO 0.
 * Mode numbers follow the host's ROUNDINGS and OVERFLOWS orders:
 *   rounding 0 TRN, 1 TRN_ZERO, 2 RND, 3 RND_ZERO, 4 RND_MIN_INF, 5 RND_INF, 6 RND_CONV;
 *   overflow 0 WRAP, 1 SAT, 2 SAT_ZERO, 3 SAT_SYM.
 * The host guarantees width <= 16 (signed) or <= 15 (unsigned), so every
 * result is an int16.
 */

// @ts-ignore: decorator
@inline export function roundsUp(mode: i32, neg: bool, cmp: i32, odd: bool): bool {
  switch (mode) {
    case 0: return false;
    case 1: return neg;
    case 2: return cmp >= 0;
    case 3: return cmp > 0 || (cmp == 0 && neg);
    case 4: return cmp > 0;
    case 5: return cmp > 0 || (cmp == 0 && !neg);
    default: return cmp > 0 || (cmp == 0 && odd);
  }
}

/**
 * v / 2^s rounded (v an int32 value). A right shift beyond 40 gives the same
 * floor (0 or -1) and the same comparison with the half as a shift of 40
 * (|v| < 2^31), a left shift beyond 32 the same value modulo 2^16 (0) and the
 * same sign, so both are clamped and the arithmetic stays inside int64.
 */
// @ts-ignore: decorator
@inline function shiftRound(v: i64, s: i32, mode: i32): i64 {
  if (s <= 0) return v << <i64>min(-s, 32);
  const sh = <i64>min(s, 40);
  const q = v >> sh;
  const rem = v - (q << sh);
  if (rem == 0) return q;
  const half = <i64>1 << (sh - 1);
  const cmp = rem < half ? -1 : rem > half ? 1 : 0;
  return roundsUp(mode, q < 0, cmp, (q & 1) != 0) ? q + 1 : q;
}

// @ts-ignore: decorator
@inline export function overflowed(r: i64, ovf: i32, lo: i64, hi: i64, width: i32, signed: bool): i64 {
  if (ovf == 0) {
    const m = r & ((<i64>1 << width) - 1);
    return signed && m >= (<i64>1 << (width - 1)) ? m - (<i64>1 << width) : m;
  }
  if (ovf == 2) return 0;
  return r < lo ? lo : hi;
}

/** Scalar route: any shift per element (`shifts` indexed by row or by column). */
// @ts-ignore: decorator
@inline function scalarRows(
  src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize, perRow: bool,
  mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: bool,
): i32 {
  let events = 0;
  for (let i = 0; i < rows; i++) {
    const s = src + (<usize>(i * ls) << 2), d = dst + (<usize>(i * ld) << 1);
    for (let j = 0; j < cols; j++) {
      const sh = load<i32>(shifts + (<usize>(perRow ? i : j) << 2));
      let r = shiftRound(<i64>load<i32>(s + (<usize>j << 2)), sh, mode);
      if (r < lo || r > hi) {
        events++;
        r = overflowed(r, ovf, lo, hi, width, signed);
      }
      store<i16>(d + (<usize>j << 1), <i16>r);
    }
  }
  return events;
}

/** Four values at one shift 0 <= s <= 31: the rounding decision of `mode` as lane masks. */
// @ts-ignore: decorator
@inline function round4(v: v128, s: i32, mode: i32): v128 {
  if (s == 0) return v;
  const q = i32x4.shr_s(v, s);
  const rem = v128.and(v, i32x4.splat((1 << s) - 1));
  const half = i32x4.splat(1 << (s - 1));
  const gt = i32x4.gt_s(rem, half), eq = i32x4.eq(rem, half), neg = i32x4.lt_s(v, i32x4.splat(0));
  let up: v128;
  switch (mode) {
    case 0: return q;
    case 1: up = v128.and(neg, v128.not(i32x4.eq(rem, i32x4.splat(0)))); break;
    case 2: up = v128.or(gt, eq); break;
    case 3: up = v128.or(gt, v128.and(eq, neg)); break;
    case 4: up = gt; break;
    case 5: up = v128.or(gt, v128.andnot(eq, neg)); break;
    default: up = v128.or(gt, v128.and(eq, i32x4.ne(v128.and(q, i32x4.splat(1)), i32x4.splat(0))));
  }
  return i32x4.sub(q, up); // up lanes are -1
}

/** Lanes of r outside [lo, hi] (-1): one event each. */
// @ts-ignore: decorator
@inline function outside(r: v128, lo: v128, hi: v128): v128 {
  return v128.or(i32x4.lt_s(r, lo), i32x4.gt_s(r, hi));
}

/** Four rounded values through the overflow mode (`out`: their lanes outside [lo, hi]). */
// @ts-ignore: decorator
@inline function overflow4(r: v128, out: v128, ovf: i32, lo: v128, hi: v128, width: i32, signed: bool): v128 {
  if (ovf == 0) {
    return signed ? i32x4.shr_s(i32x4.shl(r, 32 - width), 32 - width) : v128.and(r, i32x4.splat((1 << width) - 1));
  }
  if (ovf == 2) return v128.andnot(r, out);
  return i32x4.max_s(i32x4.min_s(r, hi), lo);
}

/**
 * Rows whose shift is one s in [0, 31] (per row, or the same for every
 * column) take the SIMD route eight values at a time, the events counted in
 * a vector across all rows; other shifts and the last cols % 8 values of a
 * row take the scalar route.
 */
// @ts-ignore: decorator
@inline function narrowWith(
  src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize, perRow: bool, uniform: bool,
  mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: bool,
): i32 {
  if (!perRow && !uniform) return scalarRows(src, ls, dst, ld, rows, cols, shifts, false, mode, ovf, lo, hi, width, signed);
  const vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
  let count = i32x4.splat(0), events = 0;
  for (let i = 0; i < rows; i++) {
    const sp = shifts + (perRow ? <usize>i << 2 : 0), sh = load<i32>(sp);
    const s = src + (<usize>(i * ls) << 2), d = dst + (<usize>(i * ld) << 1);
    if (sh < 0 || sh > 31) {
      events += scalarRows(s, 0, d, 0, 1, cols, sp, true, mode, ovf, lo, hi, width, signed);
      continue;
    }
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const ra = round4(v128.load(s + (<usize>j << 2)), sh, mode), rb = round4(v128.load(s + (<usize>j << 2), 16), sh, mode);
      const oa = outside(ra, vlo, vhi), ob = outside(rb, vlo, vhi);
      count = i32x4.add(count, i32x4.add(oa, ob));
      const a = overflow4(ra, oa, ovf, vlo, vhi, width, signed), b = overflow4(rb, ob, ovf, vlo, vhi, width, signed);
      v128.store(d + (<usize>j << 1), i16x8.narrow_i32x4_s(a, b));
    }
    if (j < cols) events += scalarRows(s + (<usize>j << 2), 0, d + (<usize>j << 1), 0, 1, cols - j, sp, true, mode, ovf, lo, hi, width, signed);
  }
  // lanes hold minus the events
  return events - (i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3));
}

// @ts-ignore: decorator
@inline function byOverflow(
  src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize, perRow: bool, uniform: bool,
  mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: bool,
): i32 {
  switch (ovf) {
    case 0: return narrowWith(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, mode, 0, lo, hi, width, signed);
    case 2: return narrowWith(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, mode, 2, lo, hi, width, signed);
    default: return narrowWith(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, mode, 1, lo, hi, width, signed);
  }
}

/**
 * rows x cols int32 at src (row stride ls) -> int16 codes at dst (row stride
 * ld); the shift of element (i, j) is shifts[i] (layout bit 1: per row, conv
 * channels) or shifts[j] (per column, dense channels; layout bit 2: all
 * equal). Returns the number of events.
 */
export function narrow_i32_i16(
  src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize, layout: i32,
  mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: i32,
): i32 {
  const perRow = (layout & 1) != 0, uniform = (layout & 2) != 0, sg = signed != 0;
  switch (mode) {
    case 0: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 0, ovf, lo, hi, width, sg);
    case 1: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 1, ovf, lo, hi, width, sg);
    case 2: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 2, ovf, lo, hi, width, sg);
    case 3: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 3, ovf, lo, hi, width, sg);
    case 4: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 4, ovf, lo, hi, width, sg);
    case 5: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 5, ovf, lo, hi, width, sg);
    default: return byOverflow(src, ls, dst, ld, rows, cols, shifts, perRow, uniform, 6, ovf, lo, hi, width, sg);
  }
}
