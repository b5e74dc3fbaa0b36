import { sizeOf } from '../../../models/graph.js';
import type { ConvLayer, DenseLayer, IntAccumulator, LayerEvents } from '../../quantize/model.js';
import type { AffineLayer, AffineParams, FusedActivation } from '../../quantize/affine/types.js';
import { add, mul, ratOf } from './exact.js';
import { quantize32, rne } from './f32.js';
import { activateReal, codeOfReal, saturate, type Real } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * QLinearMatMul / QLinearConv (and MatMulInteger / ConvInteger with their
 * float rescale) by their ONNX definitions:
 *   A = bias + sum over taps of (x - x_zero_point) * (w - w_zero_point[c]),
 *   accumulated in an int of the layer's width (ONNX: int32; "accumulation may
 *   overflow if and only if in 32 bits"), bias first, taps in order, each
 *   partial sum passed through the accumulator's overflow mode;
 *   y = A * x_scale * w_scale[c] (real), the fused activation on y, then
 *   QuantizeLinear(y) with the output's scale and zero point.
 * 'real': y and the rounding of y / y_scale are exact.
 * 'float32': onnxruntime's arithmetic (MlasRequantizeOutput): multiplier
 * float32(float32(x_scale * w_scale) / y_scale), float32(float32(A) * M),
 * rounded half to even; the fused activation clamps the code at the code of
 * 0 (and of 6.0 for relu6). Float rescale: float32(float32(A) * scale)
 * [+ bias in float32], activation on the float, QuantizeLinear.
 */

export interface Accumulator {
  bits: number;
  saturate: boolean;
}

export function accumulatorOf(l: DenseLayer | ConvLayer): Accumulator {
  const a = l.acc as IntAccumulator;
  return { bits: a.bits, saturate: a.overflow === 'SAT' };
}

/** One partial sum through the accumulator's overflow mode (WRAP: two's complement via BigInt.asIntN). */
export function overflowStep(s: number, acc: Accumulator, ev: LayerEvents): number {
  const hi = 2 ** (acc.bits - 1) - 1;
  const lo = -hi - 1;
  if (s >= lo && s <= hi) return s;
  if (acc.saturate) {
    ev.saturations++;
    return s < lo ? lo : hi;
  }
  ev.wraps++;
  return Number(BigInt.asIntN(acc.bits, BigInt(s)));
}

/** The output code of accumulator A for channel c. */
export type OutputStage = (A: number, c: number, ev: LayerEvents) => number;

function channel(v: number[], c: number): number {
  return v.length === 1 ? v[0]! : v[c]!;
}

function realStage(l: AffineLayer & (DenseLayer | ConvLayer), inP: AffineParams, outP: AffineParams): OutputStage {
  const act = l.activation as FusedActivation | undefined;
  const wq = l.weights.quant as { scale: number[] };
  const r = l.rescale;
  return (A, c, ev) => {
    let y: Real;
    if (r) {
      const s = channel(r.scale, c);
      const b = r.bias ? channel(r.bias, c) : 0;
      y = { approx: A * s + b, exact: () => add(mul(ratOf(A), ratOf(s)), ratOf(b)) };
    } else {
      const sw = channel(wq.scale, c);
      y = { approx: A * (inP.scale * sw), exact: () => mul(ratOf(A), mul(ratOf(inP.scale), ratOf(sw))) };
    }
    return saturate(codeOfReal(activateReal(y, act), outP), outP, ev);
  };
}

const f = Math.fround;

function float32Stage(l: AffineLayer & (DenseLayer | ConvLayer), inP: AffineParams, outP: AffineParams): OutputStage {
  const act = l.activation as FusedActivation | undefined;
  const wq = l.weights.quant as { scale: number[] };
  const r = l.rescale;
  const six = quantize32(6, outP);
  return (A, c, ev) => {
    let code: number;
    if (r) {
      let v = f(f(A) * channel(r.scale, c));
      if (r.bias) v = f(v + channel(r.bias, c));
      if (act !== undefined) v = Math.max(v, 0);
      if (act === 'relu6') v = Math.min(v, 6);
      return saturate(quantize32(v, outP), outP, ev);
    }
    const M = f(f(inP.scale * channel(wq.scale, c)) / outP.scale);
    code = rne(f(f(A) * M)) + outP.zeroPoint;
    if (act !== undefined && code < outP.zeroPoint) code = outP.zeroPoint;
    if (act === 'relu6' && code > six) code = six;
    return saturate(code, outP, ev);
  };
}

export function outputStage(
  l: AffineLayer & (DenseLayer | ConvLayer),
  inP: AffineParams,
  outP: AffineParams,
  arithmetic: Arithmetic,
): OutputStage {
  return arithmetic === 'real' ? realStage(l, inP, outP) : float32Stage(l, inP, outP);
}

function weightZero(l: DenseLayer | ConvLayer, c: number): number {
  return channel((l.weights.quant as { zeroPoint: number[] }).zeroPoint, c);
}

/** Dense per its definition: every row of the input's last axis against every weight row. */
export function referenceDense(
  l: AffineLayer & DenseLayer,
  inShape: readonly number[],
  x: Float64Array,
  batch: number,
  inP: AffineParams,
  stage: OutputStage,
  ev: LayerEvents,
): Float64Array {
  const [N, K] = l.weights.shape as [number, number];
  const rows = (sizeOf(inShape) / K) * batch;
  const acc = accumulatorOf(l);
  const y = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < N; n++) {
      const zw = weightZero(l, n);
      let A = overflowStep(l.bias ? l.bias[n]! : 0, acc, ev);
      for (let k = 0; k < K; k++) A = overflowStep(A + (x[r * K + k]! - inP.zeroPoint) * (l.weights.codes[n * K + k]! - zw), acc, ev);
      y[r * N + n] = stage(A, n, ev);
    }
  }
  return y;
}

/** Convolution per its definition: in-image taps only, (c, i, j) order, groups. */
export function referenceConv(
  l: AffineLayer & ConvLayer,
  inShape: readonly number[],
  outShape: readonly number[],
  x: Float64Array,
  batch: number,
  inP: AffineParams,
  stage: OutputStage,
  ev: LayerEvents,
): Float64Array {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = outShape as [number, number, number];
  const [, Cg, KH, KW] = l.weights.shape as [number, number, number, number];
  const acc = accumulatorOf(l);
  const y = new Float64Array(batch * M * OH * OW);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let m = 0; m < M; m++) {
      const zw = weightZero(l, m);
      const cBase = Math.floor(m / (M / l.group)) * Cg;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let A = overflowStep(l.bias ? l.bias[m]! : 0, acc, ev);
          for (let c = 0; c < Cg; c++) {
            for (let i = 0; i < KH; i++) {
              const iy = oy * l.strides[0] - l.pads[0] + i * l.dilations[0];
              if (iy < 0 || iy >= H) continue;
              for (let j = 0; j < KW; j++) {
                const ix = ox * l.strides[1] - l.pads[1] + j * l.dilations[1];
                if (ix < 0 || ix >= W) continue;
                const xv = x[((b * C + cBase + c) * H + iy) * W + ix]! - inP.zeroPoint;
                A = overflowStep(A + xv * (l.weights.codes[((m * Cg + c) * KH + i) * KW + j]! - zw), acc, ev);
              }
            }
          }
          y[o++] = stage(A, m, ev);
        }
      }
    }
  }
  return y;
}
