import { UserError } from '../errors.js';

/*
 * ONNX QuantizeLinear / DequantizeLinear with onnxruntime's float32 arithmetic.
 * onnxruntime's MLAS kernels (onnxruntime/core/mlas/lib/quantize.cpp,
 * MlasQuantizeLinearVector, and intrinsics/avx512/quantize_avx512f.cpp) compute
 * Input / Scale with a float32 DIVISION (not a multiplication by 1/scale),
 * clamp the quotient to [qmin - zp, qmax - zp] in float32, convert with round
 * half to even (cvtps2dq / fcvtns) and add the zero point. Clamping before or
 * after the rounding gives the same code because both bounds are integers.
 */

const RNE_MAGIC = 6755399441055744; // 1.5 * 2^52

function checkAffine(scale: number, zeroPoint: number, qmin: number, qmax: number): void {
  if (!(Number.isFinite(scale) && Math.fround(scale) > 0)) throw new UserError(`scale must be a positive finite float32, got ${scale}`);
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin > qmax || Math.abs(qmin) > 2 ** 24 || Math.abs(qmax) > 2 ** 24) {
    throw new UserError(`qmin..qmax must be integers within ±2^24 with qmin <= qmax, got ${qmin}..${qmax}`);
  }
  if (!Number.isInteger(zeroPoint) || zeroPoint < qmin || zeroPoint > qmax) {
    throw new UserError(`zero point must be an integer in ${qmin}..${qmax}, got ${zeroPoint}`);
  }
}

/**
 * ONNX QuantizeLinear as onnxruntime computes it: x and scale are float32
 * (Math.fround), q = clamp(rne(float32(x / scale)), qmin - zp, qmax - zp) + zp.
 * NaN gives qmin (SSE MAXPS and NEON FMAXNM both return the bound), ±Infinity
 * saturates. qmin/qmax: the output type's range, e.g. -128..127 or 0..255.
 */
export function quantizeLinear(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  checkAffine(scale, zeroPoint, qmin, qmax);
  return quantizeLinearUnchecked(Math.fround(x), Math.fround(scale), zeroPoint, qmin - zeroPoint, qmax - zeroPoint);
}

function quantizeLinearUnchecked(x32: number, s32: number, zp: number, vMin: number, vMax: number): number {
  let v = Math.fround(x32 / s32);
  v = v >= vMin ? v : vMin; // also maps NaN to vMin
  v = v <= vMax ? v : vMax;
  return v + RNE_MAGIC - RNE_MAGIC + zp;
}

/** quantizeLinear over an array (values read as float32), codes written to out. */
export function quantizeLinearArray(
  src: Float32Array | Float64Array,
  scale: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
  out: Int32Array | Float64Array,
): void {
  checkAffine(scale, zeroPoint, qmin, qmax);
  const s32 = Math.fround(scale);
  const vMin = qmin - zeroPoint;
  const vMax = qmax - zeroPoint;
  for (let i = 0; i < src.length; i++) out[i] = quantizeLinearUnchecked(Math.fround(src[i]!), s32, zeroPoint, vMin, vMax);
}

/**
 * ONNX DequantizeLinear as onnxruntime computes it for float32 output:
 * float32(float32(q - zp) * float32(scale)); q - zp taken in int32 (exact here).
 */
export function dequantizeLinear(q: number, scale: number, zeroPoint: number): number {
  if (!Number.isInteger(q) || !Number.isInteger(zeroPoint))
    throw new UserError(`dequantizeLinear needs integer q and zero point, got ${q}, ${zeroPoint}`);
  return Math.fround(Math.fround(q - zeroPoint) * Math.fround(scale));
}
