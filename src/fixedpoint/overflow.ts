import { maxCode, minCode } from './format.js';
import type { FixedFormat } from './types.js';

/** A code after narrowing, and whether the overflow mode had to act. */
export interface FixedResult {
  code: bigint;
  overflow: boolean;
}

/**
 * Lowest code the overflow mode lets through unchanged: min, except SAT_SYM
 * on a signed format, whose range is [-max, max] (ap_fixed treats the most
 * negative code as an underflow there and replaces it by -max).
 */
export function lowestKept(f: FixedFormat): bigint {
  return f.overflow === 'SAT_SYM' && f.signed ? -maxCode(f) : minCode(f);
}

/**
 * Narrows an exact integer x (already at f's LSB) into f's code range:
 * WRAP keeps the low W bits (two's complement when signed); SAT clamps to
 * [min, max]; SAT_ZERO gives 0 when x is out of range; SAT_SYM clamps signed
 * values to [-max, max] and is the same as SAT for unsigned formats.
 * overflow is true exactly when x is outside the kept range (so SAT_SYM flags
 * x = min of a signed format).
 */
export function applyOverflow(x: bigint, f: FixedFormat): FixedResult {
  const lo = lowestKept(f);
  const hi = maxCode(f);
  if (x >= lo && x <= hi) return { code: x, overflow: false };
  switch (f.overflow) {
    case 'WRAP':
      return { code: f.signed ? BigInt.asIntN(f.width, x) : BigInt.asUintN(f.width, x), overflow: true };
    case 'SAT':
    case 'SAT_SYM':
      return { code: x < lo ? lo : hi, overflow: true };
    case 'SAT_ZERO':
      return { code: 0n, overflow: true };
  }
}

/** Whether x (an integer at f's LSB) is outside the range f's overflow mode keeps. */
export function overflows(x: bigint, f: FixedFormat): boolean {
  return x < lowestKept(f) || x > maxCode(f);
}
