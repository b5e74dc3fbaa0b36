import type { ConvArgs } from './module.js';
import { int32Bias } from './packed.js';

/** 2-D convolution geometry, ONNX Conv's attributes (NCHW). */
export interface ConvGeometry {
  /** [sh, sw], default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** [top, left, bottom, right] (ONNX pads order), default 0. */
  readonly pads?: readonly [number, number, number, number];
  /** [dh, dw], default [1, 1]. */
  readonly dilations?: readonly [number, number];
}

/** Convolution weights in ONNX layout W[Cout][Cin/group][kh][kw]: int16 codes for convI16, int32 for convWide, doubles for convF64. */
export interface ConvWeights<T extends 'i16' | 'i32' | 'f64'> {
  readonly kind: T;
  /** [Cout, Cin/group, kh, kw]. */
  readonly shape: readonly [number, number, number, number];
  readonly group: number;
  readonly data: T extends 'i16' ? Int16Array : T extends 'i32' ? Int32Array : Float64Array;
  /** bias[co] added to every output of channel co (convI16 only). */
  readonly bias?: Int32Array;
}
export type ConvWeightsI16 = ConvWeights<'i16'>;
export type ConvWeightsI32 = ConvWeights<'i32'>;
export type ConvWeightsF64 = ConvWeights<'f64'>;

const RANGE = { i16: [-32768, 32767], i32: [-2147483648, 2147483647] } as const;

