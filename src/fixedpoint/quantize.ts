import { UserError } from '../errors.js';
import { bigToDouble, decomposeDouble, rationalToDouble } from './double.js';
import { fracBits, maxCode, minCode } from './format.js';
import { applyOverflow, type FixedResult } from './overflow.js';
import { divRound, shiftRightRound } from './rounding.js';
import type { FixedFormat } from './types.js';

/** Throws the UserError for a NaN or infinite input to a quantizer. */
export function checkFinite(x: number): void {
  if (!Number.isFinite(x)) throw new UserError(`cannot quantize ${x}: the value must be a finite number`);
}

/**
 * Quantizes the exact rational value of the double x (never a rounded
 * product) to f: the bits below the LSB 2^-F are dropped with f.rounding,
 * then f.overflow is applied. NaN and ±Infinity are UserErrors.
 */
export function quantize(x: number, f: FixedFormat): FixedResult {
  checkFinite(x);
  if (x === 0) return { code: 0n, overflow: false };
  const { mant, exp } = decomposeDouble(x);
  // x * 2^F = mant * 2^(exp + F)
  return applyOverflow(shiftRightRound(mant, -(exp + fracBits(f)), f.rounding), f);
}

/** Quantizes the exact rational num/den (den != 0) to f, like quantize. */
export function quantizeRational(num: bigint, den: bigint, f: FixedFormat): FixedResult {
  if (den === 0n) throw new UserError('cannot quantize a fraction with denominator 0');
  const F = fracBits(f);
  const q = F >= 0 ? divRound(num << BigInt(F), den, f.rounding) : divRound(num, den << BigInt(-F), f.rounding);
  return applyOverflow(q, f);
}

/** The double nearest to the real value code * 2^-F (exact when it fits in a double). */
export function toReal(code: bigint, f: FixedFormat): number {
  return bigToDouble(code, -fracBits(f));
}

/**
 * The quantization error code * 2^-F - x, computed exactly and rounded once
 * to the nearest double (positive when the code represents more than x).
 */
export function quantizationError(x: number, code: bigint, f: FixedFormat): number {
  checkFinite(x);
  const { mant, exp } = x === 0 ? { mant: 0n, exp: 0 } : decomposeDouble(x);
  const e0 = Math.min(-fracBits(f), exp);
  const diff = (code << BigInt(-fracBits(f) - e0)) - (mant << BigInt(exp - e0));
  return bigToDouble(diff, e0);
}

/** Like quantizationError for an exact rational input num/den. */
export function quantizationErrorRational(num: bigint, den: bigint, code: bigint, f: FixedFormat): number {
  const F = fracBits(f);
  // code/2^F - num/den = (code*den - num*2^F) / (den*2^F)
  return F >= 0
    ? rationalToDouble(code * den - (num << BigInt(F)), den << BigInt(F))
    : rationalToDouble((code << BigInt(-F)) * den - num, den);
}

/** Exact comparison of the double x with the real value of code in f: -1, 0 or 1. */
export function compareDoubleToCode(x: number, code: bigint, f: FixedFormat): number {
  checkFinite(x);
  const { mant, exp } = x === 0 ? { mant: 0n, exp: 0 } : decomposeDouble(x);
  const e0 = Math.min(-fracBits(f), exp);
  const diff = (mant << BigInt(exp - e0)) - (code << BigInt(-fracBits(f) - e0));
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Real range of f as doubles nearest to the exact ends [min * 2^-F, max * 2^-F]. */
export function realRange(f: FixedFormat): { min: number; max: number; lsb: number } {
  return { min: toReal(minCode(f), f), max: toReal(maxCode(f), f), lsb: bigToDouble(1n, -fracBits(f)) };
}
