/*
 * im2col straight into the int16 GEMM's packed-B layout, for one image and one
 * group of a 2-D convolution (NCHW). Row k = (ci*kh + ki)*kw + kj of B, column
 * (pixel) p = oy*ow + ox holds x[ci, iy, ix] with iy = oy*sh - pt + ki*dh,
 * ix = ox*sw - pl + kj*dw, or `pad` where (iy, ix) falls outside the h x w
 * image. Packed layout: Kp = K rounded up to even, panels of 16 pixels, panel
 * q and k-pair r at byte q*Kp*32 + r*64, pixel c of the panel at +c*4, the
 * even row first; the pad row of an odd K is 0.
 * Then W (Cout_g x K, row-major, ONNX's weight layout) x B is the group's
 * output, Cout_g x (oh*ow): NCHW directly.
 */

// @ts-ignore: decorator
@inline function slot(out: usize, panel: usize, pairOff: usize, p: i32): usize {
  return out + <usize>(p >> 4) * panel + pairOff + (<usize>(p & 15) << 2);
}

// @ts-ignore: decorator
@inline function tap(src: usize, ok: bool, ix: i32, w: i32, pad: i32): i32 {
  return ok && ix >= 0 && ix < w ? <i32>load<i16>(src + (<usize>ix << 1)) : pad;
}

/** Eight taps of one image row, ix, ix + sw, ..., ix + 7*sw, for sw = 1 or 2 (the caller checks they lie inside). */
// @ts-ignore: decorator
@inline function eight(src: usize, ix: i32, sw: i32): v128 {
  const at = src + (<usize>ix << 1);
  if (sw == 1) return v128.load(at);
  return i16x8.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6, 8, 10, 12, 14);
}

/**
 * Rows k0 = (ci0, ki0, kj0) and k1 of one k-pair, pixels [p0, p1) (p0 a
 * multiple of 16; pixel p goes to panel (p - p0) >> 4 of `out`); has1 = false
 * makes k1 the zero pad row of an odd K. Each pixel takes one 32-bit store of
 * both values; with stride 1 or 2, eight pixels whose taps all lie inside (or
 * whose image rows lie wholly outside) and that fill half a panel take one or
 * two loads per row, shuffles that interleave the rows, and two 16-byte
 * stores. (With stride 2 the second load may read one element past the last
 * tap: at most 2 bytes past the image, inside the block's slack.)
 */
function fillPair(
  x: usize, h: i32, w: i32, ci0: i32, ki0: i32, kj0: i32, ci1: i32, ki1: i32, kj1: i32, has1: bool,
  sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, ow: i32, pad: i32, p0: i32, p1: i32,
  out: usize, panel: usize, pairOff: usize,
): void {
  const pad1 = has1 ? pad : 0;
  const padv0 = i16x8.splat(<i16>pad), padv1 = i16x8.splat(<i16>pad1);
  let p = p0;
  while (p < p1) {
    const oy = p / ow, oxStart = p - oy * ow, oxEnd = min(ow, oxStart + (p1 - p));
    const iy0 = oy * sh - pt + ki0 * dh, iy1 = oy * sh - pt + ki1 * dh;
    const ok0 = iy0 >= 0 && iy0 < h, ok1 = has1 && iy1 >= 0 && iy1 < h;
    const src0 = x + (<usize>((ci0 * h + iy0) * w) << 1), src1 = x + (<usize>((ci1 * h + iy1) * w) << 1);
    let ix0 = oxStart * sw + kj0 * dw - pl, ix1 = oxStart * sw + kj1 * dw - pl;
    const span = 7 * sw + 1, vec = sw <= 2;
    let ox = oxStart;
    while (ox < oxEnd) {
      const q = p + ox - oxStart - p0;
      if (vec && (q & 7) == 0 && ox + 8 <= oxEnd && (!ok0 || (ix0 >= 0 && ix0 + span <= w)) && (!ok1 || (ix1 >= 0 && ix1 + span <= w))) {
        const a = ok0 ? eight(src0, ix0, sw) : padv0;
        const b = ok1 ? eight(src1, ix1, sw) : padv1;
        const d = slot(out, panel, pairOff, q);
        v128.store(d, i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11));
        v128.store(d, i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15), 16);
        ox += 8; ix0 += 8 * sw; ix1 += 8 * sw;
        continue;
      }
      const v0 = tap(src0, ok0, ix0, w, pad), v1 = tap(src1, ok1, ix1, w, pad1);
      store<u32>(slot(out, panel, pairOff, q), <u32>(v0 & 0xffff) | (<u32>v1 << 16));
      ox++; ix0 += sw; ix1 += sw;
    }
    p += oxEnd - oxStart;
  }
}

