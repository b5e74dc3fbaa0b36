import { gemm_i16 } from './gemm-i16';
import { im2col_i16 } from './im2col';
import { narrow_i32_i16 } from './narrow';
import { requant_ort_i16 } from './requant';

/*
 * Dense and conv layers with their output stage fused: the int16 GEMM (exact
 * int32 accumulators, see gemm-i16) on a slice of the output that stays in
 * cache, then narrow_i32_i16 of that slice straight into the int16 codes of
 * the next layer. `q` points at the output stage's parameters, eight int32
 * whose last says which stage: 0 the pow2 narrowing (rounding, overflow, lo,
 * hi, width, signed, layout; `shifts` one int32 per channel, narrow.ts), 1
 * onnxruntime's requantization (zp, lo, hi, satLo, satHi, unused, layout;
 * `shifts` one float32 multiplier per channel, requant.ts). Both return the
 * number of events.
 */

// @ts-ignore: decorator
@inline export function narrowBy(q: usize, src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize): i32 {
  if (load<i32>(q, 28) == 1) {
    return requant_ort_i16(
      src, ls, dst, ld, rows, cols, shifts, load<i32>(q, 24) & 1, load<i32>(q), load<i32>(q, 4), load<i32>(q, 8), load<i32>(q, 12), load<i32>(q, 16),
    );
  }
  return narrow_i32_i16(
    src, ls, dst, ld, rows, cols, shifts, load<i32>(q, 24),
    load<i32>(q), load<i32>(q, 4), load<i32>(q, 8), load<i32>(q, 12), load<i32>(q, 16), load<i32>(q, 20),
  );
}

/**
 * Dense: m rows of A (int16, k columns, row stride k) times packed B (kp
 * depth, n columns, per-column bias) into dst (int16, m x n). Rows are taken
 * `mc` at a time (a block of A that stays in L2) and each 16-column panel of
 * B is swept over the block into the int32 scratch `acc` (mc x 16), narrowed
 * at once: B streams through the cache once per row block, the accumulators
 * never leave L1.
 */
export function dense_i16_narrow(
  a: usize, m: i32, k: i32, kp: i32, b: usize, n: i32, bias: usize, acc: usize, mc: i32,
  dst: usize, shifts: usize, q: usize,
): i32 {
  let events = 0;
  const panel = <usize>kp << 5;
  for (let r0 = 0; r0 < m; r0 += mc) {
    const rows = min(mc, m - r0), ar = a + (<usize>(r0 * k) << 1);
    for (let j = 0; j < n; j += 16) {
      const cols = min(16, n - j);
      gemm_i16(ar, k, rows, kp, b + <usize>(j >> 4) * panel, cols, acc, 16, rows, 0, bias + (<usize>j << 2), 1);
      events += narrowBy(q, acc, 16, dst + (<usize>(r0 * n + j) << 1), n, rows, cols, shifts + (<usize>j << 2));
    }
  }
  return events;
}

/**
 * Conv, one image and one group (geometry as conv_i16): pixels `block` at a
 * time, their im2col panels in `col`, the int32 accumulators of the block in
 * `acc` (cout x block), then narrowed into dst (cout rows of oh*ow int16).
 */
export function conv_i16_narrow(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, wgt: usize, cout: i32, bias: usize,
  col: usize, block: i32, mc: i32, acc: usize, dst: usize, shifts: usize, q: usize,
): i32 {
  const K = c * kh * kw, kp = K + (K & 1), P = oh * ow;
  let events = 0;
  for (let p0 = 0; p0 < P; p0 += block) {
    const p1 = min(P, p0 + block), cols = p1 - p0;
    im2col_i16(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, 0, p0, p1, col);
    gemm_i16(wgt, K, cout, kp, col, cols, acc, block, mc, 0, bias, 2);
    events += narrowBy(q, acc, block, dst + (<usize>p0 << 1), P, cout, cols, shifts);
  }
  return events;
}

/**
 * Activation by table: y[i] = low 16 bits of table[x[i] - base] (int32
 * entries), events += the entry's bits 16 and up (its event flag).
 */
export function gather_i16(x: usize, n: i32, table: usize, base: i32, y: usize): i32 {
  let events = 0, i = 0;
  // four independent lookups per iteration; t + 4 * x[i] is table + 4 * (x[i] - base) in wrapping i32 addresses
  const t = table - (<usize>base << 2);
  for (; i + 4 <= n; i += 4) {
    const p = x + (<usize>i << 1), q = y + (<usize>i << 1);
    const e0 = load<i32>(t + (<usize><i32>load<i16>(p) << 2)), e1 = load<i32>(t + (<usize><i32>load<i16>(p, 2) << 2));
    const e2 = load<i32>(t + (<usize><i32>load<i16>(p, 4) << 2)), e3 = load<i32>(t + (<usize><i32>load<i16>(p, 6) << 2));
    store<i16>(q, <i16>e0);
    store<i16>(q, <i16>e1, 2);
    store<i16>(q, <i16>e2, 4);
    store<i16>(q, <i16>e3, 6);
    events += (e0 >>> 16) + (e1 >>> 16) + (e2 >>> 16) + (e3 >>> 16);
  }
  for (; i < n; i++) {
    const e = load<i32>(table + (<usize>(<i32>load<i16>(x + (<usize>i << 1)) - base) << 2));
    store<i16>(y + (<usize>i << 1), <i16>e);
    events += e >>> 16;
  }
  return events;
}

/** marks[x[i] - base] = 1 for every i (the distinct codes of a tensor). */
export function mark_i16(x: usize, n: i32, base: i32, marks: usize): void {
  for (let i = 0; i < n; i++) store<u8>(marks + <usize>(<i32>load<i16>(x + (<usize>i << 1)) - base), 1);
}

