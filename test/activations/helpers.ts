import type { FixedFormat, Overflow, Rounding } from '../../src/fixedpoint/types.js';
import { simulateVectors } from '../../src/netlist/index.js';
import type { Netlist } from '../../src/netlist/ir.js';
import { expectedCode } from './oracle.js';
import type { ActivationDef } from '../../src/activations/index.js';

export function fmt(signed: boolean, width: number, intBits: number, rounding: Rounding = 'TRN', overflow: Overflow = 'WRAP'): FixedFormat {
  return { signed, width, intBits, rounding, overflow };
}

export function allCodes(f: FixedFormat): number[] {
  const n = 2 ** f.width;
  return Array.from({ length: n }, (_, raw) => (f.signed && raw >= n / 2 ? raw - n : raw));
}

/** Output codes of the circuit for the given input codes (gate-level simulation). */
export function simulateCodes(net: Netlist, codes: readonly number[], inFmt: FixedFormat, outFmt: FixedFormat): number[] {
  const raws = Float64Array.from(codes, (c) => (c < 0 ? c + 2 ** inFmt.width : c));
  const y = simulateVectors(net, { x: raws }, raws.length).outputs.y;
  const half = 2 ** (outFmt.width - 1);
  return Array.from(y, (r) => (outFmt.signed && r >= half ? r - 2 * half : r));
}

/**
 * Circuit, fast model, exact model and the independent oracle on every code
 * of inFmt: returns the first disagreement, or undefined.
 */
export function firstDisagreement(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): string | undefined {
  const codes = allCodes(inFmt);
  const circuit = simulateCodes(def.circuit(inFmt, outFmt), codes, inFmt, outFmt);
  const fast = def.functional(inFmt, outFmt);
  for (let i = 0; i < codes.length; i++) {
    const x = codes[i];
    const want = expectedCode(def.spec, BigInt(x), inFmt, outFmt);
    const got = [circuit[i], fast(x), Number(def.functionalBig(BigInt(x), inFmt, outFmt))];
    if (got.some((g) => BigInt(g) !== want)) {
      return `${def.name} x=${x}: oracle ${want}, circuit ${got[0]}, functional ${got[1]}, functionalBig ${got[2]}`;
    }
  }
  return undefined;
}
