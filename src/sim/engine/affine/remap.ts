import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { makeRequant } from './outstage.js';
import { dequantize, quantizeUnclamped } from './quantize.js';

/** The code of raw 8-bit pattern `raw` of a tensor type. */
export function codeOfRaw(raw: number, type: 'int8' | 'uint8'): number {
  return type === 'int8' ? (raw << 24) >> 24 : raw;
}

/**
 * The 256-entry table, indexed by raw input pattern (code & 0xff), of an
 * elementwise function f between two 8-bit affine tensors; entries are
 * UNCLAMPED output codes (the kernel saturates and counts). Entry =
 * quantize(float32(f(dequantize(q)))): dequantize in float32, f in float64 on
 * that float32 value, the result rounded to float32 and quantized with the
 * scheme's rule (float32 division; ties to even for onnxruntime, away from
 * zero for the TFLite schemes). This is onnxruntime's lookup-table rule
 * (QlinearBuildLookupTable: dequantize, transform, MlasQuantizeLinear) and
 * TFLite's LUT rule with its rounding.
 */
export function codeTable(inP: AffineParams, outP: AffineParams, f: (x: number) => number, scheme: RequantScheme): Int32Array {
  const t = new Int32Array(256);
  for (let raw = 0; raw < 256; raw++) t[raw] = quantizeUnclamped(f(dequantize(codeOfRaw(raw, inP.type), inP)), outP, scheme);
  return t;
}

const identity = (x: number): number => x;

/**
 * Requantization of a code from one 8-bit tensor to another (maxpool and
 * concat inputs whose quant differs from the output's), as a table of
 * unclamped codes; null when the quants are equal (codes pass unchanged).
 * onnxruntime: DequantizeLinear then QuantizeLinear in float32 (its lookup
 * table for QLinearConcat, and a DQ -> Q pair); other schemes: zp_out +
 * requant(q - zp_in) with M = s_in / s_out (double) through the scheme.
 */
export function remapTable(inP: AffineParams, outP: AffineParams, scheme: RequantScheme): Int32Array | null {
  if (inP.type === outP.type && inP.scale === outP.scale && inP.zeroPoint === outP.zeroPoint) return null;
  if (scheme === 'onnxruntime') return codeTable(inP, outP, identity, scheme);
  const rq = makeRequant(inP.scale / outP.scale, outP.zeroPoint, scheme);
  const t = new Int32Array(256);
  for (let raw = 0; raw < 256; raw++) t[raw] = rq(codeOfRaw(raw, inP.type) - inP.zeroPoint);
  return t;
}
