import { narrowBy } from './fused';

/*
 * Direct int16 convolution (no im2col) for stride-1 rows: the input image is
 * first copied into channel-pair-interleaved padded planes (pairs_i16):
 * element (cp, y, x) holds the two int16 codes of channels 2cp and 2cp + 1 at
 * byte ((cp*hp + y)*wp + x)*4. Eight consecutive pixels of one image row are
 * then 32 contiguous bytes, which is exactly the int16 GEMM's packed-B layout
 * of one k-pair for eight columns; the k-pair p = (cp*kh + ki)*kw + kj of a
 * group of eight output pixels starting at (oy, ox) is read at
 * ((cp*hp + oy*sh + ki*dh)*wp + ox + kj*dw)*4, the table `offs` holding each
 * pair's part that does not depend on the pixel. A 16-column panel is two
 * such groups (pixels p..p+7 and p+8..p+15 in raster order over rows of owp,
 * a multiple of 8, pixels: each group lies in one output row).
 * Weights: row co holds, for p increasing, W[co, 2cp, ki, kj] then
 * W[co, 2cp+1, ki, kj] (0 past the last channel of an odd count). The sum of
 * each output is the same as the im2col route's (the pairs only reorder the
 * terms, and int32 wrapping addition is exact modulo 2^32 in any order).
 */

/** 2x16 tile spill area for a partial panel. */
const SPILL: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline function put(c: usize, t: usize, cols: i32, x0: v128, x1: v128, x2: v128, x3: v128): void {
  if (cols == 16) {
    v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
    return;
  }
  v128.store(t, x0); v128.store(t, x1, 16); v128.store(t, x2, 32); v128.store(t, x3, 48);
  for (let j = 0; j < cols; j++) store<i32>(c + (<usize>j << 2), load<i32>(t + (<usize>j << 2)));
}

/** Rows i, i+1 of the weights (a0, a1) against one panel whose groups start at g0 and g1; accumulators from the rows' bias. */
function tile2(a0: usize, a1: usize, g0: usize, g1: usize, offs: usize, pairs: i32, c: usize, ldc: i32, cols: i32, bias: usize): void {
  let c00 = v128.load32_splat(bias), c01 = c00, c02 = c00, c03 = c00;
  let c10 = v128.load32_splat(bias, 4), c11 = c10, c12 = c10, c13 = c10;
  for (let p = 0; p < pairs; p++) {
    const o = <usize>load<i32>(offs + (<usize>p << 2)), at = <usize>p << 2;
    const x0 = v128.load32_splat(a0 + at), x1 = v128.load32_splat(a1 + at);
    const b0 = v128.load(g0 + o), b1 = v128.load(g0 + o, 16), b2 = v128.load(g1 + o), b3 = v128.load(g1 + o, 16);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, b1));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, b2)); c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, b3));
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, b1));
    c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x1, b2)); c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x1, b3));
  }
  put(c, SPILL, cols, c00, c01, c02, c03);
  put(c + (<usize>ldc << 2), SPILL + 64, cols, c10, c11, c12, c13);
}

/** The last row of an odd Cout against one panel. */
function tile1(a0: usize, g0: usize, g1: usize, offs: usize, pairs: i32, c: usize, cols: i32, bias: usize): void {
  let c00 = v128.load32_splat(bias), c01 = c00, c02 = c00, c03 = c00;
  for (let p = 0; p < pairs; p++) {
    const o = <usize>load<i32>(offs + (<usize>p << 2));
    const x0 = v128.load32_splat(a0 + (<usize>p << 2));
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, v128.load(g0 + o)));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, v128.load(g0 + o, 16)));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, v128.load(g1 + o)));
    c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, v128.load(g1 + o, 16)));
  }
  put(c, SPILL, cols, c00, c01, c02, c03);
}

/**
 * One image and group: xp the pair-interleaved padded planes (hp x wp), oh x
 * ow outputs (column stride 1, row stride sh) computed as oh x owp pixels
 * (owp: ow rounded up to a multiple of 8; the planes are wide enough for the
 * extra columns, whose sums are dropped), `pairs` k-pairs (offsets `offs`),
 * weights `wgt` (cout rows of pairs*2 int16), bias per row; `block` pixels
 * (a multiple of 16 and of owp) at a time into the int32 scratch `acc`
 * (cout x block), then each output row's ow pixels through the output stage
 * into dst (cout rows of oh*ow int16) as conv_i16_narrow. Returns the events.
 */
