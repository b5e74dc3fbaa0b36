import { sizeOf } from '../../../models/graph.js';
import type { ConvLayer, DenseLayer, LayerEvents } from '../../quantize/model.js';
import { channelZeroPoint, type AffineLayer, type AffineParams } from '../../quantize/affine/types.js';
import { convGeometry, padPlane, type ConvGeometry } from '../geometry.js';
import type { Kernel } from '../kernel.js';
import type { AccumulationMode, LinearOperands } from '../scheme.js';

/*
 * Accumulation mode 'ort-u8s8-pairsat': the int32 accumulators of uint8 x
 * int8 dense and conv layers as onnxruntime's MLAS computes them on x86-64
 * with AVX2 (or AVX-512BW) and no VNNI. Its u8s8 kernels multiply raw codes
 * with vpmaddubsw (Intel SDM, PMADDUBSW): each pair of adjacent products
 * a[2i]*b[2i] + a[2i+1]*b[2i+1] is summed and saturated to int16
 * [-32768, 32767]; vpmaddwd and vpaddd then add the lanes in int32. The zero
 * points are applied afterwards, exactly, from row and column sums:
 *   acc = bias + P(a, b) - zb * sum(a) - za * sum(b) + K * za * zb   (int32, wrapping)
 * where P is the pair-saturated dot product of the RAW codes a (uint8) and b
 * (int8). Measured against onnxruntime 1.30 (test/sim/importers/quantized-onnx/pairsat.test.ts):
 * - dense (QLinearMatMul, QGemm, MatMulInteger, QDQ Gemm/MatMul): K in
 *   order, pairs (0,1), (2,3), ...; an odd K pairs its last product with 0;
 * - conv (QLinearConv, QDQ Conv): onnxruntime works in NHWC, so a window's K
 *   runs over taps (i, j) and, inside each tap, the group's input channels c:
 *   index (i * kw + j) * cg + c, pairs consecutive in that order (crossing
 *   from one tap to the next when cg is odd); padding taps hold the raw input
 *   zero point;
 * - exact (never saturated): layers with an int8 output (onnxruntime runs a
 *   uint8 -> int8 QDQ group unfused, in float32), depthwise convolutions (one input and one output
 *   channel per group: MLAS's depthwise kernel sums in int32), ConvInteger
 *   (imported with a float rescale), int8 x int8 and every other type pair.
 * With VNNI (vpdpbusd) onnxruntime sums four products in int32: exact.
 *
 * Mode 'onednn-u8s8-pairsat': PyTorch's onednn engine (oneDNN's AVX2 int8
 * kernels, the same vpmaddubsw) pairs dense layers the same way, but a
 * convolution pairs only inside each tap: channels (c, c+1) of tap (i, j),
 * an odd channel count pairing its last channel with 0 (measured against
 * PyTorch 1.13's onednn engine: test/sim/importers/quantized-onnx/onednn.test.ts).
 */

/** True for the layers onnxruntime runs on its pair-saturating u8 x s8 kernels (see above). */
export function pairSaturatedLayer(l: DenseLayer | ConvLayer, inType: string): boolean {
  const wq = l.weights.quant;
  if (inType !== 'uint8' || wq.kind !== 'affine' || wq.type !== 'int8') return false;
  // onnxruntime fuses uint8 groups only with a uint8 output: a uint8 -> int8 group runs in float32
  if (l.out.kind !== 'affine' || l.out.type !== 'uint8') return false;
  if (l.op === 'dense') return true;
  if ((l as AffineLayer).rescale) return false;
  const [M, cg] = l.weights.shape as [number, number];
  return !(cg === 1 && M === l.group);
}

const I16_MIN = -32768,
  I16_MAX = 32767;

/** sum over pairs of sat16(a[i]*b[i] + a[i+1]*b[i+1]), a at ao, b at bo, K entries; exact sum (the caller wraps). */
function pairDot(a: ArrayLike<number>, ao: number, b: Int32Array, bo: number, K: number): number {
  let s = 0,
    k = 0;
  for (; k + 1 < K; k += 2) {
    const p = a[ao + k]! * b[bo + k]! + a[ao + k + 1]! * b[bo + k + 1]!;
    s += p < I16_MIN ? I16_MIN : p > I16_MAX ? I16_MAX : p;
  }
  if (k < K) {
    const p = a[ao + k]! * b[bo + k]!;
    s += p < I16_MIN ? I16_MIN : p > I16_MAX ? I16_MAX : p;
  }
  return s;
}

/** Per output channel: its weight zero point, the sum of its raw weight codes and its bias. */
interface Channels {
  wz: Int32Array;
  wsum: Float64Array;
  bias: Float64Array;
}

