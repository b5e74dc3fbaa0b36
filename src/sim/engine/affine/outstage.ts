import { multiplyByQuantizedMultiplier } from '../../../fixedpoint/gemmlowp.js';
import { quantizeMultiplier } from '../../../fixedpoint/multiplier.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { LayerEvents } from '../../quantize/model.js';
import type { AffineParams, FusedActivation } from '../../quantize/affine/types.js';
import { quantizeUnclamped } from './quantize.js';

/*
 * The output stage of a requantizing layer (docs/requantization.md, 'Integer
 * requantization schemes'): an int32 accumulator (acc + bias) becomes
 * zp_out + requant(acc), saturated to the output type's range [qmin, qmax]
 * (counted as a saturation when it had to act), then clamped to the fused
 * activation's range (not counted: that is the activation).
 */

/** acc -> zp + requant(acc), before any clamp. */
export type Requant = (acc: number) => number;

/**
 * A requantizer for a multiplier M that is not s_in * s_w / s_out (pools,
 * requantizing copies; dense and conv use the fixedpoint room's
 * makeRequantizer), M already formed as the operation forms it, and output
 * zero point zp. The schemes' rounding, as docs/requantization.md defines them:
 * gemmlowp / single-rounding: zp + MultiplyByQuantizedMultiplier(acc, m, shift)
 * with (m, shift) = QuantizeMultiplier(M); tflite-float: zp +
 * round_half_away(double(acc) * M); onnxruntime: zp + rne(float32(float32(acc) * M)).
 * acc must be an int32.
 */
export function makeRequant(M: number, zp: number, scheme: RequantScheme): Requant {
  switch (scheme) {
    case 'gemmlowp':
    case 'single-rounding': {
      const { multiplier, shift } = quantizeMultiplier(M, scheme);
      return (acc) => zp + multiplyByQuantizedMultiplier(acc, multiplier, shift, scheme);
    }
    case 'tflite-float':
      return (acc) => zp + roundDouble(acc * M, 'RND_INF');
    case 'onnxruntime':
    case 'pytorch':
      return (acc) => zp + roundDouble(Math.fround(Math.fround(acc) * M), 'RND_CONV');
  }
}

/**
 * Final clamp [lo, hi] of a layer's codes and the range [satLo, satHi]
 * outside which a value counts as a saturation. A fused relu/helu keeps codes
 * at or above the code of 0 (zp); relu6 also at or below the code of 6.0 as
 * the scheme quantizes the constant 6 (TFLite CalculateActivationRangeQuantized;
 * onnxruntime's Relu/Clip fused into the quantization range). Values the
 * activation removes anyway are not saturations: with relu nothing below
 * [qmin..] counts, with relu6 nothing above counts unless the code of 6.0
 * itself lies above qmax.
 */
export interface OutRange {
  lo: number;
  hi: number;
  satLo: number;
  satHi: number;
}

export function fusedRange(act: FusedActivation | undefined, p: AffineParams, scheme: RequantScheme): OutRange {
  if (act === undefined) return { lo: p.qmin, hi: p.qmax, satLo: p.qmin, satHi: p.qmax };
  const lo = Math.max(p.qmin, p.zeroPoint);
  if (act !== 'relu6') return { lo, hi: p.qmax, satLo: -Infinity, satHi: p.qmax };
  const six = quantizeUnclamped(6, p, scheme);
  return { lo, hi: Math.min(p.qmax, six), satLo: -Infinity, satHi: six > p.qmax ? p.qmax : Infinity };
}

/** Counts y as a saturation when outside [satLo, satHi], then clamps it to [lo, hi]. */
export function finish(y: number, r: OutRange, ev: LayerEvents): number {
  if (y < r.satLo || y > r.satHi) ev.saturations++;
  return y < r.lo ? r.lo : y > r.hi ? r.hi : y;
}
