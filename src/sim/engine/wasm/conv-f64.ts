import { alloc, f64View, release } from './heap.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';
import { NR_WIDE } from './pack-wide.js';
import { rowBlock } from './gemm-i16.js';
import { COL_BYTES } from './conv-i16.js';
import { convArgs, convPlan, eachImageGroup, type ConvGeometry, type ConvWeightsF64 } from './conv-weights.js';

/**
 * Float64 2-D convolution (for the float reference), geometry as convI16:
 * out[n, co, oy, ox] = s where s starts at the prior value (`accumulate`) or
 * +0 and s = s + W[co, ci, ki, kj] * v for (ci, ki, kj) in increasing order
 * (k = (ci*kh + ki)*kw + kj), v the input value or `padValue` outside the
 * image (padded taps are added too), each product and sum rounded to nearest
 * double (no fused multiply-add): bit for bit that scalar loop.
 */
export function convF64(
  x: ArrayLike<number>,
  shape: readonly number[],
  w: ConvWeightsF64,
  g: ConvGeometry,
  out: Float64Array,
  padValue = 0,
  accumulate = false,
): void {
  const p = convPlan('convF64', x, shape, w, g, out.length);
  const k = kernels(),
    wAt = residentAt(w.data);
  const block = Math.max(NR_WIDE, Math.floor(COL_BYTES / (p.K * 8 * NR_WIDE)) * NR_WIDE);
  const colOff = x.length * 8,
    outOff = colOff + block * p.K * 8;
  const blk = alloc(outOff + out.length * 8, false);
  f64View(blk.at, x.length).set(x);
  if (accumulate) f64View(blk.at + outOff, out.length).set(out);
  eachImageGroup(p, w.group, { x: blk.at, w: wAt, out: blk.at + outOff }, { x: 8, w: 8, out: 8 }, (xAt, wgAt, outAt) =>
    k.conv_f64(...convArgs(p, { x: xAt, w: wgAt, out: outAt, col: blk.at + colOff }, padValue, block, rowBlock(p.K * 8), accumulate)),
  );
  out.set(f64View(blk.at + outOff, out.length));
  release(blk);
}