function channels(w: Int32Array, N: number, K: number, l: AffineLayer & (DenseLayer | ConvLayer), bias: Float64Array): Channels {
  const q = l.weights.quant as Extract<typeof l.weights.quant, { kind: 'affine' }>;
  const wz = Int32Array.from({ length: N }, (_, n) => channelZeroPoint(q, n));
  const wsum = new Float64Array(N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wsum[n] += w[n * K + k]!;
  return { wz, wsum, bias };
}

/** bias + P - zb*sum(a) - za*sum(b) + K*za*zb, wrapped to int32 (a wrap counted). */
function correct(p: number, asum: number, n: number, K: number, za: number, ch: Channels, ev: LayerEvents): number {
  const wz = ch.wz[n]!;
  const v = ch.bias[n]! + (p | 0) - wz * asum - za * ch.wsum[n]! + K * za * wz;
  const w = v | 0;
  if (w !== v) ev.wraps++;
  return w;
}

function denseKernel(l: AffineLayer & DenseLayer, ops: LinearOperands, inP: AffineParams, inShape: readonly number[]): Kernel {
  const N = l.weights.shape[0]!,
    K = l.weights.codes.length / N;
  const w = Int32Array.from(l.weights.codes);
  const ch = channels(w, N, K, l, ops.bias);
  const rowsPerSample = sizeOf(inShape) / K,
    za = inP.zeroPoint;
  return ([x], batch, ev) => {
    const rows = rowsPerSample * batch;
    const acc = new Float64Array(rows * N);
    for (let r = 0; r < rows; r++) {
      let asum = 0;
      for (let k = 0; k < K; k++) asum += x![r * K + k]!;
      for (let n = 0; n < N; n++) acc[r * N + n] = correct(pairDot(x!, r * K, w, n * K, K), asum, n, K, za, ch, ev);
    }
    const y = new Float64Array(acc.length);
    ops.interleaved(acc, y, ev);
    return y;
  };
}

/** Weights [M, cg, kh, kw] reordered to onnxruntime's NHWC order [M, kh, kw, cg]. */
function nhwcWeights(codes: ArrayLike<number>, g: ConvGeometry): Int32Array {
  const out = new Int32Array(codes.length);
  for (let m = 0; m < g.M; m++)
    for (let c = 0; c < g.cg; c++)
      for (let i = 0; i < g.kh; i++)
        for (let j = 0; j < g.kw; j++) {
          out[((m * g.kh + i) * g.kw + j) * g.cg + c] = codes[((m * g.cg + c) * g.kh + i) * g.kw + j]!;
        }
  return out;
}

/** The raw codes of output pixel (oy, ox)'s window for the group starting at channel c0, in (i, j, c) order; xp holds x - za (padding 0). */
function windowNhwc(xp: Float64Array, c0: number, oy: number, ox: number, g: ConvGeometry, za: number, out: Float64Array): number {
  let t = 0,
    sum = 0;
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const at = (oy * g.sh + i * g.dh) * g.Wp + ox * g.sw + j * g.dw;
      for (let c = 0; c < g.cg; c++) {
        const v = xp[(c0 + c) * g.Hp * g.Wp + at]! + za;
        out[t++] = v;
        sum += v;
      }
    }
  }
  return sum;
}

/** The pair-saturated dot product of a window in (i, j, c) order: pairs across it (onnxruntime) or inside each tap (oneDNN). */
function windowDot(win: Float64Array, w: Int32Array, wo: number, g: ConvGeometry, perTap: boolean): number {
  if (!perTap) return pairDot(win, 0, w, wo, g.cg * g.kh * g.kw);
  let s = 0;
  for (let t = 0; t < g.kh * g.kw; t++) s += pairDot(win, t * g.cg, w, wo + t * g.cg, g.cg);
  return s;
}

function convKernel(
  l: AffineLayer & ConvLayer,
  ops: LinearOperands,
  inP: AffineParams,
  inShape: readonly number[],
  perTap: boolean,
): Kernel {
  const g = convGeometry(l, inShape);
  const K = g.cg * g.kh * g.kw,
    plane = g.OH * g.OW,
    za = inP.zeroPoint;
  const w = nhwcWeights(l.weights.codes, g);
  const ch = channels(w, g.M, K, l, ops.bias);
  const xp = new Float64Array(g.C * g.Hp * g.Wp),
    win = new Float64Array(K),
    acc = new Float64Array(g.M * plane);
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * g.M * plane);
    for (let b = 0; b < batch; b++) {
      padPlane(x!, b * g.C * g.H * g.W, g, za, xp);
      for (let grp = 0; grp < g.M / g.mPerGroup; grp++) {
        for (let p = 0; p < plane; p++) {
          const asum = windowNhwc(xp, grp * g.cg, Math.floor(p / g.OW), p % g.OW, g, za, win);
          for (let m = grp * g.mPerGroup; m < (grp + 1) * g.mPerGroup; m++)
            acc[m * plane + p] = correct(windowDot(win, w, m * K, g, perTap), asum, m, K, za, ch, ev);
        }
      }
      for (let m = 0; m < g.M; m++) ops.channelRun(m, acc, m * plane, y, (b * g.M + m) * plane, plane, ev);
    }
    return y;
  };
}

/**
 * The pair-saturating kernel of a dense or conv layer, or undefined when the
 * layer is not one onnxruntime saturates (pairSaturatedLayer). ops: the
 * layer's operands under the scheme (their bias and output stage are used).
 */
export function pairSaturatedKernel(
  l: AffineLayer & (DenseLayer | ConvLayer),
  ops: LinearOperands,
  inP: AffineParams,
  inShape: readonly number[],
  mode: Exclude<AccumulationMode, 'exact'> = 'ort-u8s8-pairsat',
): Kernel | undefined {
  if (!pairSaturatedLayer(l, inP.type)) return undefined;
  return l.op === 'dense' ? denseKernel(l, ops, inP, inShape) : convKernel(l, ops, inP, inShape, mode === 'onednn-u8s8-pairsat');
}
