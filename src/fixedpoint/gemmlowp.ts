import { UserError } from '../errors.js';
import { singleRoundingMul, srdhmUnchecked } from './int64.js';

/** Throws a UserError unless v is an int32 integer. */
export function checkInt32(v: number, what: string): void {
  if ((v | 0) !== v) throw new UserError(`${what} must be an int32 integer (-2^31..2^31-1), got ${v}`);
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: trunc((a*b + nudge) / 2^31),
 * nudge = 2^30 if a*b >= 0 else 1 - 2^30, computed exactly although a*b
 * reaches 2^62 (see int64.ts); ties of a*b / 2^31 go toward +inf (the
 * negative nudge with truncation is a floor); a = b = INT32_MIN saturates to
 * INT32_MAX. Equals ARM SQRDMULH. a, b int32.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  checkInt32(a, 'a');
  checkInt32(b, 'b');
  return srdhmUnchecked(a, b);
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest with ties
 * away from zero, computed as (x >> e) + (rem > thr) with rem = x & (2^e - 1)
 * and thr = (2^e - 1) >> 1, plus 1 when x < 0. x int32, exponent 0..31.
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  checkInt32(x, 'x');
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 31) {
    throw new UserError(`roundingDivideByPOT exponent must be an integer 0..31, got ${exponent}`);
  }
  const mask = ((1 << exponent) - 1) | 0;
  const rem = x & mask;
  const thr = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (rem > thr ? 1 : 0);
}

/**
 * MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31) rounded.
 * 'gemmlowp' (double rounding, TFLite built-in kernels and TFLite Micro):
 *   RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), multiplier), max(-shift, 0)),
 *   where x * 2^left is the int32 product and keeps its low 32 bits when it
 *   does not fit, as the C expression x * (1 << left_shift) does on two's
 *   complement machines. shift -31..31.
 * 'single-rounding' (TFLITE_SINGLE_ROUNDING, ruy): (int64(x) * multiplier +
 *   2^(30 - shift)) >> (31 - shift), one rounding with ties toward +inf; the
 *   int64 result keeps its low 32 bits if it does not fit (static_cast). shift -31..30.
 * x and multiplier int32.
 */
export function multiplyByQuantizedMultiplier(
  x: number,
  multiplier: number,
  shift: number,
  scheme: 'gemmlowp' | 'single-rounding' = 'gemmlowp',
): number {
  checkInt32(x, 'x');
  checkInt32(multiplier, 'multiplier');
  const maxShift = scheme === 'gemmlowp' ? 31 : 30;
  if (!Number.isInteger(shift) || shift < -31 || shift > maxShift) {
    throw new UserError(`shift must be an integer -31..${maxShift} for ${scheme}, got ${shift}`);
  }
  if (scheme === 'single-rounding') return singleRoundingMul(x, multiplier, shift);
  const left = shift > 0 ? shift : 0;
  return roundingDivideByPOT(srdhmUnchecked(x << left, multiplier), shift > 0 ? 0 : -shift);
}
