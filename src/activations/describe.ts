import { UserError } from '../errors.js';
import { formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import {
  checkAgainstModel,
  costOf,
  energyPerOpFj,
  loadTech,
  pipeline,
  VectorRng,
  simulateVectors,
  type EquivalenceResult,
  type Tech,
} from '../netlist/index.js';
import { Netlist } from '../netlist/ir.js';
import { FUNCTIONAL_MAX_BITS } from './common.js';
import { activationToString, type ActivationSpec } from './float.js';
import { getActivation } from './registry.js';
import type { ActivationDef, ActivationReport, UnitVerification } from './types.js';

/** Without a proof from the caller, inputs up to this width are checked exhaustively, wider ones on a random sample. */
export const EXHAUSTIVE_MAX_BITS = 20;
/** Widest input or output an activation unit is built and costed for (the exact model is bigint). */
export const UNIT_MAX_BITS = 64;
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
  /**
   * The unit's verification when the caller has already proven (or refuted)
   * the circuit against the model, as `helu-sim activation` does for every
   * width; otherwise it is checked here (exhaustive up to 20 bits, else a sample).
   */
  verification?: UnitVerification;
}

/** A check of the circuit against the model as a UnitVerification: exhaustive runs prove, random ones are samples. */
export function verificationOf(v: EquivalenceResult): UnitVerification {
  const exhaustive = v.method === 'exhaustive';
  return {
    method: exhaustive ? 'exhaustive' : 'sample',
    proven: exhaustive && v.mismatches === 0,
    vectors: v.vectors,
    mismatches: v.mismatches,
  };
}

/** One line: 'proven (exhaustive, 256 inputs)', 'proven (sat, 0.85 s)', 'sample of 65,718 inputs, 0 mismatches (not a proof)', 'refuted: x = ...'. */
export function unitVerificationText(v: UnitVerification): string {
  const n = v.vectors.toLocaleString('en-US');
  if (v.proven)
    return v.method === 'sat'
      ? `proven (sat${v.seconds !== undefined ? `, ${v.seconds.toFixed(2)} s` : ''})`
      : `proven (exhaustive, ${n} inputs)`;
  if (v.method === 'sample' && v.mismatches === 0) return `sample of ${n} inputs, 0 mismatches (not a proof)`;
  return v.counterexample !== undefined
    ? `refuted (${v.method}): ${v.counterexample}`
    : `${v.method}: ${v.mismatches} mismatches in ${n} inputs`;
}

/** The raw-pattern model the equivalence checker compares the circuit against. */
export function rawModel(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): (xRaw: number) => number {
  const f = def.functional(inFmt, outFmt);
  // the powers of two are hoisted out: this runs once per vector in exhaustive checks
  const signed = inFmt.signed,
    half = 2 ** (inFmt.width - 1),
    inMod = 2 ** inFmt.width,
    outMod = 2 ** outFmt.width;
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

/**
 * The same cells with input x (wider than the simulator's 53-bit ports) read
 * as 32-bit ports x0, x1, ... (x0 the low bits): uniformly random chunks make
 * uniformly random x, so toggle counts keep their meaning.
 */
function splitInput(net: Netlist): Netlist {
  const out = new Netlist(net.name);
  out.nextNet = net.nextNet;
  const x = net.port('x').bits;
  for (let k = 0; k * 32 < x.length; k++) out.ports.push({ name: `x${k}`, direction: 'input', bits: x.slice(32 * k, 32 * k + 32) });
  out.ports.push(...net.ports.filter((p) => p.name !== 'x'));
  out.cells.push(...net.cells);
  return out;
}

/** Energy per evaluation (fJ) from the toggles of the energy stream and the technology's per-cell energies. */
function energyOf(net: Netlist, width: number, tech: Tech): number {
  if (width <= 53) {
    const xs = energyStream(width);
    const sim = simulateVectors(net, { x: xs }, xs.length, { toggles: true });
    return energyPerOpFj(net, sim.toggles!, xs.length, tech);
  }
  const split = splitInput(net),
    rng = new VectorRng(ENERGY_SEED),
    inputs: Record<string, Float64Array> = {};
  for (const p of split.inputs())
    if (p.name !== 'clk') inputs[p.name] = Float64Array.from({ length: ENERGY_VECTORS }, () => rng.bits(p.bits.length));
  const sim = simulateVectors(split, inputs, ENERGY_VECTORS, { toggles: true });
  return energyPerOpFj(net, sim.toggles!, ENERGY_VECTORS, tech);
}

/**
 * Builds, costs and verifies one activation circuit: the JSON of
 * `helu-sim activation`. The output format defaults to the activation's
 * defaultOutput. Verification is opts.verification when the caller proved
 * the circuit (src/prove), else the circuit (pipelined when asked; registers
 * transparent) is compared with the functional model: exhaustively up to 20
 * input bits (a proof), else on a labelled random sample.
 */
export function describeActivation(
  spec: ActivationSpec | string,
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: DescribeOptions = {},
): ActivationReport {
  const def = getActivation(spec);
  const out = outFmt ?? def.defaultOutput(inFmt);
  if (inFmt.width > UNIT_MAX_BITS || out.width > UNIT_MAX_BITS) {
    throw new UserError(`activation: formats up to ${UNIT_MAX_BITS} bits, got ${formatToString(inFmt)} -> ${formatToString(out)}`);
  }
  if (opts.verification === undefined && (inFmt.width > FUNCTIONAL_MAX_BITS || out.width > FUNCTIONAL_MAX_BITS)) {
    throw new UserError(
      `activation: units wider than ${FUNCTIONAL_MAX_BITS} bits are verified by a proof only (helu-sim prove), got ${formatToString(inFmt)} -> ${formatToString(out)}`,
    );
  }
  const tech = loadTech(opts.tech ?? 'nangate45');
  const stages = opts.pipeline ?? 0;
  const comb = def.circuit(inFmt, out);
  const net = stages > 0 ? pipeline(comb, stages) : comb;
  const v =
    opts.verification ??
    verificationOf(checkAgainstModel(net, rawModel(def, inFmt, out), { exhaustiveMaxBits: EXHAUSTIVE_MAX_BITS, seed: opts.seed }));
  return circuitReport(net, tech, {
    activation: def.name,
    input: formatToString(inFmt),
    output: formatToString(out),
    inWidth: inFmt.width,
    cycles: stages,
    romBits: def.tableBits(inFmt, out),
    verification: v,
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
  verification: UnitVerification;
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
    verification: { ...u.verification },
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
