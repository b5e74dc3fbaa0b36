import { UserError } from '../errors.js';
import { formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { checkAgainstModel, costOf, energyPerOpFj, loadTech, pipeline, VectorRng, simulateVectors, type Tech } from '../netlist/index.js';
import type { Netlist } from '../netlist/ir.js';
import { FUNCTIONAL_MAX_BITS } from './common.js';
import { activationToString, type ActivationSpec } from './float.js';
import { getActivation } from './registry.js';
import type { ActivationDef, ActivationReport } from './types.js';

/** Inputs up to this width are verified exhaustively, wider ones with random vectors. */
export const EXHAUSTIVE_MAX_BITS = 20;
/** Energy is averaged over this many uniformly random inputs from a fixed seed (same for every circuit). */
export const ENERGY_VECTORS = 4096;
export const ENERGY_SEED = 0x5eed;

export interface DescribeOptions {
  /** Technology name ('nangate45' default, 'asap7') or JSON file. */
  tech?: string;
  /** Register ranks to insert (latency in cycles); 0 = combinational. */
  pipeline?: number;
  /** Seed of the random verification vectors for inputs wider than 20 bits. */
  seed?: number;
}

/** The raw-pattern model the equivalence checker compares the circuit against. */
export function rawModel(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): (xRaw: number) => number {
  const f = def.functional(inFmt, outFmt);
  // the powers of two are hoisted out: this runs once per vector in exhaustive checks
  const signed = inFmt.signed, half = 2 ** (inFmt.width - 1), inMod = 2 ** inFmt.width, outMod = 2 ** outFmt.width;
  return (xRaw) => {
    const y = f(signed && xRaw >= half ? xRaw - inMod : xRaw);
    return y < 0 ? y + outMod : y;
  };
}

/** ENERGY_VECTORS uniformly random raw W-bit inputs (W <= 53) from ENERGY_SEED. */
export function energyStream(width: number): Float64Array {
  const rng = new VectorRng(ENERGY_SEED);
  return Float64Array.from({ length: ENERGY_VECTORS }, () => rng.bits(width));
}

/** Energy per evaluation (fJ) from the toggles of the energy stream and the technology's per-cell energies. */
function energyOf(net: Netlist, width: number, tech: Tech): number {
  const xs = energyStream(width);
  const sim = simulateVectors(net, { x: xs }, xs.length, { toggles: true });
  return energyPerOpFj(net, sim.toggles!, xs.length, tech);
}

/**
 * Builds, costs and verifies one activation circuit: the JSON of
 * `helu-sim activation`. The output format defaults to the activation's
 * defaultOutput. Verification compares the circuit (pipelined when asked;
 * registers are transparent in the functional check) with the functional
 * model, exhaustively up to 20 input bits.
 */
export function describeActivation(
  spec: ActivationSpec | string,
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: DescribeOptions = {},
): ActivationReport {
  const def = getActivation(spec);
  const out = outFmt ?? def.defaultOutput(inFmt);
  if (inFmt.width > FUNCTIONAL_MAX_BITS || out.width > FUNCTIONAL_MAX_BITS) {
    throw new UserError(`activation: formats up to ${FUNCTIONAL_MAX_BITS} bits can be simulated, got ${formatToString(inFmt)} -> ${formatToString(out)}`);
  }
  const tech = loadTech(opts.tech ?? 'nangate45');
  const stages = opts.pipeline ?? 0;
  const comb = def.circuit(inFmt, out);
  const net = stages > 0 ? pipeline(comb, stages) : comb;
  const v = checkAgainstModel(net, rawModel(def, inFmt, out), { exhaustiveMaxBits: EXHAUSTIVE_MAX_BITS, seed: opts.seed });
  return circuitReport(net, tech, {
    activation: def.name, input: formatToString(inFmt), output: formatToString(out), inWidth: inFmt.width,
    cycles: stages, romBits: def.tableBits(inFmt, out), verification: v,
  });
}

/** What a unit report needs beyond the netlist and the technology. */
export interface UnitIdentity {
  activation: string;
  input: string;
  output: string;
  inWidth: number;
  cycles: number;
  romBits: number;
  verification: { method: 'exhaustive' | 'random'; vectors: number; mismatches: number };
}

/**
 * The activation JSON of any activation circuit: its cost views from `tech`
 * and its energy per evaluation from toggles over the seeded energy stream.
 */
export function circuitReport(net: Netlist, tech: Tech, u: UnitIdentity): ActivationReport {
  const cost = costOf(net, tech);
  return {
    activation: u.activation,
    input: u.input,
    output: u.output,
    cells: cost.cells,
    gates: cost.gates,
    transistors: cost.transistors,
    nand2Equivalents: cost.nand2Equivalents,
    depth: cost.depth,
    delayPs: cost.delayPs,
    cycles: u.cycles,
    areaUm2: cost.areaUm2,
    energyFjPerOp: energyOf(net, u.inWidth, tech),
    romBits: u.romBits,
    verification: { method: u.verification.method, vectors: u.verification.vectors, mismatches: u.verification.mismatches },
  };
}

/** Reports of several activations for one input format (each with its default output unless `outFmt` is given). */
export function describeActivations(
  specs: readonly (ActivationSpec | string)[],
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: DescribeOptions & { onProgress?: (done: number, total: number, name: string) => void } = {},
): ActivationReport[] {
  return specs.map((s, i) => {
    opts.onProgress?.(i, specs.length, typeof s === 'string' ? s : activationToString(s));
    return describeActivation(s, inFmt, outFmt, opts);
  });
}
