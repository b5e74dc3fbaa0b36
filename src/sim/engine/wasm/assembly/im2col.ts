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
@inline function slot(out: usize, panel: usize, rowOff: usize, p: i32): usize {
  return out + <usize>(p >> 4) * panel + rowOff + (<usize>(p & 15) << 2);
}

/** One row k of B: input channel ci, kernel offsets (ki, kj). */
function fillRow(
  x: usize, h: i32, w: i32, ci: i32, ki: i32, kj: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: i16, out: usize, panel: usize, rowOff: usize,
): void {
  for (let oy = 0; oy < oh; oy++) {
    const iy = oy * sh - pt + ki * dh;
    const p0 = oy * ow;
    if (iy < 0 || iy >= h) {
      for (let ox = 0; ox < ow; ox++) store<i16>(slot(out, panel, rowOff, p0 + ox), pad);
      continue;
    }
    const src = x + (<usize>((ci * h + iy) * w) << 1);
    let ix = kj * dw - pl;
    for (let ox = 0; ox < ow; ox++) {
      const v = ix >= 0 && ix < w ? load<i16>(src + (<usize>ix << 1)) : pad;
      store<i16>(slot(out, panel, rowOff, p0 + ox), v);
      ix += sw;
    }
  }
}

export function im2col_i16(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: i32, out: usize,
): void {
  const taps = kh * kw, K = c * taps, kp = K + (K & 1);
  const panel = <usize>kp << 5;
  for (let k = 0; k < K; k++) {
    const ci = k / taps, r = k % taps;
    const rowOff = (<usize>(k >> 1) << 6) + (<usize>(k & 1) << 1);
    fillRow(x, h, w, ci, r / kw, r % kw, sh, sw, pt, pl, dh, dw, oh, ow, <i16>pad, out, panel, rowOff);
  }
  if (K & 1) {
    const rowOff = (<usize>(K >> 1) << 6) + 2;
    const n = oh * ow;
    for (let p = 0; p < n; p++) store<i16>(slot(out, panel, rowOff, p), 0);
  }
}
