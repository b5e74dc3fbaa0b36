import { bitLength, convert, convertNumber, decomposeDouble, fracBits, MAX_NUMBER_WIDTH, shiftRightRound } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { constBits, convertBits, multiplyConst, muxBits } from '../netlist/index.js';
import type { ActivationCore } from './common.js';
import { DEFAULT_ALPHA, type AlphaSpec } from './float.js';
import { sameRangeOutput } from './formats.js';

/** Significant bits kept of a LeakyReLU slope. */
export const SLOPE_BITS = 16;
/** LeakyReLU's default negative slope (2^-3, a shift in hardware): float.ts's DEFAULT_ALPHA entry. */
export const DEFAULT_LEAKY_SLOPE = DEFAULT_ALPHA.leakyrelu;

/** A slope as the exact dyadic m * 2^-s, m odd (or 0). */
export interface DyadicSlope {
  readonly m: bigint;
  readonly s: number;
}

/**
 * The slope the fixed-point LeakyReLU uses: alpha rounded to SLOPE_BITS (16)
 * significant bits, round half to even, then reduced to m * 2^-s with m odd.
 * Every slope 2^-k (and any slope with at most 16 significant bits) is exact:
 * 0.125 -> m = 1, s = 3; 0.01 -> m = 41943, s = 22 (0.00999999046...).
 */
export function quantizeSlope(alpha: number): DyadicSlope {
  const { mant, exp } = decomposeDouble(alpha);
  if (mant === 0n) return { m: 0n, s: 0 };
  const drop = Math.max(bitLength(mant) - SLOPE_BITS, 0);
  let m = shiftRightRound(mant, drop, 'RND_CONV');
  let s = -(exp + drop);
  while ((m & 1n) === 0n) {
    m >>= 1n;
    s -= 1;
  }
  return { m, s };
}

/** Format of the exact product code * m: fraction bits F + s, wide enough for any input code. */
function productFormat(inFmt: FixedFormat, slope: DyadicSlope, width = inFmt.width + bitLength(slope.m) + 1): FixedFormat {
  return { signed: true, width, intBits: width - (fracBits(inFmt) + slope.s), rounding: 'TRN', overflow: 'WRAP' };
}

/**
 * LeakyReLU: y = x >= 0 ? x : x * alpha_q, alpha_q = quantizeSlope(alpha), the
 * exact result quantized to the output format (its rounding and overflow).
 * For a slope with at most 16 significant bits this is the quantization of the
 * float function; for others (0.01) it is the quantization of x * alpha_q.
 *
 * Circuit: the negative branch is the product x * m read with F + s fraction
 * bits (for m = 1, i.e. alpha = 2^-k, pure wiring: an arithmetic shift), rounded
 * and saturated into the output format; the positive branch is x converted;
 * the sign bit muxes the two.
 */
export function leakyCore(spec: AlphaSpec): ActivationCore {
  const slope = quantizeSlope(spec.alpha);
  return {
    family: 'logic',
    defaultOutput: sameRangeOutput,
    model(code, inFmt, outFmt) {
      if (code >= 0n) return convert(code, inFmt, outFmt).code;
      return convert(code * slope.m, productFormat(inFmt, slope), outFmt).code;
    },
    build(b, x, inFmt, outFmt) {
      const pos = convertBits(b, x, inFmt, outFmt).y;
      if (!inFmt.signed) return pos;
      const prod = slope.m === 1n ? x : slope.m === 0n ? constBits(0n, x.length) : multiplyConst(b, x, slope.m, true);
      const neg = convertBits(b, prod, productFormat(inFmt, slope, prod.length), outFmt).y;
      return muxBits(b, pos, neg, x[x.length - 1]);
    },
    fastModel(inFmt, outFmt) {
      const pf = productFormat(inFmt, slope);
      if (pf.width > MAX_NUMBER_WIDTH) return undefined; // the product might not be a safe integer
      const m = Number(slope.m); // |code * m| < 2^(pf.width - 1) <= 2^52: exact
      return (code) => (code >= 0 ? convertNumber(code, inFmt, outFmt) : convertNumber(code * m, pf, outFmt));
    },
  };
}
