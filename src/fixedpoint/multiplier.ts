import { UserError } from '../errors.js';
import { bitLength, decomposeDouble } from './double.js';
import { shiftRightRound } from './rounding.js';

/** A real multiplier M ~ multiplier * 2^(shift - 31), multiplier a Q0.31 int32. */
export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/**
 * TFLite/gemmlowp QuantizeMultiplier: frexp(M) = q * 2^shift with
 * 0.5 <= |q| < 1; multiplier = round_half_away(q * 2^31) (exact: q has at most
 * 53 bits); if that gives 2^31 then multiplier = 2^30 and shift + 1; if
 * shift < -31 the multiplier flushes to 0 with shift 0; M = 0 gives (0, 0).
 * With scheme 'single-rounding' (TFLITE_SINGLE_ROUNDING builds) a shift above
 * 30 saturates to multiplier 2^31 - 1, shift 30.
 * Facts from tensorflow/lite/kernels/internal/quantization_util.cc.
 */
export function quantizeMultiplier(real: number, scheme: 'gemmlowp' | 'single-rounding' = 'gemmlowp'): QuantizedMultiplier {
  if (!Number.isFinite(real)) throw new UserError(`cannot quantize the multiplier ${real}: it must be a finite number`);
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { mant, exp } = decomposeDouble(real);
  const mag = mant < 0n ? -mant : mant;
  const bits = bitLength(mag);
  let shift = exp + bits; // real = (mag / 2^bits) * 2^shift, mag / 2^bits in [0.5, 1)
  // q * 2^31 = mag * 2^(31 - bits); for positive values RND (half up) is half away
  let m = Number(shiftRightRound(mag, bits - 31, 'RND'));
  if (m === 2 ** 31 && mant > 0n) {
    m = 2 ** 30;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (scheme === 'single-rounding' && shift > 30) return { multiplier: 2 ** 31 - 1, shift: 30 };
  return { multiplier: mant < 0n ? -m : m, shift };
}
