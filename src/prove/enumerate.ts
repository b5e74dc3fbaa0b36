import { rawModel, type ActivationDef } from '../activations/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { checkExhaustive, type Netlist } from '../netlist/index.js';

/** Widest input enumerated at all (checkExhaustive's limit; the model's number path needs <= 53 output bits). */
export const ENUMERATION_MAX_BITS = 36;

/**
 * Measured cost of bit-parallel enumeration on this project's reference
 * machine (AMD Zen 3, one thread, CPU time): about 10 ns per input for the
 * model call and comparison, plus about 0.2 ns per cell per input (32 inputs
 * per word). HeLU 24-bit (23 cells) ran 2^24 inputs in 0.22 s, LeakyReLU
 * 24-bit (72 cells) in 0.45 s, a 20-bit GELU table (1,558 cells) in 0.31 s.
 */
export const NS_PER_INPUT = 10;
export const NS_PER_CELL_INPUT = 0.2;

/** Estimated CPU seconds to enumerate every input of a `cells`-cell circuit with a `width`-bit input. */
export function enumerationSeconds(cells: number, width: number): number {
  return (2 ** width * (NS_PER_INPUT + NS_PER_CELL_INPUT * cells)) / 1e9;
}

/**
 * Every input pattern of `net` (input x, output y, raw patterns; registers
 * transparent) compared with the activation's functional model, 32 inputs
 * per word. Returns the first differing raw input, if any.
 */
export function enumerate(net: Netlist, def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): { vectors: number; firstX?: bigint } {
  const r = checkExhaustive(net, rawModel(def, inFmt, outFmt));
  return { vectors: r.vectors, firstX: r.first ? BigInt(r.first.x) : undefined };
}
