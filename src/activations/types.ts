import type { FixedFormat } from '../fixedpoint/types.js';
import type { GateType, Netlist } from '../netlist/ir.js';
import type { ActivationSpec } from './float.js';

/** 'logic': built from gates (muxes, comparators, adders); 'table': a ROM of the quantized function. */
export type ActivationFamily = 'logic' | 'table';

/**
 * One activation in its three forms: the float function (and its training
 * gradient), the fixed-point functional model, and the gate-level circuit.
 * The model and the circuit agree exactly for every input code; both are
 * defined for any input and output format.
 */
export interface ActivationDef {
  readonly spec: ActivationSpec;
  /** Canonical text of the spec ('helu', 'leakyrelu:0.125', 'clamp:-1:1'). */
  readonly name: string;
  readonly family: ActivationFamily;
  /** The float64 function (PyTorch definitions). */
  float(x: number): number;
  /** The training gradient (HeLU: the hysteresis gradient, 1 if x > -alpha). */
  grad(x: number): number;
  /** The output format used when none is given (always RND_CONV rounding and SAT overflow). */
  defaultOutput(inFmt: FixedFormat): FixedFormat;
  /** Fast model: signed (or unsigned) input CODE -> output CODE; input and output widths <= 32. */
  functional(inFmt: FixedFormat, outFmt: FixedFormat): (code: number) => number;
  /** Exact model for any width. */
  functionalBig(code: bigint, inFmt: FixedFormat, outFmt: FixedFormat): bigint;
  /** Combinational circuit: input port 'x' (W_in bits), output port 'y' (W_out bits), raw two's complement bits. */
  circuit(inFmt: FixedFormat, outFmt: FixedFormat): Netlist;
  /** Table family only: raw output patterns indexed by the raw table index (see table.ts for the index rule). */
  table?(inFmt: FixedFormat, outFmt: FixedFormat): bigint[];
  /** ROM size in bits (entries * W_out); 0 for logic activations. */
  tableBits(inFmt: FixedFormat, outFmt: FixedFormat): number;
}

/**
 * How a unit was checked against its fixed-point model. 'exhaustive' (every
 * input simulated) and 'sat' (a SAT proof) cover every input, so `proven` is
 * true exactly when they found no difference; 'sample' checks `vectors`
 * inputs (edge cases and seeded random ones) and never proves.
 */
export interface UnitVerification {
  method: 'exhaustive' | 'sat' | 'sample';
  proven: boolean;
  /** Inputs simulated (0 for sat). */
  vectors: number;
  /** Differing inputs found (sat: 1 when refuted). */
  mismatches: number;
  /** Seconds the check took, where measured. */
  seconds?: number;
  /** The first differing input, `x = <code> (<real>): expected ..., got ...`. */
  counterexample?: string;
}

/** The JSON document of `helu-sim activation` for one activation. */
export interface ActivationReport {
  activation: string;
  input: string;
  output: string;
  cells: Partial<Record<GateType, number>>;
  gates: number;
  transistors: number;
  nand2Equivalents: number;
  depth: number;
  delayPs: number;
  cycles: number;
  areaUm2: number;
  energyFjPerOp: number;
  romBits: number;
  verification: UnitVerification;
}
