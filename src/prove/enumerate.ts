import { rawModel, type ActivationDef } from '../activations/index.js';
import { bitsToCode, codeToBits } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { checkExhaustive, type Netlist } from '../netlist/index.js';
import { enumeratedLowBits, netlistView } from './support.js';

/** Widest enumerated input (checkExhaustive's limit). */
export const ENUMERATION_MAX_BITS = 36;
/** Enumerations with outputs wider than 53 bits tabulate the exact model first: at most 2^20 entries. */
const TABULATED_MAX_BITS = 20;

/**
 * Cost model of bit-parallel enumeration, from `npm run bench` (bench/prove.ts)
 * on this project's 2-core AMD Zen 3 machine under load (CPU time): the
 * model call and comparison cost 20-150 ns per input (a table lookup at the
 * low end, leaky ReLU's exact product at the high end: 2^24 inputs took
 * 2.6 s), the circuit about 0.2 ns per cell per input (32 inputs per word).
 * The estimate takes the expensive end.
 */
export const NS_PER_INPUT = 100;
export const NS_PER_CELL_INPUT = 0.2;

/** Estimated CPU seconds to enumerate 2^width inputs of a `cells`-cell circuit. */
export function enumerationSeconds(cells: number, width: number): number {
  return (2 ** width * (NS_PER_INPUT + NS_PER_CELL_INPUT * cells)) / 1e9;
}

/** The input bits an enumeration of `net` runs over (W minus the low bits neither side reads), or undefined when too wide. */
export function enumerationWidth(net: Netlist, def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): number | undefined {
  const w = inFmt.width - enumeratedLowBits(net, def, inFmt);
  const ok = w <= ENUMERATION_MAX_BITS && (outFmt.width <= 53 && w === inFmt.width ? true : w <= TABULATED_MAX_BITS);
  return ok ? w : undefined;
}

/**
 * Every input pattern of `net` (input x, output y, raw patterns; registers
 * transparent) compared with the activation's model, 32 inputs per word:
 * all 2^W patterns against the functional model, or, when the low s input
 * bits are read by neither side (enumeratedLowBits), the 2^(W-s) patterns of
 * the upper bits against the exact model tabulated at x = upper << s (and
 * outputs wider than 32 bits compared one 32-bit slice at a time).
 * Returns the first differing raw input, if any.
 */
export function enumerate(
  net: Netlist,
  def: ActivationDef,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
): { vectors: number; bits: number; firstX?: bigint } {
  const s = enumeratedLowBits(net, def, inFmt),
    w = inFmt.width - s;
  if (s === 0 && outFmt.width <= 53) {
    const r = checkExhaustive(net, rawModel(def, inFmt, outFmt));
    return { vectors: r.vectors, bits: w, firstX: r.first ? BigInt(r.first.x) : undefined };
  }
  const model = Array.from({ length: 2 ** w }, (_, i) => {
    const raw = BigInt(i) << BigInt(s);
    return codeToBits(def.functionalBig(bitsToCode(raw, inFmt), inFmt, outFmt), outFmt);
  });
  let first: number | undefined;
  let vectors = 0;
  for (let from = 0; from < outFmt.width; from += 32) {
    const to = Math.min(from + 32, outFmt.width),
      lo = BigInt(from),
      mask = (1n << BigInt(to - from)) - 1n;
    const slice = Float64Array.from(model, (y) => Number((y >> lo) & mask));
    const r = checkExhaustive(netlistView(net, s, from, to), (i) => slice[i]);
    vectors = r.vectors;
    if (r.first && (first === undefined || r.first.x < first)) first = r.first.x;
  }
  return { vectors, bits: w, firstX: first === undefined ? undefined : BigInt(first) << BigInt(s) };
}
