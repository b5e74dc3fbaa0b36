import { UserError } from '../errors.js';
import { formatToString, fracBits, maxCode, minCode } from './format.js';
import { applyOverflow, type FixedResult } from './overflow.js';
import { shiftRightRound } from './rounding.js';
import type { FixedFormat } from './types.js';

/** Throws a UserError unless code is a code of f (within [minCode, maxCode]). */
export function checkCode(code: bigint, f: FixedFormat): void {
  if (code < minCode(f) || code > maxCode(f)) {
    throw new UserError(`code ${code} is not a code of ${formatToString(f)}: accepted ${minCode(f)}..${maxCode(f)}`);
  }
}

/**
 * Re-expresses a code of `from` in `to`, on integers only: the value
 * code * 2^-F_from is shifted to to's LSB, dropped bits rounded with
 * to.rounding, then to.overflow applied. from's own modes play no part.
 */
export function convert(code: bigint, from: FixedFormat, to: FixedFormat): FixedResult {
  checkCode(code, from);
  return applyOverflow(shiftRightRound(code, fracBits(from) - fracBits(to), to.rounding), to);
}
