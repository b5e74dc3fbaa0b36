/*
 * im2col into the packed-B layout of the wide (int64) and float64 GEMMs, for
 * one image and one group of a 2-D convolution (NCHW, elements of type T:
 * i32 or f64). Row k = (ci*kh + ki)*kw + kj, pixel p = oy*ow + ox, value
 * x[ci, oy*sh - pt + ki*dh, ox*sw - pl + kj*dw] or `pad` outside the h x w
 * image (as im2col_i16). Layout: panels of 8 pixels; pixels [p0, p1) (p0 a
 * multiple of 8), pixel p, row k at element ((p - p0) >> 3)*K*8 + k*8 + ((p - p0) & 7).
 */
// @ts-ignore: decorator
@inline function im2col<T>(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, ow: i32, pad: T, p0: i32, p1: i32, out: usize,
): void {
  const taps = kh * kw, K = c * taps, size = <usize>sizeof<T>();
  const panel = (<usize>K << 3) * size;
  for (let k = 0; k < K; k++) {
    const ci = k / taps, r = k % taps, ki = r / kw, kj = r % kw;
    const rowOff = (<usize>k << 3) * size;
    for (let p = p0; p < p1; p++) {
      const oy = p / ow, ox = p - oy * ow;
      const iy = oy * sh - pt + ki * dh, ix = ox * sw - pl + kj * dw;
      const v = iy >= 0 && iy < h && ix >= 0 && ix < w ? load<T>(x + <usize>((ci * h + iy) * w + ix) * size) : pad;
      const q = p - p0;
      store<T>(out + <usize>(q >> 3) * panel + rowOff + <usize>(q & 7) * size, v);
    }
  }
}

export function im2col_i32(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, ow: i32, pad: i32, p0: i32, p1: i32, out: usize,
): void {
  im2col<i32>(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, pad, p0, p1, out);
}

export function im2col_f64(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, ow: i32, pad: f64, p0: i32, p1: i32, out: usize,
): void {
  im2col<f64>(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, pad, p0, p1, out);
}
