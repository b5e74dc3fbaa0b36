import { dequantizeLinear } from '../../../fixedpoint/onnx.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { AffineParams } from '../../quantize/affine/types.js';

/*
 * Float -> code quantization as each deployment target does it. Both divide
 * in float32 (x and scale rounded to float32 first, the quotient rounded once):
 * - onnxruntime: ONNX QuantizeLinear as MLAS computes it (fixedpoint
 *   quantizeLinear: round half to even, saturate);
 * - gemmlowp / single-rounding / tflite-float: TFLite's reference
 *   AffineQuantize, round(x / scale) with std::round (half away from zero),
 *   + zero point, saturate.
 * Values are finite here (dataset values, dequantized codes).
 */

/** Unclamped code: zp + round(float32(x) / float32(scale)) with the scheme's tie rule. */
export function quantizeUnclamped(x: number, p: AffineParams, scheme: RequantScheme): number {
  const v = Math.fround(Math.fround(x) / p.scale);
  return roundDouble(v, scheme === 'onnxruntime' ? 'RND_CONV' : 'RND_INF') + p.zeroPoint;
}

/** ONNX DequantizeLinear in float32 (as onnxruntime and TFLite's Dequantize compute it). */
export function dequantize(q: number, p: AffineParams): number {
  return dequantizeLinear(q, p.scale, p.zeroPoint);
}
