/*
 * im2col into the wide (int64) GEMM's packed-B layout, for one image and one
 * group of a 2-D convolution (NCHW, int32 input). Row k = (ci*kh + ki)*kw + kj,
 * pixel p = oy*ow + ox, value x[ci, oy*sh - pt + ki*dh, ox*sw - pl + kj*dw] or
 * `pad` outside the h x w image (as im2col_i16). Layout: panels of 8 pixels;
 * pixels [p0, p1) (p0 a multiple of 8), pixel p, row k at byte
 * ((p - p0) >> 3)*K*32 + k*32 + ((p - p0) & 7)*4.
 */
export function im2col_i32(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, ow: i32, pad: i32, p0: i32, p1: i32, out: usize,
): void {
  const taps = kh * kw, K = c * taps;
  const panel = <usize>K << 5;
  for (let k = 0; k < K; k++) {
    const ci = k / taps, r = k % taps, ki = r / kw, kj = r % kw;
    const rowOff = <usize>k << 5;
    for (let p = p0; p < p1; p++) {
      const oy = p / ow, ox = p - oy * ow;
      const iy = oy * sh - pt + ki * dh, ix = ox * sw - pl + kj * dw;
      const v = iy >= 0 && iy < h && ix >= 0 && ix < w ? load<i32>(x + (<usize>((ci * h + iy) * w + ix) << 2)) : pad;
      const q = p - p0;
      store<i32>(out + <usize>(q >> 3) * panel + rowOff + (<usize>(q & 7) << 2), v);
    }
  }
}
