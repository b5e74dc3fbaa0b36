import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { ConvLayer, DenseLayer, IntAccumulator, LayerEvents } from '../../model.js';
import { channelScale, channelZeroPoint, type AffineLayer, type AffineParams, type FusedActivation } from '../types.js';
import { makeRequantizer } from '../../../fixedpoint/requant.js';
import { fusedRange, type OutRange, type Requant } from './outstage.js';
import { quantizeUnclamped } from './quantize.js';

/** A dense or conv layer of an affine model, compiled: weights minus their zero points, bias, output stage. */
export interface LinearPlan {
  /** Output channels (dense: N, conv: M) and weights per channel. */
  channels: number;
  perChannel: number;
  /** w - zw, row-major as the layer's weights. */
  wz: Int32Array;
  bias: Float64Array;
  /** Per channel: accumulator (int, in the accumulator's range) -> unclamped output code. */
  requant: Requant[];
  range: OutRange;
  /** Accumulator range and mode; `exact` when no partial sum can leave it (the fast path). */
  accMin: number;
  accMax: number;
  saturate: boolean;
  exact: boolean;
}

/**
 * Output stage of imported MatMulInteger / ConvInteger layers: the file's
 * float32 ops, float32(float32(acc) * scale) [+ bias in float32], then the
 * scheme's QuantizeLinear. The fused activation acts as the code clamp
 * (quantization is monotone and maps 0 to zp, so clamping the code equals
 * applying relu/relu6 to the float first).
 */
function rescaleRequant(l: AffineLayer, c: number, outP: AffineParams, scheme: RequantScheme): Requant {
  const r = l.rescale!;
  const s = r.scale.length === 1 ? r.scale[0]! : r.scale[c]!;
  const b = r.bias === undefined ? undefined : r.bias.length === 1 ? r.bias[0]! : r.bias[c]!;
  return (acc) => {
    let v = Math.fround(Math.fround(acc) * s);
    if (b !== undefined) v = Math.fround(v + b);
    return quantizeUnclamped(v, outP, scheme);
  };
}

/**
 * The fixedpoint room's requantizer for M = s_in * s_w / s_out under the
 * scheme, with its clamp widened to zp +- 2^24 so that the output stage sees
 * (and counts) values beyond the type's range; inside [zp - 2^24, zp + 2^24]
 * the value is exactly zp + requant(acc).
 */
function linearRequant(sIn: number, sW: number, zp: number, sOut: number, scheme: RequantScheme): Requant {
  return makeRequantizer({ scaleIn: sIn, scaleW: sW, scaleOut: sOut, zeroPointOut: zp, qmin: zp - 2 ** 24, qmax: zp + 2 ** 24 }, scheme);
}

/** Worst-case |partial sum| of channel c: |bias| + sum |w - zw| * max |x - zx|. */
function channelBound(wz: Int32Array, c: number, per: number, bias: number, maxX: number): number {
  let s = 0;
  for (let i = c * per, e = i + per; i < e; i++) s += Math.abs(wz[i]!);
  return Math.abs(bias) + s * maxX;
}

export function planLinear(
  l: AffineLayer & (DenseLayer | ConvLayer), inP: AffineParams, outP: AffineParams, scheme: RequantScheme,
): LinearPlan {
  const w = l.weights;
  const q = w.quant as Extract<typeof w.quant, { kind: 'affine' }>;
  const channels = w.shape[0]!;
  const perChannel = w.codes.length / channels;
  const wz = new Int32Array(w.codes.length);
  for (let i = 0; i < wz.length; i++) wz[i] = w.codes[i]! - channelZeroPoint(q, Math.floor(i / perChannel));
  const bias = new Float64Array(channels);
  if (l.bias) bias.set(l.bias);
  const requant: Requant[] = [];
  for (let c = 0; c < channels; c++) {
    requant.push(l.rescale ? rescaleRequant(l, c, outP, scheme) : linearRequant(inP.scale, channelScale(q, c), outP.zeroPoint, outP.scale, scheme));
  }
  const acc = l.acc as IntAccumulator;
  const accMax = 2 ** (acc.bits - 1) - 1;
  const maxX = Math.max(Math.abs(inP.qmin - inP.zeroPoint), Math.abs(inP.qmax - inP.zeroPoint));
  let exact = true;
  for (let c = 0; c < channels && exact; c++) exact = channelBound(wz, c, perChannel, bias[c]!, maxX) <= accMax;
  return {
    channels, perChannel, wz, bias, requant,
    range: fusedRange(l.activation as FusedActivation | undefined, outP, scheme),
    accMin: -accMax - 1, accMax, saturate: acc.overflow === 'SAT', exact,
  };
}

/**
 * One accumulation step outside the fast path: v (exact) passed through the
 * accumulator's overflow mode, counting an event when it left the range
 * (WRAP: two's complement modulo 2^bits; SAT: clamp).
 */
export function accStep(v: number, p: LinearPlan, ev: LayerEvents): number {
  if (v >= p.accMin && v <= p.accMax) return v;
  if (p.saturate) {
    ev.saturations++;
    return v < p.accMin ? p.accMin : p.accMax;
  }
  ev.wraps++;
  const span = p.accMax - p.accMin + 1;
  const m = (v - p.accMin) % span;
  return (m < 0 ? m + span : m) + p.accMin;
}
