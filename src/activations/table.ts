import { bitsToCode, codeToBits, quantize, toReal } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { rom } from '../netlist/index.js';
import { codeToRaw, memoByPair, type ActivationCore } from './common.js';
import { activationFloat, type ActivationSpec } from './float.js';

/** Tables are indexed by at most this many input bits. */
export const TABLE_INDEX_MAX_BITS = 16;

/** Input LSBs dropped from the table index: max(W - 16, 0). */
export function tableIndexShift(inFmt: FixedFormat): number {
  return Math.max(inFmt.width - TABLE_INDEX_MAX_BITS, 0);
}

/** Number of table entries: 2^min(W, 16). */
export function tableEntries(inFmt: FixedFormat): number {
  return 2 ** (inFmt.width - tableIndexShift(inFmt));
}

/**
 * The table rule. For W <= 16 the index is the raw input pattern and the entry
 * for code c is quantize(f(c * 2^-F)) in the output format (its rounding and
 * overflow), f evaluated in float64 at the exact real value of c.
 * For W > 16 the table is range-reduced: index = raw >> (W - 16), the top 16
 * bits; the entry is f at the exact real value of the truncated code
 * (raw with its W - 16 low bits cleared, i.e. the code rounded toward -inf to a
 * multiple of 2^(W-16)), and every input sharing those top bits gets that entry.
 */
function entryCode(spec: ActivationSpec, index: bigint, inFmt: FixedFormat, outFmt: FixedFormat): bigint {
  const truncated = bitsToCode(index << BigInt(tableIndexShift(inFmt)), inFmt);
  return quantize(activationFloat(spec, toReal(truncated, inFmt)), outFmt).code;
}

/**
 * A table-based activation: the circuit is a ROM (ROM-to-logic) addressed by
 * the top min(W, 16) input bits; the model reads the same entries.
 */
export function tableCore(spec: ActivationSpec, defaultOutput: (inFmt: FixedFormat) => FixedFormat): ActivationCore {
  const tableFor = memoByPair((inFmt, outFmt) => {
    const t = new Array<bigint>(tableEntries(inFmt));
    for (let i = 0; i < t.length; i++) t[i] = codeToBits(entryCode(spec, BigInt(i), inFmt, outFmt), outFmt);
    return t;
  }, 4);
  const codesFor = memoByPair((inFmt, outFmt) => {
    const t = tableFor(inFmt, outFmt);
    return Float64Array.from(t, (raw) => Number(bitsToCode(raw, outFmt)));
  }, 4);
  return {
    family: 'table',
    defaultOutput,
    model(code, inFmt, outFmt) {
      return entryCode(spec, codeToBits(code, inFmt) >> BigInt(tableIndexShift(inFmt)), inFmt, outFmt);
    },
    build(b, x, inFmt, outFmt) {
      return rom(b, x.slice(tableIndexShift(inFmt)), tableFor(inFmt, outFmt), outFmt.width);
    },
    functional(inFmt, outFmt) {
      const codes = codesFor(inFmt, outFmt);
      const div = 2 ** tableIndexShift(inFmt);
      return (code) => codes[Math.floor(codeToRaw(code, inFmt) / div)];
    },
    table: (inFmt, outFmt) => [...tableFor(inFmt, outFmt)],
    tableBits: (inFmt, outFmt) => tableEntries(inFmt) * outFmt.width,
  };
}
