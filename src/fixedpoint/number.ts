import { UserError } from '../errors.js';
import { scalePow2 } from './double.js';
import { fracBits } from './format.js';
import { quantize, checkFinite } from './quantize.js';
import { roundDouble } from './rounding.js';
import type { FixedFormat, Rounding } from './types.js';

/*
 * Number fast paths. Domain: codes of formats with W <= 53, so every code is a
 * safe integer. Exactness argument, used throughout: multiplying a double by a
 * power of two is exact unless the result overflows to Infinity or leaves the
 * normal range; rounding a double to an integer (floor, fraction compare) is
 * exact; and an integer-valued double minus a multiple of 2^W is exact when the
 * true difference is below 2^53. Where a step could overflow or underflow the
 * code says what it does instead, or falls back to the bigint path.
 */

/** Widest format the number paths accept (codes stay safe integers). */
export const MAX_NUMBER_WIDTH = 53;

function checkNumberWidth(f: FixedFormat, what: string): void {
  if (f.width > MAX_NUMBER_WIDTH) {
    throw new UserError(`${what}: width ${f.width} is beyond the number path (W <= ${MAX_NUMBER_WIDTH}); use the bigint functions`);
  }
}

/** Smallest kept code as a number (see lowestKept): -max for signed SAT_SYM. */
function lowKept(f: FixedFormat): number {
  if (!f.signed) return 0;
  const half = 2 ** (f.width - 1);
  return f.overflow === 'SAT_SYM' ? 1 - half : -half;
}

function highKept(f: FixedFormat): number {
  return 2 ** (f.signed ? f.width - 1 : f.width) - 1;
}

/**
 * Whether x (an integer-valued double at f's LSB, or ±Infinity meaning "far
 * beyond") lies outside the range f's overflow mode keeps. W <= 53.
 */
export function overflowsNumber(x: number, f: FixedFormat): boolean {
  return x < lowKept(f) || x > highKept(f);
}

/**
 * applyOverflow on numbers: x an integer-valued double at f's LSB (any
 * magnitude; ±Infinity stands for a value that is a multiple of 2^1024 and
 * wraps to 0). Returns the code. W <= 53.
 */
export function applyOverflowNumber(x: number, f: FixedFormat): number {
  const lo = lowKept(f);
  const hi = highKept(f);
  if (x >= lo && x <= hi) return x;
  switch (f.overflow) {
    case 'WRAP':
      return wrapNumber(x, f);
    case 'SAT':
    case 'SAT_SYM':
      return x < lo ? lo : hi;
    case 'SAT_ZERO':
      return 0;
  }
}

/** x modulo 2^W, as a two's-complement code when signed. */
export function wrapNumber(x: number, f: FixedFormat): number {
  if (!Number.isFinite(x)) return 0;
  const m = 2 ** f.width;
  const r = x - Math.floor(x / m) * m; // exact: see the file comment
  return f.signed && r >= m / 2 ? r - m : r;
}

/**
 * x / 2^shift rounded with mode, for an integer-valued double x; shift < 0
 * shifts left. Returns the exact integer result as a double, or ±Infinity when
 * a left shift leaves the double range (the true value is then a multiple of
 * 2^971, which applyOverflowNumber wraps to 0 or saturates).
 */
export function shiftRightRoundNumber(x: number, shift: number, mode: Rounding): number {
  if (x === 0) return 0;
  let v = scalePow2(x, -shift);
  // A right shift that underflows leaves |true value| < 1/2: only its sign matters.
  if (v === 0) v = x < 0 ? -Number.MIN_VALUE : Number.MIN_VALUE;
  return roundDouble(v, mode);
}

/**
 * quantize() returning the code as a number. W <= 53. Exact: x * 2^F is
 * formed by one power-of-two product; if it underflows to 0 the sign is kept
 * (the true value is below 1/2 LSB, so only its sign matters), if it overflows
 * to Infinity the true value is a multiple of 2^971 (WRAP gives 0, SAT a
 * bound). Formats with 2^F outside the double range use the bigint path.
 */
export function quantizeNumber(x: number, f: FixedFormat): number {
  checkNumberWidth(f, 'quantizeNumber');
  checkFinite(x);
  const F = fracBits(f);
  if (F > 1023 || F < -1074) return Number(quantize(x, f).code);
  let v = x * 2 ** F;
  if (v === 0 && x !== 0) v = x < 0 ? -Number.MIN_VALUE : Number.MIN_VALUE;
  return applyOverflowNumber(roundDouble(v, f.rounding), f);
}

/** convert() on number codes (W <= 53 for both formats; code must be a code of from, not checked here). */
export function convertNumber(code: number, from: FixedFormat, to: FixedFormat): number {
  checkNumberWidth(from, 'convertNumber');
  checkNumberWidth(to, 'convertNumber');
  return applyOverflowNumber(shiftRightRoundNumber(code, fracBits(from) - fracBits(to), to.rounding), to);
}