export function convd_i16_narrow(
  xp: usize, wp: i32, sh: i32, oh: i32, ow: i32, owp: i32, pairs: i32, offs: usize, wgt: usize, cout: i32, bias: usize,
  block: i32, acc: usize, dst: usize, shifts: usize, q: usize,
): i32 {
  const P = oh * owp, lda = <usize>pairs << 2;
  let events = 0;
  for (let p0 = 0; p0 < P; p0 += block) {
    const n = min(block, P - p0);
    for (let j = 0; j < n; j += 16) {
      const p = p0 + j, cols = min(16, n - j);
      const oy0 = p / owp, ox0 = p - oy0 * owp;
      const g0 = xp + (<usize>(oy0 * sh * wp + ox0) << 2);
      let g1 = g0;
      if (cols > 8) {
        const oy1 = (p + 8) / owp;
        g1 = xp + (<usize>(oy1 * sh * wp + p + 8 - oy1 * owp) << 2);
      }
      const c = acc + (<usize>j << 2);
      let i = 0;
      for (; i + 1 < cout; i += 2) {
        tile2(wgt + <usize>i * lda, wgt + <usize>(i + 1) * lda, g0, g1, offs, pairs, c + <usize>(i * block) * 4, block, cols, bias + (<usize>i << 2));
      }
      if (i < cout) tile1(wgt + <usize>i * lda, g0, g1, offs, pairs, c + <usize>(i * block) * 4, cols, bias + (<usize>i << 2));
    }
    const out = oh * ow;
    if (owp == ow) {
      events += narrowBy(q, acc, block, dst + (<usize>p0 << 1), out, cout, n, shifts);
      continue;
    }
    // blocks hold whole rows of owp pixels: each row's first ow
    const r0 = p0 / owp;
    for (let r = 0; r < n / owp; r++) {
      events += narrowBy(q, acc + (<usize>(r * owp) << 2), block, dst + (<usize>((r0 + r) * ow) << 1), out, cout, ow, shifts);
    }
  }
  return events;
}

/**
 * c planes of h x w int16 codes minus `off` into ceil(c/2) pair-interleaved
 * planes of (pt + h + pb) x (pl + w + pr) with a border of zeros (the
 * convolution's padding: 0 is the zero point's real 0); an odd count's last
 * pair has 0 as its second channel.
 */
export function pairs_i16(x: usize, c: i32, h: i32, w: i32, pt: i32, pl: i32, pb: i32, pr: i32, off: i32, dst: usize): void {
  const hp = pt + h + pb, wp = pl + w + pr, cp = (c + 1) >> 1;
  memory.fill(dst, 0, <usize>(cp * hp * wp) << 2);
  const vo = i16x8.splat(<i16>off);
  for (let k = 0; k < cp; k++) {
    const two = 2 * k + 1 < c;
    for (let i = 0; i < h; i++) {
      const d = dst + (<usize>((k * hp + pt + i) * wp + pl) << 2);
      const s0 = x + (<usize>((2 * k * h + i) * w) << 1), s1 = s0 + (<usize>(h * w) << 1);
      let j = 0;
      for (; j + 8 <= w; j += 8) {
        const a = i16x8.sub(v128.load(s0 + (<usize>j << 1)), vo);
        const b = two ? i16x8.sub(v128.load(s1 + (<usize>j << 1)), vo) : i16x8.splat(0);
        v128.store(d + (<usize>j << 2), i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11));
        v128.store(d + (<usize>j << 2), i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15), 16);
      }
      for (; j < w; j++) {
        store<i16>(d + (<usize>j << 2), <i16>(<i32>load<i16>(s0 + (<usize>j << 1)) - off));
        if (two) store<i16>(d + (<usize>j << 2), <i16>(<i32>load<i16>(s1 + (<usize>j << 1)) - off), 2);
      }
    }
  }
}