/**
 * fillPair for whole output rows [oy0, oy1) of an unpadded image (every tap
 * inside), ow a multiple of 8 and stride sw of 1 or 2: eight pixels per step,
 * one or two loads per row (eight()), the two rows interleaved by shuffles
 * into two 16-byte stores; no per-pixel bounds tests.
 */
function fillPairRows(
  x: usize, h: i32, w: i32, ci0: i32, ki0: i32, kj0: i32, ci1: i32, ki1: i32, kj1: i32, has1: bool,
  sh: i32, sw: i32, dh: i32, dw: i32, ow: i32, oy0: i32, oy1: i32, out: usize, panel: usize, pairOff: usize,
): void {
  const zero = i16x8.splat(0);
  let q = 0;
  for (let oy = oy0; oy < oy1; oy++) {
    const src0 = x + (<usize>((ci0 * h + oy * sh + ki0 * dh) * w) << 1), src1 = x + (<usize>((ci1 * h + oy * sh + ki1 * dh) * w) << 1);
    for (let ox = 0; ox < ow; ox += 8, q += 8) {
      const a = eight(src0, ox * sw + kj0 * dw, sw);
      const b = has1 ? eight(src1, ox * sw + kj1 * dw, sw) : zero;
      const d = slot(out, panel, pairOff, q);
      v128.store(d, i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11));
      v128.store(d, i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15), 16);
    }
  }
}

/** Pixels [p0, p1) of B (p0 a multiple of 16) into `out`, panel (p - p0) >> 4. */
export function im2col_i16(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, ow: i32, pad: i32, p0: i32, p1: i32, out: usize,
): void {
  const taps = kh * kw, K = c * taps, kp = K + (K & 1);
  const panel = <usize>kp << 5;
  // whole rows whose taps all lie inside the image (no padding on any side they reach)
  const rows = pt == 0 && pl == 0 && sw <= 2 && (ow & 7) == 0 && p0 % ow == 0 && p1 % ow == 0 &&
    (ow - 1) * sw + (kw - 1) * dw < w && (p1 / ow - 1) * sh + (kh - 1) * dh < h;
  for (let k = 0; k < K; k += 2) {
    if (rows) {
      const r0 = k % taps, k1 = k + 1, has1 = k1 < K, r1 = has1 ? k1 % taps : 0;
      fillPairRows(
        x, h, w, k / taps, r0 / kw, r0 % kw, has1 ? k1 / taps : 0, r1 / kw, r1 % kw, has1,
        sh, sw, dh, dw, ow, p0 / ow, p1 / ow, out, panel, <usize>(k >> 1) << 6,
      );
      continue;
    }
    const r0 = k % taps, k1 = k + 1, has1 = k1 < K, r1 = has1 ? k1 % taps : 0;
    fillPair(
      x, h, w, k / taps, r0 / kw, r0 % kw, has1 ? k1 / taps : 0, r1 / kw, r1 % kw, has1,
      sh, sw, pt, pl, dh, dw, ow, pad, p0, p1, out, panel, <usize>(k >> 1) << 6,
    );
  }
}
