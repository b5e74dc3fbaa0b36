import { narrowBy } from './fused';
import { overflowed, roundsUp } from './narrow';

/*
 * The pow2 residual add and global average pool of the resident pipeline, on
 * int16 codes, bit for bit the engine's definitions (pow2/scheme.ts):
 * - add: s = a * ua + b * ub (ua, ub the exact powers of two aligning both
 *   inputs to the finer LSB; the host guarantees ua + ub <= 2^16, so s is an
 *   exact int32), then the output stage `q` (narrow_i32_i16: the output
 *   format's rounding and overflow, one shift), CHUNK elements at a time
 *   through the int32 scratch `acc`;
 * - global average pool: per plane the exact sum of its codes, times 2^up,
 *   divided by `den` (the plane size times 2^down) with the output format's
 *   rounding (floor quotient and remainder, the remainder's double compared
 *   with den for ties: divRoundNumber), then the overflow mode when outside
 *   [lo, hi] (one event). The host guarantees |sum| * 2^up and den stay below
 *   2^53, where the engine's double arithmetic is exact too;
 * - windowed average pool: the same average of each window's sum, the
 *   divisor geometry.ts's (in-image taps, or the clipped area with
 *   count_include_pad).
 */

const CHUNK: i32 = 8192;

export function add_i16_narrow(a: usize, b: usize, n: i32, ua: i32, ub: i32, acc: usize, dst: usize, shifts: usize, q: usize): i32 {
  const va = i32x4.splat(ua), vb = i32x4.splat(ub);
  let events = 0;
  for (let i0 = 0; i0 < n; i0 += CHUNK) {
    const m = min(CHUNK, n - i0);
    const pa = a + (<usize>i0 << 1), pb = b + (<usize>i0 << 1);
    let i = 0;
    for (; i + 8 <= m; i += 8) {
      const x = v128.load(pa + (<usize>i << 1)), y = v128.load(pb + (<usize>i << 1));
      const lo = i32x4.add(i32x4.mul(i32x4.extend_low_i16x8_s(x), va), i32x4.mul(i32x4.extend_low_i16x8_s(y), vb));
      const hi = i32x4.add(i32x4.mul(i32x4.extend_high_i16x8_s(x), va), i32x4.mul(i32x4.extend_high_i16x8_s(y), vb));
      v128.store(acc + (<usize>i << 2), lo);
      v128.store(acc + (<usize>i << 2), hi, 16);
    }
    for (; i < m; i++) store<i32>(acc + (<usize>i << 2), <i32>load<i16>(pa + (<usize>i << 1)) * ua + <i32>load<i16>(pb + (<usize>i << 1)) * ub);
    events += narrowBy(q, acc, m, dst + (<usize>i0 << 1), m, 1, m, shifts);
  }
  return events;
}

/**
 * sum * 2^up / den rounded with the mode (floor quotient and remainder, twice
 * the remainder compared with den for ties), then the overflow mode when
 * outside [lo, hi]: the code, with bit 16 set for an event.
 */
// @ts-ignore: decorator
@inline function average(s: i64, up: i32, d: i64, mode: i32, ovf: i32, l: i64, h: i64, width: i32, signed: bool): i32 {
  const num = s << <i64>up;
  let q = num / d, r = num % d;
  if (r < 0) {
    q -= 1;
    r += d;
  }
  let v = q;
  if (r != 0) {
    const tw = r << 1;
    const cmp = tw < d ? -1 : tw > d ? 1 : 0;
    if (roundsUp(mode, q < 0, cmp, (q & 1) != 0)) v = q + 1;
  }
  if (v >= l && v <= h) return <i32>v & 0xffff;
  return (<i32>overflowed(v, ovf, l, h, width, signed) & 0xffff) | 0x10000;
}

export function gap_i16(
  x: usize, planes: i32, plane: i32, up: i32, den: f64, mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: i32, dst: usize,
): i32 {
  const d = <i64>den, l = <i64>lo, h = <i64>hi;
  let events = 0;
  for (let p = 0; p < planes; p++) {
    const src = x + (<usize>(p * plane) << 1);
    let s: i64 = 0;
    for (let i = 0; i < plane; i++) s += <i64>load<i16>(src + (<usize>i << 1));
    const v = average(s, up, d, mode, ovf, l, h, width, signed != 0);
    events += v >>> 16;
    store<i16>(dst + (<usize>p << 1), <i16>v);
  }
  return events;
}

/**
 * Windowed average pool over `planes` planes of h x w codes: window (oy, ox)
 * sums its in-image taps (rows oy*sh - pt + i*dh, columns ox*sw - pl + j*dw),
 * its divisor n is the number of those taps, or with `include` the window's
 * area clipped to the padded extent (pads pb, pr at the far ends); then
 * average(sum, up, n * down). `geo` holds kh, kw, sh, sw, pt, pl, pb, pr,
 * dh, dw, include (int32). The host ensures every window has a tap.
 */
export function avgpool_i16(
  x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, geo: usize, up: i32, down: f64,
  mode: i32, ovf: i32, lo: i32, hi: i32, width: i32, signed: i32, dst: usize,
): i32 {
  const kh = load<i32>(geo), kw = load<i32>(geo, 4), sh = load<i32>(geo, 8), sw = load<i32>(geo, 12);
  const pt = load<i32>(geo, 16), pl = load<i32>(geo, 20), pb = load<i32>(geo, 24), pr = load<i32>(geo, 28);
  const dh = load<i32>(geo, 32), dw = load<i32>(geo, 36), include = load<i32>(geo, 40) != 0;
  const dn = <i64>down, l = <i64>lo, hh = <i64>hi, sg = signed != 0;
  let events = 0, o = dst;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * h * w) << 1);
    for (let oy = 0; oy < oh; oy++) {
      const hs = oy * sh - pt;
      for (let ox = 0; ox < ow; ox++) {
        const ws = ox * sw - pl;
        let s: i64 = 0, n = 0;
        for (let i = 0; i < kh; i++) {
          const r = hs + i * dh;
          if (r < 0 || r >= h) continue;
          const row = base + (<usize>(r * w) << 1);
          for (let j = 0; j < kw; j++) {
            const c = ws + j * dw;
            if (c < 0 || c >= w) continue;
            s += <i64>load<i16>(row + (<usize>c << 1));
            n++;
          }
        }
        if (include) n = (min(hs + kh, h + pb) - hs) * (min(ws + kw, w + pr) - ws);
        const v = average(s, up, <i64>n * dn, mode, ovf, l, hh, width, sg);
        events += v >>> 16;
        store<i16>(o, <i16>v);
        o += 2;
      }
    }
  }
  return events;
}
