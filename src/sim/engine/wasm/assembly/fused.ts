import { gemm_i16 } from './gemm-i16';
import { im2col_i16 } from './im2col';
import { narrow_i32_i16 } from './narrow';

/*
 * Dense and conv layers with their output stage fused: the int16 GEMM (exact
 * int32 accumulators, see gemm-i16) on a slice of the output that stays in
 * cache, then narrow_i32_i16 of that slice straight into the int16 codes of
 * the next layer. `q` points at the narrowing parameters, seven int32:
 * rounding, overflow, lo, hi, width, signed, layout (narrow.ts), followed by
 * nothing else; `shifts` at one int32 per channel. Both return the number of
 * overflow events.
 */

// @ts-ignore: decorator
@inline function narrowBy(q: usize, src: usize, ls: i32, dst: usize, ld: i32, rows: i32, cols: i32, shifts: usize): i32 {
  return narrow_i32_i16(
    src, ls, dst, ld, rows, cols, shifts, load<i32>(q, 24),
    load<i32>(q), load<i32>(q, 4), load<i32>(q, 8), load<i32>(q, 12), load<i32>(q, 16), load<i32>(q, 20),
  );
}

/**
 * Dense: m rows of A (int16, k columns, row stride k) times packed B (kp
 * depth, n columns, per-column bias) into dst (int16, m x n), `chunk` rows at
 * a time through the int32 scratch `acc` (chunk x n).
 */
export function dense_i16_narrow(
  a: usize, m: i32, k: i32, kp: i32, b: usize, n: i32, bias: usize, acc: usize, chunk: i32, mc: i32,
  dst: usize, shifts: usize, q: usize,
): i32 {
  let events = 0;
  for (let r0 = 0; r0 < m; r0 += chunk) {
    const rows = min(chunk, m - r0);
    gemm_i16(a + (<usize>(r0 * k) << 1), k, rows, kp, b, n, acc, n, mc, 0, bias, 1);
    events += narrowBy(q, acc, n, dst + (<usize>(r0 * n) << 1), n, rows, n, shifts);
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
  let events = 0;
  for (let i = 0; i < n; i++) {
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

/**
 * MaxPool over `planes` planes of h x w int16 codes: output (oy, ox) is the
 * largest code of its window's in-image taps (rows oy*sh - pt + i*dh, columns
 * ox*sw - pl + j*dw); the host ensures every window has one.
 */
export function maxpool_i16(
  x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, dh: i32, dw: i32, y: usize,
): void {
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
