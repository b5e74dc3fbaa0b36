import { UserError } from '../errors.js';

/** Largest decimal exponent parseDecimal accepts (keeps the exact integers small). */
const MAX_EXPONENT = 4000;

/**
 * The exact rational value of a decimal numeral: optional sign, digits with an
 * optional point, optional exponent ('-1.25', '.5', '3e-2', '1E+3').
 * Returns num/den with den a power of ten. UserError for anything else
 * (including NaN, Infinity, hex, empty text).
 */
export function parseDecimal(s: string): { num: bigint; den: bigint } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new UserError(`'${s}' is not a decimal number: accepted forms like 1.25, -0.5, 3e-2`);
  }
  const intDigits = m[2]!;
  const fracDigits = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) {
    throw new UserError(`'${s}': exponent must be within ±${MAX_EXPONENT}`);
  }
  let num = BigInt(intDigits + fracDigits || '0');
  if (m[1] === '-') num = -num;
  const scale = exp - fracDigits.length; // value = num * 10^scale
  return scale >= 0 ? { num: num * 10n ** BigInt(scale), den: 1n } : { num, den: 10n ** BigInt(-scale) };
}
