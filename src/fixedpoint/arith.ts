import { UserError } from '../errors.js';
import { fracBits } from './format.js';
import { shiftRightRound } from './rounding.js';
import type { FixedFormat } from './types.js';

/*
 * Exact arithmetic with the ap_fixed full-precision result types. An unsigned
 * operand meeting a signed one needs one more integer bit to be held as
 * signed; that is the (s2 && !s1) term. Results are plain TRN/WRAP formats and
 * never overflow, so the codes are exact. Widths may exceed 64 here.
 */

/** A code together with the format it is a code of. */
export interface FixedValue {
  code: bigint;
  format: FixedFormat;
}

function result(signed: boolean, intBits: number, frac: number): FixedFormat {
  return { signed, width: intBits + frac, intBits, rounding: 'TRN', overflow: 'WRAP' };
}

function sumIntBits(a: FixedFormat, b: FixedFormat): number {
  return Math.max(a.intBits + (b.signed && !a.signed ? 1 : 0), b.intBits + (a.signed && !b.signed ? 1 : 0)) + 1;
}

/** a + b: I = max(I_a + (s_b && !s_a), I_b + (s_a && !s_b)) + 1, F = max(F_a, F_b), signed if either is. */
export function addFormat(a: FixedFormat, b: FixedFormat): FixedFormat {
  return result(a.signed || b.signed, sumIntBits(a, b), Math.max(fracBits(a), fracBits(b)));
}

/** a - b: as addFormat but always signed. */
export function subFormat(a: FixedFormat, b: FixedFormat): FixedFormat {
  return result(true, sumIntBits(a, b), Math.max(fracBits(a), fracBits(b)));
}

/** a * b: W = W_a + W_b, I = I_a + I_b, signed if either is. */
export function mulFormat(a: FixedFormat, b: FixedFormat): FixedFormat {
  return result(a.signed || b.signed, a.intBits + b.intBits, fracBits(a) + fracBits(b));
}

/**
 * Format that holds the exact sum of `count` values of f: ceil(log2(count))
 * more integer bits (count >= 1); signedness and F unchanged.
 */
export function sumFormat(f: FixedFormat, count: number): FixedFormat {
  let grow = 0;
  while (2 ** grow < count) grow++;
  return result(f.signed, f.intBits + grow, fracBits(f));
}

/** The code of `from` re-expressed at F fraction bits (F >= F_from: an exact left shift). */
function align(code: bigint, from: FixedFormat, frac: number): bigint {
  return shiftRightRound(code, fracBits(from) - frac, 'TRN');
}

/** Exact a + b in addFormat(fa, fb). */
export function addFixed(a: bigint, fa: FixedFormat, b: bigint, fb: FixedFormat): FixedValue {
  const format = addFormat(fa, fb);
  const F = fracBits(format);
  return { code: align(a, fa, F) + align(b, fb, F), format };
}

/** Exact a - b in subFormat(fa, fb). */
export function subFixed(a: bigint, fa: FixedFormat, b: bigint, fb: FixedFormat): FixedValue {
  const format = subFormat(fa, fb);
  const F = fracBits(format);
  return { code: align(a, fa, F) - align(b, fb, F), format };
}

/** Exact a * b in mulFormat(fa, fb): the product of the codes. */
export function mulFixed(a: bigint, fa: FixedFormat, b: bigint, fb: FixedFormat): FixedValue {
  return { code: a * b, format: mulFormat(fa, fb) };
}

/**
 * Exact sum of products sum_i a[i] * b[i] (a multiply-accumulate chain) in
 * sumFormat(mulFormat(fa, fb), n).
 */
export function dotFixed(a: readonly bigint[], fa: FixedFormat, b: readonly bigint[], fb: FixedFormat): FixedValue {
  if (a.length !== b.length) throw new UserError(`dot: operands have ${a.length} and ${b.length} elements; they must match`);
  let acc = 0n;
  for (let i = 0; i < a.length; i++) acc += a[i]! * b[i]!;
  return { code: acc, format: sumFormat(mulFormat(fa, fb), Math.max(1, a.length)) };
}
