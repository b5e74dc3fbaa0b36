import { sizeOf } from '../../../models/graph.js';
import type { ConvLayer, DenseLayer, LayerEvents } from '../../quantize/model.js';
import type { AffineLayer, AffineParams } from '../../quantize/affine/types.js';
import type { RefKernel } from '../kernel.js';
import { overflowStep, type OutputStage } from './linear.js';

/*
 * Reference of the accumulation 'ort-u8s8-pairsat': onnxruntime's u8 x s8
 * GEMM on x86-64 with AVX2 and no VNNI, from the instruction's definition
 * (Intel SDM, PMADDUBSW): the raw codes a (uint8) and b (int8) are multiplied
 * and adjacent products summed into one int16 lane WITH signed saturation,
 *   lane = clamp(a[2i]*b[2i] + a[2i+1]*b[2i+1], -32768, 32767),
 * lanes then added in int32; zero points are applied exactly afterwards.
 * Written as the ONNX accumulator plus what saturation removes from it:
 *   A = wrap32(bias + sum_k (a_k - za)(b_k - zb) + sum_pairs (lane - p)),
 * p the pair's exact sum of raw products (an odd K leaves its last product
 * alone in a lane). Which layers and which order (onnxruntime's, as the
 * engine documents in engine/affine/pairsat.ts): a dense layer pairs its K
 * inputs in order; a convolution pairs its window in NHWC order, taps (i, j)
 * outer and the group's channels c inner, padding taps holding the raw input
 * zero point; layers with an int8 output (run unfused in float32),
 * depthwise convolutions (one input and one output channel per
 * group), convolutions with a float rescale (ConvInteger) and every type
 * pair other than uint8 x int8 are exact.
 * 'onednn-u8s8-pairsat' (PyTorch's onednn engine on the same CPUs): dense
 * layers as above; a convolution forms its pairs inside each tap only, from
 * channels (c, c+1), an odd channel count leaving its last channel alone.
 */

export type RefAccumulation = 'exact' | 'ort-u8s8-pairsat' | 'onednn-u8s8-pairsat';

const INT32 = { bits: 32, saturate: false };

/** What pair saturation removes from the exact sum of raw products a[k]*b[k], pairs (0,1), (2,3), ... */
function saturationLoss(a: number[], b: number[]): number {
  let loss = 0;
  for (let k = 0; k < a.length; k += 2) {
    const p = a[k]! * b[k]! + (k + 1 < a.length ? a[k + 1]! * b[k + 1]! : 0);
    loss += Math.min(32767, Math.max(-32768, p)) - p;
  }
  return loss;
}

/**
 * bias + sum (a - za)(b - zb) + the pairs' saturation loss, wrapped to int32;
 * `group` > 0: pairs are formed inside consecutive groups of that many entries.
 */
function accumulate(bias: number, a: number[], b: number[], za: number, zb: number, ev: LayerEvents, group = 0): number {
  let exact = bias;
  for (let k = 0; k < a.length; k++) exact += (a[k]! - za) * (b[k]! - zb);
  let loss = 0;
  const n = group || a.length;
  for (let g = 0; g < a.length; g += n) loss += saturationLoss(a.slice(g, g + n), b.slice(g, g + n));
  return overflowStep(exact + loss, INT32, ev);
}

type Quant = { type: string; zeroPoint: number[] };

function zeroOf(l: DenseLayer | ConvLayer, c: number): number {
  const z = (l.weights.quant as unknown as Quant).zeroPoint;
  return z.length === 1 ? z[0]! : z[c]!;
}

/** True when onnxruntime runs this layer on its pair-saturating u8 x s8 kernel. */
function saturating(l: AffineLayer & (DenseLayer | ConvLayer), inP: AffineParams): boolean {
  const w = l.weights.quant as unknown as Quant & { kind: string };
  if (inP.type !== 'uint8' || w.kind !== 'affine' || w.type !== 'int8') return false;
  if ((l.out as unknown as Quant).type !== 'uint8') return false;
  if (l.op === 'dense') return true;
  const [M, cg] = l.weights.shape as [number, number];
  return l.rescale === undefined && !(cg === 1 && M === l.group);
}

function denseRef(l: AffineLayer & DenseLayer, inShape: readonly number[], za: number, stage: OutputStage): RefKernel {
  const [N, K] = l.weights.shape as [number, number];
  return ([x], batch, ev) => {
    const rows = (sizeOf(inShape) / K) * batch;
    const y = new Float64Array(rows * N);
    for (let r = 0; r < rows; r++) {
      const a = Array.from({ length: K }, (_, k) => x![r * K + k]!);
      for (let n = 0; n < N; n++) {
        const b = Array.from({ length: K }, (_, k) => l.weights.codes[n * K + k]!);
        y[r * N + n] = stage(accumulate(l.bias ? l.bias[n]! : 0, a, b, za, zeroOf(l, n), ev), n, ev);
      }
    }
    return y;
  };
}

function convRef(l: AffineLayer & ConvLayer, inShape: readonly number[], za: number, stage: OutputStage, perTap: boolean): RefKernel {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = l.shape as [number, number, number];
  const [, Cg, KH, KW] = l.weights.shape as [number, number, number, number];
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * M * OH * OW);
    let o = 0;
    for (let bi = 0; bi < batch; bi++)
      for (let m = 0; m < M; m++) {
        const c0 = Math.floor(m / (M / l.group)) * Cg;
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            const a: number[] = [],
              b: number[] = [];
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++)
                for (let c = 0; c < Cg; c++) {
                  const iy = oy * l.strides[0] - l.pads[0] + i * l.dilations[0];
                  const ix = ox * l.strides[1] - l.pads[1] + j * l.dilations[1];
                  const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
                  a.push(inside ? x![((bi * C + c0 + c) * H + iy) * W + ix]! : za);
                  b.push(l.weights.codes[((m * Cg + c) * KH + i) * KW + j]!);
                }
            y[o++] = stage(accumulate(l.bias ? l.bias[m]! : 0, a, b, za, zeroOf(l, m), ev, perTap ? Cg : 0), m, ev);
          }
      }
    return y;
  };
}

/**
 * The reference kernel of a dense or conv layer under `accumulation`, or
 * undefined when it accumulates exactly (then the ONNX definition applies).
 */
export function pairSaturatedReference(
  l: AffineLayer & (DenseLayer | ConvLayer),
  inShape: readonly number[],
  inP: AffineParams,
  stage: OutputStage,
  accumulation: RefAccumulation,
): RefKernel | undefined {
  if (accumulation === 'exact' || !saturating(l, inP)) return undefined;
  if (l.op === 'dense') return denseRef(l, inShape, inP.zeroPoint, stage);
  return convRef(l, inShape, inP.zeroPoint, stage, accumulation === 'onednn-u8s8-pairsat');
}
