import { UserError } from '../errors.js';
import { checkInt32, multiplyByQuantizedMultiplier } from './gemmlowp.js';
import { quantizeMultiplier } from './multiplier.js';
import { roundDouble } from './rounding.js';

/** The integer requantization schemes of deployed int8 stacks (docs/requantization.md). */
export type RequantScheme = 'gemmlowp' | 'single-rounding' | 'tflite-float' | 'onnxruntime' | 'pytorch';
export const REQUANT_SCHEMES: readonly RequantScheme[] = ['gemmlowp', 'single-rounding', 'tflite-float', 'onnxruntime', 'pytorch'];

/**
 * Scales and output range of one requantization. Scales are stored as float32
 * by every stack (TFLite and ONNX tensors), so they are rounded with
 * Math.fround before use. actMin/actMax narrow [qmin, qmax] for fused
 * activations (ReLU: actMin = max(qmin, zeroPointOut)).
 */
export interface RequantParams {
  scaleIn: number;
  scaleW: number;
  scaleOut: number;
  zeroPointOut: number;
  qmin: number;
  qmax: number;
  actMin?: number;
  actMax?: number;
  /**
   * TFLite schemes: which TFLite kernel's multiplier derivation to model (docs/requantization.md).
   * 'conv' (default): Conv, DepthwiseConv and every per-channel path, M = double(s_in) * double(s_w) / double(s_out).
   * 'fully-connected': per-tensor FullyConnected and BatchMatMul, whose GetQuantizedConvolutionMultipler
   * (kernel_util.cc) takes the product of the two input scales in float32 first:
   * M = double(float32(s_in * s_w)) / double(s_out). Ignored by onnxruntime, which is float32 throughout.
   */
  tfliteKernel?: TfliteKernel;
}

/** The TFLite kernel family whose multiplier derivation a requantization models. */
export type TfliteKernel = 'conv' | 'fully-connected';
export const TFLITE_KERNELS: readonly TfliteKernel[] = ['conv', 'fully-connected'];

/** Parses a scheme name; UserError listing the accepted names. */
export function parseRequantScheme(s: string): RequantScheme {
  const found = REQUANT_SCHEMES.find((r) => r === s);
  if (!found) throw new UserError(`unknown requantization scheme '${s}': accepted ${REQUANT_SCHEMES.join(', ')}`);
  return found;
}

function checkScale(v: number, name: string): void {
  if (!(Number.isFinite(v) && Math.fround(v) > 0)) throw new UserError(`${name} must be a positive finite float32, got ${v}`);
}

/** Validates p and returns the output clamp [lo, hi] = [qmin, qmax] ∩ [actMin, actMax]. */
export function outputRange(p: RequantParams): { lo: number; hi: number } {
  checkScale(p.scaleIn, 'scaleIn');
  checkScale(p.scaleW, 'scaleW');
  checkScale(p.scaleOut, 'scaleOut');
  for (const [name, v] of [
    ['qmin', p.qmin],
    ['qmax', p.qmax],
    ['zeroPointOut', p.zeroPointOut],
  ] as const)
    checkInt32(v, name);
  if (p.qmin > p.qmax) throw new UserError(`qmin ${p.qmin} must not exceed qmax ${p.qmax}`);
  const lo = Math.max(p.qmin, p.actMin ?? p.qmin);
  const hi = Math.min(p.qmax, p.actMax ?? p.qmax);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) {
    throw new UserError(`activation range [${p.actMin}, ${p.actMax}] must be integers meeting [${p.qmin}, ${p.qmax}]`);
  }
  return { lo, hi };
}

/**
 * The real multiplier M = s_in * s_w / s_out as each stack forms it, from the
 * float32 scales. TFLite (gemmlowp, single-rounding, tflite-float): in double,
 * with the product s_in * s_w exact in double for the 'conv' kernels and
 * rounded to float32 first for the per-tensor 'fully-connected' ones (see
 * RequantParams.tfliteKernel; the two differ in about 10 % of int32-output
 * cases). onnxruntime: float32, left to right (QLinearConv/QLinearMatMul:
 * X_scale * W_scale / Y_scale on floats); pytorch: the same (ATen's
 * qlinear/qconv form float32(float32(s_in * s_w) / s_out)).
 */
export function realMultiplier(p: RequantParams, scheme: RequantScheme): number {
  const sIn = Math.fround(p.scaleIn);
  const sW = Math.fround(p.scaleW);
  const sOut = Math.fround(p.scaleOut);
  if (scheme === 'onnxruntime' || scheme === 'pytorch') return Math.fround(Math.fround(sIn * sW) / sOut);
  if (p.tfliteKernel === 'fully-connected') return Math.fround(sIn * sW) / sOut;
  return (sIn * sW) / sOut;
}

const RNE_MAGIC = 6755399441055744; // 1.5 * 2^52: v + M - M rounds |v| <= 2^51 half to even

/**
 * A requantizer for one parameter set: acc (the int32 accumulator plus bias)
 * to the final output code, zero point added and clamped to [lo, hi].
 *   gemmlowp / single-rounding: zp + MultiplyByQuantizedMultiplier(acc, m, shift)
 *     with (m, shift) = QuantizeMultiplier(M); the int32 sum is taken exactly
 *     before the clamp (saturating, where C++ would overflow).
 *   tflite-float: zp + round_half_away(double(acc) * M), the double product
 *     rounded once by IEEE; out-of-int32 values clamp (C++ leaves them undefined).
 *   onnxruntime (MLAS MlasRequantizeOutput): v = float32(float32(acc) * M32);
 *     v clamped to [qmin - zp, qmax - zp]; rounded half to even (cvtps2dq in
 *     the default rounding mode); + zp. Needs |qmin - zp|, |qmax - zp| <= 2^24.
 *   pytorch: as onnxruntime (qnnpack's fp32 requantization and fbgemm's
 *     ReQuantizeOutput: float32 product, round half to even, + zp, clamp).
 */
export function makeRequantizer(p: RequantParams, scheme: RequantScheme): (acc: number) => number {
  const { lo, hi } = outputRange(p);
  const zp = p.zeroPointOut;
  const M = realMultiplier(p, scheme);
  const clamp = (y: number): number => (y < lo ? lo : y > hi ? hi : y);
  switch (scheme) {
    case 'gemmlowp':
    case 'single-rounding': {
      const { multiplier, shift } = quantizeMultiplier(M, scheme);
      return (acc) => clamp(zp + multiplyByQuantizedMultiplier(acc, multiplier, shift, scheme));
    }
    case 'tflite-float':
      return (acc) => {
        checkInt32(acc, 'accumulator');
        return clamp(zp + roundDouble(acc * M, 'RND_INF'));
      };
    case 'onnxruntime':
    case 'pytorch': {
      const vMin = p.qmin - zp;
      const vMax = p.qmax - zp;
      if (Math.abs(vMin) > 2 ** 24 || Math.abs(vMax) > 2 ** 24) {
        throw new UserError(`onnxruntime requantization needs |qmin - zp| and |qmax - zp| <= 2^24, got ${vMin}, ${vMax}`);
      }
      return (acc) => {
        checkInt32(acc, 'accumulator');
        let v = Math.fround(Math.fround(acc) * M);
        v = v < vMin ? vMin : v > vMax ? vMax : v;
        return clamp(v + RNE_MAGIC - RNE_MAGIC + zp);
      };
    }
  }
}

/** One requantization (see makeRequantizer; build a requantizer once for many values). */
export function requantize(acc: number, p: RequantParams, scheme: RequantScheme): number {
  return makeRequantizer(p, scheme)(acc);
}
