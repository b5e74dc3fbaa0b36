import { UserError } from '../../errors.js';
import { formatToString, fracBits } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { maxAbsCode } from './quant.js';

/**
 * Exactness of a dense or conv layer in float64, the condition under which the
 * float reference (and the engine's number arithmetic) computes the exact
 * integers. Per output channel m, with X = max |x code| of the input format:
 * - every product |w * x| <= maxW_m * X must be below 2^53;
 * - every partial sum, before the accumulator's overflow mode acts, is at
 *   most the accumulator's largest |code| plus one product at the accumulator
 *   LSB (P_m = maxW_m * X * 2^(F_acc - F_w - F_x), rounded up), and must stay
 *   below 2^53 as well;
 * - the bias is a safe integer (checked where the model is read).
 * An accumulator that holds the worst case `bound` never exceeds the bound.
 */
export interface ChannelBound {
  /** Worst case |accumulator code| at the accumulator's LSB: sum |w| * X (shifted) + |bias|. */
  bound: number;
  /** Largest |product| at the accumulator's LSB. */
  maxProduct: number;
}

/** Worst-case bounds of each output channel; `codesPerChannel` consecutive weight codes per channel. */
export function channelBounds(
  codes: ArrayLike<number>,
  codesPerChannel: number,
  weightFormats: readonly FixedFormat[],
  inFmt: FixedFormat,
  accFormats: readonly FixedFormat[],
  bias: ArrayLike<number> | undefined,
): ChannelBound[] {
  const X = maxAbsCode(inFmt);
  return weightFormats.map((wf, m) => {
    let sumW = 0,
      maxW = 0;
    for (let i = m * codesPerChannel, e = i + codesPerChannel; i < e; i++) {
      const a = Math.abs(codes[i]!);
      sumW += a;
      if (a > maxW) maxW = a;
    }
    const scale = 2 ** (fracBits(accFormats[m]!) - fracBits(wf) - fracBits(inFmt));
    const b = bias ? Math.abs(bias[m]!) : 0;
    return { bound: Math.ceil(sumW * X * scale) + b, maxProduct: Math.ceil(maxW * X * scale) };
  });
}

/** Throws a UserError explaining why a layer cannot be computed exactly in float64. */
export function checkExactness(
  layer: string,
  bounds: readonly ChannelBound[],
  codes: ArrayLike<number>,
  codesPerChannel: number,
  weightFormats: readonly FixedFormat[],
  inFmt: FixedFormat,
  accFormats: readonly FixedFormat[],
): void {
  const X = maxAbsCode(inFmt);
  bounds.forEach((b, m) => {
    let maxW = 0;
    for (let i = m * codesPerChannel, e = i + codesPerChannel; i < e; i++) maxW = Math.max(maxW, Math.abs(codes[i]!));
    const acc = accFormats[m]!;
    if (maxW * X >= 2 ** 53) {
      throw new UserError(
        `layer '${layer}': products of ${formatToString(weightFormats[m]!)} weights and ${formatToString(inFmt)} inputs reach 2^${Math.log2(maxW * X).toFixed(1)}; the float reference is exact only below 2^53 — use narrower formats`,
      );
    }
    const partial = Math.min(b.bound, maxAbsCode(acc) + b.maxProduct);
    if (partial >= 2 ** 53) {
      throw new UserError(
        `layer '${layer}': accumulator ${formatToString(acc)} lets partial sums reach 2^${Math.log2(partial).toFixed(1)} LSBs; the float reference is exact only below 2^53 — narrow the accumulator or the weights`,
      );
    }
  });
}
