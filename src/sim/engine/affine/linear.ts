import { makeRequantizer, realMultiplier, type RequantScheme, type TfliteKernel } from '../../../fixedpoint/requant.js';
import type { ConvLayer, DenseLayer, IntAccumulator } from '../../quantize/model.js';
import { channelScale, channelZeroPoint, type AffineLayer, type AffineParams, type FusedActivation } from '../../quantize/affine/types.js';
import { accChannel } from '../accumulate.js';
import type { LinearOperands } from '../scheme.js';
import { finish, fusedRange, type Requant } from './outstage.js';
import { quantizeUnclamped } from './quantize.js';

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
function linearRequant(sIn: number, sW: number, zp: number, sOut: number, scheme: RequantScheme, tfliteKernel: TfliteKernel): Requant {
  return makeRequantizer(
    { scaleIn: sIn, scaleW: sW, scaleOut: sOut, zeroPointOut: zp, qmin: zp - 2 ** 24, qmax: zp + 2 ** 24, tfliteKernel },
    scheme,
  );
}

/**
 * A dense or conv layer of an affine model: acc = bias + sum (x - zx) * (w - zw)
 * in an int accumulator of `bits` bits (ONNX: int32, WRAP), i.e. the signed
 * fixed-point format of `bits` integer bits with the accumulator's overflow
 * mode; output code = clamp(zp + requant(acc)) (outstage.ts). `tfliteKernel`
 * applies to dense layers with per-tensor weights (TFLite's FullyConnected);
 * every other layer takes the Conv derivation, as in TFLite.
 */
export function affineLinear(
  l: AffineLayer & (DenseLayer | ConvLayer),
  inP: AffineParams,
  outP: AffineParams,
  scheme: RequantScheme,
  tfliteKernel: TfliteKernel = 'conv',
): LinearOperands {
  const w = l.weights;
  const q = w.quant as Extract<typeof w.quant, { kind: 'affine' }>;
  const channels = w.shape[0]!;
  const per = w.codes.length / channels;
  const wz = new Float64Array(w.codes.length);
  for (let i = 0; i < wz.length; i++) wz[i] = w.codes[i]! - channelZeroPoint(q, Math.floor(i / per));
  const bias = new Float64Array(channels);
  if (l.bias) bias.set(l.bias);
  const requant = Array.from({ length: channels }, (_, c) =>
    l.rescale
      ? rescaleRequant(l, c, outP, scheme)
      : linearRequant(
          inP.scale,
          channelScale(q, c),
          outP.zeroPoint,
          outP.scale,
          scheme,
          l.op === 'dense' && q.scale.length === 1 ? tfliteKernel : 'conv',
        ),
  );
  const a = l.acc as IntAccumulator;
  const acc = accChannel({ signed: true, width: a.bits, intBits: a.bits, rounding: 'TRN', overflow: a.overflow });
  const maxX = Math.max(Math.abs(inP.qmin - inP.zeroPoint), Math.abs(inP.qmax - inP.zeroPoint));
  const bounds = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let i = c * per, e = i + per; i < e; i++) s += Math.abs(wz[i]!);
    bounds[c] = Math.abs(bias[c]!) + s * maxX;
  }
  const range = fusedRange(l.activation as FusedActivation | undefined, outP, scheme);
  // onnxruntime's requantization as data for the fused WebAssembly output stage (the same makeRequantizer parameters)
  const requantData =
    scheme === 'onnxruntime' && !l.rescale
      ? {
          multipliers: Array.from({ length: channels }, (_, c) =>
            realMultiplier(
              {
                scaleIn: inP.scale,
                scaleW: channelScale(q, c),
                scaleOut: outP.scale,
                zeroPointOut: outP.zeroPoint,
                qmin: 0,
                qmax: 0,
              },
              scheme,
            ),
          ),
          zp: outP.zeroPoint,
          ...range,
        }
      : undefined;
  return {
    w: wz,
    bias,
    xOffset: inP.zeroPoint,
    maxX,
    acc: new Array(channels).fill(acc),
    bounds,
    requant: requantData,
    channelRun: (m, src, s, dst, d, n, ev) => {
      const rq = requant[m]!;
      for (let i = 0; i < n; i++) dst[d + i] = finish(rq(src[s + i]!), range, ev);
    },
    interleaved: (src, dst, ev) => {
      for (let i = 0; i < src.length; i++) dst[i] = finish(requant[i % channels]!(src[i]!), range, ev);
    },
  };
}
