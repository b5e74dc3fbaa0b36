import { im2col_i16 } from './im2col';
import { gemm_i16 } from './gemm-i16';
import { im2col_f64, im2col_i32 } from './im2col-wide';
import { gemm_f64 } from './gemm-f64';
import { gemm_i64 } from './gemm-i64';

/*
 * One image and one group of an int16 convolution, NCHW: out (Cout_g rows of
 * oh*ow int32, row stride oh*ow) (=|+=) W (Cout_g x K int16, row-major, the
 * ONNX layout) x im2col(x). Pixels are taken `block` at a time (a multiple of
 * 16): their im2col panels are built in `col` (block*Kp int16, L2-sized) and
 * consumed at once by the GEMM, so B never leaves the cache. Arithmetic: the
 * GEMM's (int32, modulo 2^32); biasMode 2 adds bias[co] (int32) to row co.
 */
export function conv_i16(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: i32, wgt: usize, cout: i32, out: usize,
  col: usize, block: i32, mc: i32, add: i32, bias: usize, biasMode: i32,
): void {
  const K = c * kh * kw, kp = K + (K & 1), P = oh * ow;
  for (let p0 = 0; p0 < P; p0 += block) {
    const p1 = min(P, p0 + block);
    im2col_i16(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, pad, p0, p1, col);
    gemm_i16(wgt, K, cout, kp, col, p1 - p0, out + (<usize>p0 << 2), P, mc, add, bias, biasMode);
  }
}

/**
 * The 8-pixel-panel routes, pixels `block` (a multiple of 8) at a time:
 * T = i32: int32 input and weights, int64 output rows (modulo 2^64);
 * T = f64 (for the float reference): each output is s = C0 (add) or +0, then
 * s = s + W[co, k] * col[k, p] for k = (ci*kh + ki)*kw + kj increasing, padded
 * taps included (their value is `pad`), rounded at every step as gemm_f64.
 */
// @ts-ignore: decorator
@inline function convPanels8<T>(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: T, wgt: usize, cout: i32, out: usize,
  col: usize, block: i32, mc: i32, add: i32,
): void {
  const K = c * kh * kw, P = oh * ow;
  for (let p0 = 0; p0 < P; p0 += block) {
    const p1 = min(P, p0 + block);
    if (isInteger<T>()) {
      im2col_i32(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, <i32>pad, p0, p1, col);
      gemm_i64(wgt, K, cout, K, col, p1 - p0, out + (<usize>p0 << 3), P, mc, add);
    } else {
      im2col_f64(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, <f64>pad, p0, p1, col);
      gemm_f64(wgt, K, cout, K, col, p1 - p0, out + (<usize>p0 << 3), P, mc, add);
    }
  }
}

export function conv_i64(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: i32, wgt: usize, cout: i32, out: usize,
  col: usize, block: i32, mc: i32, add: i32,
): void {
  convPanels8<i32>(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, pad, wgt, cout, out, col, block, mc, add);
}

export function conv_f64(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, pad: f64, wgt: usize, cout: i32, out: usize,
  col: usize, block: i32, mc: i32, add: i32,
): void {
  convPanels8<f64>(x, c, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, pad, wgt, cout, out, col, block, mc, add);
}
