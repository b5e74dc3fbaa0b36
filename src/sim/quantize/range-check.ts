import { fracBits, formatToString, maxCode, minCode } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';

/** Fewest distinct steps across a calibrated range before a format counts as too coarse for it. */
export const MIN_LEVELS = 4;

/**
 * Why `f` cannot represent the calibrated range [lo, hi] of `tensor`, or
 * undefined when it can: the range's extremes saturate (beyond the largest or
 * smallest code by more than one LSB plus 1 % of the format's range: the
 * calibrated formats of choose.ts may clip the top LSB or so), or the range
 * spans fewer than MIN_LEVELS steps of the LSB (e.g. --bits 1, where every
 * value rounds to one of two codes). The model stays valid (saturation and
 * rounding are exact, defined behaviour); accuracy is what suffers.
 */
export function formatRangeWarning(tensor: string, f: FixedFormat, lo: number, hi: number): string | undefined {
  const lsb = 2 ** -fracBits(f);
  const top = Number(maxCode(f)) * lsb,
    bottom = Number(minCode(f)) * lsb;
  const name = formatToString(f);
  const r = `[${p4(lo)}, ${p4(hi)}]`;
  const slack = lsb + 0.01 * Math.max(Math.abs(top), Math.abs(bottom));
  if (hi > top + slack || lo < bottom - slack) {
    return `tensor '${tensor}': format ${name} holds [${bottom}, ${top}] but the calibrated range is ${r}; values beyond it saturate`;
  }
  const span = Math.max(Math.abs(lo), Math.abs(hi));
  if (span > 0 && span / lsb < MIN_LEVELS) {
    return `tensor '${tensor}': format ${name} resolves the calibrated range ${r} in only ${Math.floor(span / lsb) + 1} steps of ${lsb}; expect a large accuracy loss (use more bits)`;
  }
  return undefined;
}

const p4 = (x: number): string => String(Number(x.toPrecision(4)));

/**
 * The warnings of a quantization, most important first: the width itself
 * when under 2 bits, then every tensor whose format cannot represent its
 * calibrated range (formatRangeWarning), at most `max` of those followed by
 * a count of the rest.
 */
export function rangeWarnings(
  bits: number,
  formats: ReadonlyMap<string, FixedFormat>,
  ranges: ReadonlyMap<string, { lo: number; hi: number }>,
  max = 5,
): string[] {
  const out: string[] = [];
  if (bits < 2)
    out.push(
      `--bits ${bits}: a ${bits}-bit format holds ${2 ** bits} codes; the model will lose most of its accuracy (8 bits is the usual choice)`,
    );
  const tensors: string[] = [];
  for (const [tensor, f] of formats) {
    const r = ranges.get(tensor);
    const w = r ? formatRangeWarning(tensor, f, r.lo, r.hi) : undefined;
    if (w) tensors.push(w);
  }
  out.push(...tensors.slice(0, max));
  if (tensors.length > max) out.push(`${tensors.length - max} more tensors have formats too narrow for their calibrated ranges`);
  return out;
}
