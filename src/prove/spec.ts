import { tableIndexShift, type ActivationDef } from '../activations/index.js';
import { bitsToCode, codeToBits } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { behavioralVerilog, memFile } from '../verilog/index.js';

/** Module name of the specification side in a miter. */
export const SPEC_TOP = 'helu_spec';

/** The specification of one activation unit as Verilog files (Yosys reads the .v, `$readmemh` the .mem). */
export interface SpecDesign {
  readonly files: Record<string, string>;
  readonly top: string;
  /** How the Verilog computes y (BehavioralForm of src/verilog). */
  readonly form: string;
}

/**
 * The table a table activation's ROM must hold, evaluated entry by entry with
 * the exact model (functionalBig at the lowest code of each index's group of
 * inputs), not taken from the table the ROM generator builds: the two sides
 * of the proof share no code past the model's formula.
 */
function modelTable(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): bigint[] {
  const shift = BigInt(tableIndexShift(inFmt));
  const entries = 1 << (inFmt.width - Number(shift));
  const t = new Array<bigint>(entries);
  for (let i = 0; i < entries; i++) {
    const code = bitsToCode(BigInt(i) << shift, inFmt);
    t[i] = codeToBits(def.functionalBig(code, inFmt, outFmt), outFmt);
  }
  return t;
}

/**
 * The specification side of every proof: the behavioral Verilog written from
 * the fixed-point model (what `helu-sim verilog --style behavioral` writes:
 * readable RTL of the conversion, comparisons and products for logic
 * activations, a ROM of the model's values for table activations), never the
 * gate netlist under proof.
 */
export function specDesign(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): SpecDesign {
  const frame = {
    name: SPEC_TOP,
    inWidth: inFmt.width,
    outWidth: outFmt.width,
    comment: [`${def.name}: specification from the fixed-point model`],
  };
  const b = behavioralVerilog(def, inFmt, outFmt, frame, 'readmemh');
  const files: Record<string, string> = { [`${SPEC_TOP}.v`]: b.text };
  if (b.form === 'rom-readmemh') files[`${SPEC_TOP}.mem`] = memFile(modelTable(def, inFmt, outFmt), outFmt.width);
  return { files, top: SPEC_TOP, form: b.form };
}
