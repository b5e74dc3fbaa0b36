import { parseOutputFormat } from '../../activations/formats.js';
import { UserError } from '../../errors.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { MAX_SIM_WIDTH } from './quant.js';

/*
 * Format choice at export. Every chosen format rounds RND_CONV (half to even)
 * and saturates (SAT); a user format written without modes gets the same
 * (fixed<8,4> means fixed<8,4,RND_CONV,SAT>), with modes it is taken as written.
 */

export const DEFAULT_BITS = 8;

/** floor(log2 m) for m > 0, exact (corrects the float log near powers of two). */
export function floorLog2(m: number): number {
  let e = Math.floor(Math.log2(m));
  if (2 ** e > m) e--;
  if (2 ** (e + 1) <= m) e++;
  return e;
}

/**
 * A `bits`-wide format for values in [lo, hi]: signed when lo < 0; integer
 * bits I the fewest with 2^(I-1) > max|v| (signed) or 2^I > max|v|
 * (unsigned), so the calibrated extremes are inside the range (up to
 * rounding); all the remaining bits are fraction bits.
 */
export function rangeFormat(lo: number, hi: number, bits: number): FixedFormat {
  const signed = lo < 0;
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  const intBits = m === 0 ? (signed ? 1 : 0) : floorLog2(m) + (signed ? 2 : 1);
  return { signed, width: bits, intBits, rounding: 'RND_CONV', overflow: 'SAT' };
}

/** A signed `bits`-wide weight format holding max|w| (see rangeFormat). */
export function weightFormat(maxAbs: number, bits: number): FixedFormat {
  return rangeFormat(-maxAbs, maxAbs, bits);
}

/** A user-given format (option or config file), modes RND_CONV,SAT unless written; `what` names the option. */
export function userFormat(text: string, what: string): FixedFormat {
  let f: FixedFormat;
  try {
    f = parseOutputFormat(text);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${what}: ${e.message}`);
    throw e;
  }
  if (f.width > MAX_SIM_WIDTH)
    throw new UserError(`${what}: '${text}' is ${f.width} bits wide; the simulator takes at most ${MAX_SIM_WIDTH}`);
  return f;
}

/**
 * An accumulator choice: a full format, or only a width at the products' LSB
 * (the option '--acc 16' or the config value 16 / "16").
 */
export type AccChoice = { kind: 'format'; format: FixedFormat } | { kind: 'width'; width: number };

export function userAcc(v: string | number, what: string): AccChoice {
  const text = String(v).trim();
  if (/^[0-9]+$/.test(text)) {
    const width = Number(text);
    if (width < 2 || width > MAX_SIM_WIDTH) throw new UserError(`${what}: accumulator width must be 2..${MAX_SIM_WIDTH}, got ${text}`);
    return { kind: 'width', width };
  }
  return { kind: 'format', format: userFormat(text, what) };
}
