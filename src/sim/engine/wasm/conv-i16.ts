import { alloc, i32View, release } from './heap.js';
import { readI32, stageBytes, writeI16 } from './transfer.js';
import { kernels } from './module.js';
import { int32Bias, residentAt } from './packed.js';
import { NR_I16, pairDepth } from './pack-i16.js';
import { rowBlock } from './gemm-i16.js';

/** Bytes of im2col panels built and consumed at a time (they stay in L2). */
const COL_BYTES = 96 * 1024;

/** 2-D convolution geometry, ONNX Conv's attributes (NCHW). */
export interface ConvGeometry {
  /** [sh, sw], default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** [top, left, bottom, right] (ONNX pads order), default 0. */
  readonly pads?: readonly [number, number, number, number];
  /** [dh, dw], default [1, 1]. */
  readonly dilations?: readonly [number, number];
}

/** Convolution weights for convI16: ONNX layout W[Cout][Cin/group][kh][kw], int16 codes. */
export interface ConvWeightsI16 {
  readonly kind: 'conv-i16';
  /** [Cout, Cin/group, kh, kw]. */
  readonly shape: readonly [number, number, number, number];
  readonly group: number;
  readonly data: Int16Array;
  /** bias[co] added to every output of channel co. */
  readonly bias?: Int32Array;
}

/**
 * Checks and copies convolution weights (integers in [-32768, 32767],
 * RangeError otherwise) and an optional int32 bias per output channel; Cout
 * must be a multiple of `group`.
 */
export function prepareConvI16(
  w: ArrayLike<number>, shape: readonly [number, number, number, number], group = 1, bias?: ArrayLike<number>,
): ConvWeightsI16 {
  const [co, cig, kh, kw] = shape;
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) throw new RangeError(`prepareConvI16: shape must be 4 positive integers, got [${shape.join(', ')}]`);
  if (!Number.isInteger(group) || group < 1 || co % group !== 0) throw new RangeError(`prepareConvI16: group ${group} must be a positive divisor of Cout=${co}`);
  if (w.length !== co * cig * kh * kw) throw new RangeError(`prepareConvI16: expected ${co * cig * kh * kw} weights, got ${w.length}`);
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!Number.isInteger(v) || v < -32768 || v > 32767) throw new RangeError(`prepareConvI16: weight ${i} = ${v} is not an integer in [-32768, 32767]`);
  }
  const base = { kind: 'conv-i16', shape: [co, cig, kh, kw], group, data: Int16Array.from(w) } as const;
  return bias ? { ...base, bias: int32Bias('prepareConvI16', bias, co, co) } : base;
}

/** Output [N, Cout, OH, OW] of a convolution: OH = floor((H + pt + pb - dh*(kh-1) - 1) / sh) + 1, likewise OW. */
export function convOutputShape(x: readonly number[], w: ConvWeightsI16, g: ConvGeometry = {}): [number, number, number, number] {
  const [, , h, wd] = x as [number, number, number, number];
  const [, , kh, kw] = w.shape;
  const [sh, sw] = g.strides ?? [1, 1], [dh, dw] = g.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = g.pads ?? [0, 0, 0, 0];
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((wd + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  return [x[0]!, w.shape[0], oh, ow];
}

function checkConv(x: ArrayLike<number>, shape: readonly number[], w: ConvWeightsI16, g: ConvGeometry, outLen: number): [number, number, number, number] {
  const ok = (v: readonly number[] | undefined, min: number): boolean => !v || v.every((d) => Number.isInteger(d) && d >= min);
  if (shape.length !== 4 || !ok(shape, 1)) throw new RangeError(`convI16: input shape must be [N, C, H, W] of positive integers, got [${shape.join(', ')}]`);
  if (shape[1] !== w.shape[1] * w.group) throw new RangeError(`convI16: input has ${shape[1]} channels, the weights expect ${w.shape[1] * w.group}`);
  if (!ok(g.strides, 1) || !ok(g.dilations, 1) || !ok(g.pads, 0)) throw new RangeError('convI16: strides and dilations must be positive integers, pads non-negative integers');
  if (x.length !== shape[0]! * shape[1]! * shape[2]! * shape[3]!) throw new RangeError(`convI16: input holds ${x.length} values, shape [${shape.join(', ')}] needs more or fewer`);
  const o = convOutputShape(shape, w, g);
  if (o[2] < 1 || o[3] < 1) throw new RangeError(`convI16: the kernel does not fit the padded input (output ${o[2]}x${o[3]})`);
  if (outLen !== o[0] * o[1] * o[2] * o[3]) throw new RangeError(`convI16: out must hold ${o.join('*')} values, got ${outLen}`);
  return o;
}

/**
 * Integer 2-D convolution, NCHW: out[n, co, oy, ox] (=|+=) bias[co] (or 0) + sum over the group's
 * input channels ci and taps (ki, kj) of W[co, ci, ki, kj] * x[n, g*Cin_g + ci,
 * oy*sh - pt + ki*dh, ox*sw - pl + kj*dw], positions outside the input reading
 * `padValue` (an int16; 0 when codes are zero-point-free). Arithmetic and
 * exactness as gemmI16: int32 modulo 2^32, exact when the true value lies in
 * int32 (the caller's bound); x's values must be integers in [-32768, 32767].
 */
export function convI16(
  x: ArrayLike<number>, shape: readonly number[], w: ConvWeightsI16, g: ConvGeometry, out: Int32Array | Float64Array,
  padValue = 0, accumulate = false,
): void {
  const [nb, co, oh, ow] = checkConv(x, shape, w, g, out.length);
  const [, c, h, wd] = shape as [number, number, number, number];
  const [cog, cig, kh, kw] = [co / w.group, w.shape[1], w.shape[2], w.shape[3]];
  const K = cig * kh * kw, Kp = pairDepth(K), P = oh * ow;
  const [sh, sw] = g.strides ?? [1, 1], [dh, dw] = g.dilations ?? [1, 1], [pt, pl] = g.pads ?? [0, 0, 0, 0];
  const k = kernels(), wAt = residentAt(w.data), biasAt = w.bias ? residentAt(w.bias) : 0;
  // Pixels per im2col block: about COL_BYTES of packed columns, whole panels.
  const block = Math.max(NR_I16, Math.floor(COL_BYTES / (Kp * 2 * NR_I16)) * NR_I16);
  const colOff = Math.ceil((x.length * 2) / 16) * 16, outOff = colOff + block * Kp * 2;
  const stage = outOff + Math.ceil((out.length * 4) / 16) * 16;
  const blk = alloc(stage + stageBytes(x, x.length, out, out.length), false);
  writeI16(x, blk.at, x.length, blk.at + stage);
  if (accumulate) i32View(blk.at + outOff, out.length).set(out);
  for (let n = 0; n < nb; n++) {
    for (let gi = 0; gi < w.group; gi++) {
      k.conv_i16(
        blk.at + (n * c + gi * cig) * h * wd * 2, cig, h, wd, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, padValue,
        wAt + gi * cog * K * 2, cog, blk.at + outOff + (n * co + gi * cog) * P * 4, blk.at + colOff, block, rowBlock(K * 2), accumulate ? 1 : 0,
        biasAt + gi * cog * 4, w.bias ? 2 : 0,
      );
    }
  }
  readI32(blk.at + outOff, out.length, out, blk.at + stage);
  release(blk);
}
