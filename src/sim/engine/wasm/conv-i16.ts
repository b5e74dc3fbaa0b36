import { alloc, i32View, release } from './heap.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';
import { NR_I16, pairDepth } from './pack-i16.js';
import { rowBlock } from './gemm-i16.js';
import { readI32, stageBytes, writeI16 } from './transfer.js';
import { convArgs, convPlan, eachImageGroup, type ConvGeometry, type ConvWeightsI16 } from './conv-weights.js';

/** Bytes of im2col panels built and consumed at a time (they stay in L2). */
export const COL_BYTES = 96 * 1024;

/**
 * Integer 2-D convolution, NCHW: out[n, co, oy, ox] (=|+=) bias[co] (or 0) +
 * sum over the group's input channels ci and taps (ki, kj) of
 * W[co, ci, ki, kj] * x[n, g*Cin_g + ci, oy*sh - pt + ki*dh, ox*sw - pl + kj*dw],
 * positions outside the input reading `padValue` (an int16; 0 when codes are
 * zero-point-free). Arithmetic and exactness as gemmI16: int32 modulo 2^32,
 * exact when the true value lies in int32 (the caller's bound); x's values
 * must be integers in [-32768, 32767].
 */
export function convI16(
  x: ArrayLike<number>,
  shape: readonly number[],
  w: ConvWeightsI16,
  g: ConvGeometry,
  out: Int32Array | Float64Array,
  padValue = 0,
  accumulate = false,
): void {
  const p = convPlan('convI16', x, shape, w, g, out.length);
  const Kp = pairDepth(p.K);
  const k = kernels(),
    wAt = residentAt(w.data),
    biasAt = w.bias ? residentAt(w.bias) : 0;
  // Pixels per im2col block: about COL_BYTES of packed columns, whole panels.
  const block = Math.max(NR_I16, Math.floor(COL_BYTES / (Kp * 2 * NR_I16)) * NR_I16);
  const colOff = Math.ceil((x.length * 2) / 16) * 16,
    outOff = colOff + block * Kp * 2;
  const stage = outOff + Math.ceil((out.length * 4) / 16) * 16;
  const blk = alloc(stage + stageBytes(x, x.length, out, out.length), false);
  writeI16(x, blk.at, x.length, blk.at + stage);
  if (accumulate) i32View(blk.at + outOff, out.length).set(out);
  eachImageGroup(p, w.group, { x: blk.at, w: wAt, out: blk.at + outOff }, { x: 2, w: 2, out: 4 }, (xAt, wgAt, outAt, g) =>
    k.conv_i16(
      ...convArgs(p, { x: xAt, w: wgAt, out: outAt, col: blk.at + colOff }, padValue, block, rowBlock(p.K * 2), accumulate),
      biasAt + g * p.cog * 4,
      w.bias ? 2 : 0,
    ),
  );
  readI32(blk.at + outOff, out.length, out, blk.at + stage);
  release(blk);
}
