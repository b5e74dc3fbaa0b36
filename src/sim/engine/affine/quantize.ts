import { dequantizeLinear } from '../../../fixedpoint/onnx.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import { pytorchQuantize } from './pytorch.js';
import type { InputStep } from '../../quantize/model.js';
import type { AffineParams } from '../../quantize/affine/types.js';

/*
 * Float -> code quantization as each deployment target does it. Both divide
 * in float32 (x and scale rounded to float32 first, the quotient rounded once):
 * - onnxruntime: ONNX QuantizeLinear as MLAS computes it (fixedpoint
 *   quantizeLinear: round half to even, saturate);
 * - gemmlowp / single-rounding / tflite-float: TFLite's reference
 *   AffineQuantize, round(x / scale) with std::round (half away from zero),
 *   + zero point, saturate;
 * - pytorch: quantize_per_tensor, a multiplication by the float32 inverse
 *   scale (pytorch.ts).
 * Values are finite here (dataset values, dequantized codes).
 */

/** Unclamped code: zp + round(float32(x) / float32(scale)) with the scheme's tie rule. */
export function quantizeUnclamped(x: number, p: AffineParams, scheme: RequantScheme): number {
  if (scheme === 'pytorch') return pytorchQuantize(x, p);
  const v = Math.fround(Math.fround(x) / p.scale);
  return roundDouble(v, scheme === 'onnxruntime' ? 'RND_CONV' : 'RND_INF') + p.zeroPoint;
}

/** ONNX DequantizeLinear in float32 (as onnxruntime and TFLite's Dequantize compute it). */
export function dequantize(q: number, p: AffineParams): number {
  return dequantizeLinear(q, p.scale, p.zeroPoint);
}

/** One input normalization step as ONNX Add/Sub/Mul/Div on float32 tensors: float32(float32(v) op value). */
export function inputStep(v: number, s: InputStep): number {
  const x = Math.fround(v);
  switch (s.op) {
    case 'add':
      return Math.fround(x + s.value);
    case 'sub':
      return Math.fround(x - s.value);
    case 'mul':
      return Math.fround(x * s.value);
    case 'div':
      return Math.fround(x / s.value);
  }
}