/** The 2x2, stride-2 window wholly inside the image: eight outputs from two 32-byte row loads and lane maxima. */
function maxpool2x2(x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, y: usize): void {
  let o = y;
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const r0 = x + (<usize>((p * h + 2 * oy) * w) << 1), r1 = r0 + (<usize>w << 1);
      let ox = 0;
      for (; ox + 8 <= ow; ox += 8) {
        const at = <usize>ox << 2;
        const m0 = i16x8.max_s(v128.load(r0 + at), v128.load(r1 + at));
        const m1 = i16x8.max_s(v128.load(r0 + at, 16), v128.load(r1 + at, 16));
        const even = i16x8.shuffle(m0, m1, 0, 2, 4, 6, 8, 10, 12, 14), odd = i16x8.shuffle(m0, m1, 1, 3, 5, 7, 9, 11, 13, 15);
        v128.store(o + (<usize>ox << 1), i16x8.max_s(even, odd));
      }
      for (; ox < ow; ox++) {
        const at = <usize>ox << 2;
        const a = max(<i32>load<i16>(r0 + at), <i32>load<i16>(r0 + at, 2)), b = max(<i32>load<i16>(r1 + at), <i32>load<i16>(r1 + at, 2));
        store<i16>(o + (<usize>ox << 1), <i16>max(a, b));
      }
      o += <usize>ow << 1;
    }
  }
}

/**
 * MaxPool over `planes` planes of h x w int16 codes: output (oy, ox) is the
 * largest code of its window's in-image taps (rows oy*sh - pt + i*dh, columns
 * ox*sw - pl + j*dw); the host ensures every window has one.
 */
export function maxpool_i16(
  x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, dh: i32, dw: i32, y: usize,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1 && pt == 0 && pl == 0 && 2 * oh <= h && 2 * ow <= w) {
    maxpool2x2(x, planes, h, w, oh, ow, y);
    return;
  }
  if (w <= ROW_MAX) {
    maxpoolRows(x, planes, h, w, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw, y);
    return;
  }
  let o = y;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * h * w) << 1);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let m: i32 = -32768;
        for (let i = 0; i < kh; i++) {
          const r = oy * sh - pt + i * dh;
          if (r < 0 || r >= h) continue;
          const row = base + (<usize>(r * w) << 1);
          for (let j = 0; j < kw; j++) {
            const cc = ox * sw - pl + j * dw;
            if (cc >= 0 && cc < w) m = max(m, <i32>load<i16>(row + (<usize>cc << 1)));
          }
        }
        store<i16>(o, <i16>m);
        o += 2;
      }
    }
  }
}

/** Widest image row the two-pass max pool takes (its row of column maxima is static memory). */
const ROW_MAX: i32 = 4096;
const ROW: usize = memory.data(ROW_MAX * 2 + 16, 16);

/**
 * The general max pool in two passes per output row: the lane maxima of the
 * window's in-image rows (SIMD, eight columns at a time) into ROW, then each
 * output the largest of its in-image columns of ROW. The same maximum over
 * the same taps as the one-pass loop.
 */
function maxpoolRows(
  x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, dh: i32, dw: i32, y: usize,
): void {
  let o = y;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * h * w) << 1);
    for (let oy = 0; oy < oh; oy++) {
      let first = true;
      for (let i = 0; i < kh; i++) {
        const r = oy * sh - pt + i * dh;
        if (r < 0 || r >= h) continue;
        const row = base + (<usize>(r * w) << 1);
        if (first) {
          memory.copy(ROW, row, <usize>w << 1);
          first = false;
          continue;
        }
        let j = 0;
        for (; j + 8 <= w; j += 8) v128.store(ROW + (<usize>j << 1), i16x8.max_s(v128.load(ROW + (<usize>j << 1)), v128.load(row + (<usize>j << 1))));
        for (; j < w; j++) store<i16>(ROW + (<usize>j << 1), <i16>max(<i32>load<i16>(ROW + (<usize>j << 1)), <i32>load<i16>(row + (<usize>j << 1))));
      }
      for (let ox = 0; ox < ow; ox++) {
        let m: i32 = -32768;
        for (let j = 0; j < kw; j++) {
          const cc = ox * sw - pl + j * dw;
          if (cc >= 0 && cc < w) m = max(m, <i32>load<i16>(ROW + (<usize>cc << 1)));
        }
        store<i16>(o, <i16>m);
        o += 2;
      }
    }
  }
}

/**
 * Copies c planes of h x w int16 codes minus `off` (an input zero point; the
 * differences must fit int16) into planes of (pt + h + pb) x (pl + w + pr)
 * with a border of zeros: a convolution's zero padding made explicit (the
 * padded value 0 is the zero point's real 0), so im2col reads every tap from
 * memory and takes its vector path.
 */
export function pad_i16(x: usize, c: i32, h: i32, w: i32, pt: i32, pl: i32, pb: i32, pr: i32, off: i32, dst: usize): void {
  const hp = pt + h + pb, wp = pl + w + pr;
  if (pt + pb + pl + pr > 0) memory.fill(dst, 0, <usize>(c * hp * wp) << 1);
  const vo = i16x8.splat(<i16>off);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) {
      const d = dst + (<usize>((ch * hp + pt + i) * wp + pl) << 1), s = x + (<usize>((ch * h + i) * w) << 1);
      if (off == 0) {
        memory.copy(d, s, <usize>w << 1);
        continue;
      }
      let j = 0;
      for (; j + 8 <= w; j += 8) v128.store(d + (<usize>j << 1), i16x8.sub(v128.load(s + (<usize>j << 1)), vo));
      for (; j < w; j++) store<i16>(d + (<usize>j << 1), <i16>(<i32>load<i16>(s + (<usize>j << 1)) - off));
    }
  }
}