/** Checks the shape, group and values (integers in the kind's range; any double for f64) of convolution weights. */
function checkWeights(what: string, w: ArrayLike<number>, shape: readonly number[], group: number, kind: 'i16' | 'i32' | 'f64'): void {
  const [co, cig, kh, kw] = shape as [number, number, number, number];
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 1))
    throw new RangeError(`${what}: shape must be 4 positive integers, got [${shape.join(', ')}]`);
  if (!Number.isInteger(group) || group < 1 || co % group !== 0)
    throw new RangeError(`${what}: group ${group} must be a positive divisor of Cout=${co}`);
  if (w.length !== co * cig * kh * kw) throw new RangeError(`${what}: expected ${co * cig * kh * kw} weights, got ${w.length}`);
  if (kind === 'f64') return;
  const [lo, hi] = RANGE[kind];
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what}: weight ${i} = ${v} is not an integer in [${lo}, ${hi}]`);
  }
}

/**
 * Checks and copies int16 convolution weights (RangeError on a value outside
 * int16) and an optional int32 bias per output channel; Cout must be a
 * multiple of `group`.
 */
export function prepareConvI16(
  w: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  group = 1,
  bias?: ArrayLike<number>,
): ConvWeightsI16 {
  checkWeights('prepareConvI16', w, shape, group, 'i16');
  const base = { kind: 'i16', shape: [...shape], group, data: Int16Array.from(w) } as const;
  return bias ? { ...base, bias: int32Bias('prepareConvI16', bias, shape[0], shape[0]) } : base;
}

/** Checks and copies int32 convolution weights for convWide (RangeError on a value outside int32). */
export function prepareConvI32(w: ArrayLike<number>, shape: readonly [number, number, number, number], group = 1): ConvWeightsI32 {
  checkWeights('prepareConvI32', w, shape, group, 'i32');
  return { kind: 'i32', shape: [...shape], group, data: Int32Array.from(w) };
}

/** Checks and copies float64 convolution weights for convF64. */
export function prepareConvF64(w: ArrayLike<number>, shape: readonly [number, number, number, number], group = 1): ConvWeightsF64 {
  checkWeights('prepareConvF64', w, shape, group, 'f64');
  return { kind: 'f64', shape: [...shape], group, data: Float64Array.from(w) };
}

/** Output [N, Cout, OH, OW] of a convolution: OH = floor((H + pt + pb - dh*(kh-1) - 1) / sh) + 1, likewise OW. */
export function convOutputShape(
  x: readonly number[],
  w: { shape: readonly number[] },
  g: ConvGeometry = {},
): [number, number, number, number] {
  const [, , h, wd] = x as [number, number, number, number];
  const [, , kh, kw] = w.shape as [number, number, number, number];
  const [sh, sw] = g.strides ?? [1, 1],
    [dh, dw] = g.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = g.pads ?? [0, 0, 0, 0];
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((wd + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  return [x[0]!, w.shape[0]!, oh, ow];
}

/** Everything a conv call's kernel loop needs, checked: shapes, geometry with defaults. */
export interface ConvPlan {
  nb: number;
  c: number;
  h: number;
  w: number;
  co: number;
  cog: number;
  cig: number;
  kh: number;
  kw: number;
  oh: number;
  ow: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  dh: number;
  dw: number;
  K: number;
  P: number;
}

export function convPlan(
  what: string,
  x: ArrayLike<number>,
  shape: readonly number[],
  wt: ConvWeights<'i16' | 'i32' | 'f64'>,
  g: ConvGeometry,
  outLen: number,
): ConvPlan {
  const ok = (v: readonly number[] | undefined, min: number): boolean => !v || v.every((d) => Number.isInteger(d) && d >= min);
  if (shape.length !== 4 || !ok(shape, 1))
    throw new RangeError(`${what}: input shape must be [N, C, H, W] of positive integers, got [${shape.join(', ')}]`);
  if (shape[1] !== wt.shape[1] * wt.group)
    throw new RangeError(`${what}: input has ${shape[1]} channels, the weights expect ${wt.shape[1] * wt.group}`);
  if (!ok(g.strides, 1) || !ok(g.dilations, 1) || !ok(g.pads, 0))
    throw new RangeError(`${what}: strides and dilations must be positive integers, pads non-negative integers`);
  const [nb, c, h, w] = shape as [number, number, number, number];
  if (x.length !== nb * c * h * w)
    throw new RangeError(`${what}: input holds ${x.length} values, shape [${shape.join(', ')}] needs ${nb * c * h * w}`);
  const [, co, oh, ow] = convOutputShape(shape, wt, g);
  if (oh < 1 || ow < 1) throw new RangeError(`${what}: the kernel does not fit the padded input (output ${oh}x${ow})`);
  if (outLen !== nb * co * oh * ow) throw new RangeError(`${what}: out must hold ${nb}*${co}*${oh}*${ow} values, got ${outLen}`);
  const [, cig, kh, kw] = wt.shape;
  const [sh, sw] = g.strides ?? [1, 1],
    [dh, dw] = g.dilations ?? [1, 1],
    [pt, pl] = g.pads ?? [0, 0, 0, 0];
  return { nb, c, h, w, co, cog: co / wt.group, cig, kh, kw, oh, ow, sh, sw, pt, pl, dh, dw, K: cig * kh * kw, P: oh * ow };
}

/**
 * The arguments of an im2col + GEMM convolution kernel for one image-group
 * (module.ts's ConvArgs): `mc` the GEMM row block, `accumulate` to add to the
 * output already there.
 */
export function convArgs(
  p: ConvPlan,
  at: { x: number; w: number; out: number; col: number },
  pad: number,
  block: number,
  mc: number,
  accumulate: boolean,
): ConvArgs {
  return [
    at.x,
    p.cig,
    p.h,
    p.w,
    p.kh,
    p.kw,
    p.sh,
    p.sw,
    p.pt,
    p.pl,
    p.dh,
    p.dw,
    p.oh,
    p.ow,
    pad,
    at.w,
    p.cog,
    at.out,
    at.col,
    block,
    mc,
    accumulate ? 1 : 0,
  ];
}

/** Byte offsets of one image-group's input, weights and output rows for a conv call. */
export type ConvStep = (xAt: number, wAt: number, outAt: number, group: number) => void;

/**
 * Calls `step` for each image n and group g with the byte offsets of x[n, g's
 * channels], W[g's output channels] and out[n, g's output channels], for
 * elements of xBytes, wBytes and outBytes bytes.
 */
export function eachImageGroup(
  p: ConvPlan,
  group: number,
  at: { x: number; w: number; out: number },
  bytes: { x: number; w: number; out: number },
  step: ConvStep,
): void {
  for (let n = 0; n < p.nb; n++) {
    for (let g = 0; g < group; g++) {
      step(
        at.x + (n * p.c + g * p.cig) * p.h * p.w * bytes.x,
        at.w + g * p.cog * p.K * bytes.w,
        at.out + (n * p.co + g * p.cog) * p.P * bytes.out,
        g,
      );
    }
  }
}
