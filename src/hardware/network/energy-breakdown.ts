/**
 * Energy per inference with everything in it, per layer and per component:
 * PEs, requantization units, activation units (with the adders and units in
 * series with them), SRAM accesses and, when a DRAM bandwidth is given, the
 * DRAM traffic. DRAM energy is a range (Horowitz's 1.3-2.6 nJ per 64-bit
 * access), so every total is a range [low, high]; the on-chip part is one
 * number. Without a DRAM bandwidth the operands are on chip and DRAM is absent
 * (not zero: no DRAM is modelled).
 *
 * Real operands (cost --energy toggles): a layer's PE energy becomes its MACs
 * times the PE's energy per MAC on the layer's sampled real operands
 * (pe-toggles.ts); an activation layer's unit energy becomes its evaluations
 * times the unit's energy on its real inputs (activation-toggles.ts), the
 * units in series with it keeping their uniform-stimulus figure; a pow2
 * layer's requantization unit becomes its outputs times the unit's energy on
 * the accumulators of the sampled dot products (affine layers keep the uniform
 * figure: their accumulators subtract zero points the PE stimulus does not).
 */
import { DRAM_ACCESS64_PJ, SRAM_READ64_PJ_45NM } from '../figures.js';
import type { ActivationToggleRow } from './activation-toggles.js';
import type { NetworkCostReport } from './network.js';
import type { PeToggleRow } from './pe-toggles.js';
import type { ResolvedTech } from './tech.js';

export interface EnergyRange {
  readonly low: number;
  readonly high: number;
}

/** pJ per inference of one layer (or the network's total). */
export interface EnergyParts {
  readonly pe: number;
  readonly requant: number;
  readonly activation: number;
  readonly sram: number;
  /** null without a DRAM bandwidth. */
  readonly dram: EnergyRange | null;
  /** pe + requant + activation + sram. */
  readonly onChip: number;
  /** onChip + dram (low, high); onChip twice without DRAM. */
  readonly total: EnergyRange;
}

export interface RealEnergyInput {
  /** Samples whose activations drove the circuits, and the data set's name. */
  readonly samples: number;
  readonly dataset: string;
  readonly pe: readonly PeToggleRow[];
  readonly activations: readonly (ActivationToggleRow & { readonly uniformFjPerOp: number })[];
}

export interface EnergyBreakdown {
  readonly layers: readonly (EnergyParts & { readonly layer: string })[];
  readonly total: EnergyParts;
  /** Where each component's figure comes from. */
  readonly sources: { readonly [K in 'pe' | 'requant' | 'activation' | 'sram' | 'dram']: string };
}

function parts(pe: number, requant: number, activation: number, sram: number, dram: EnergyRange | null): EnergyParts {
  const onChip = pe + requant + activation + sram;
  return { pe, requant, activation, sram, dram, onChip, total: { low: onChip + (dram?.low ?? 0), high: onChip + (dram?.high ?? 0) } };
}

function sources(tech: ResolvedTech, r: NetworkCostReport, real?: RealEnergyInput): EnergyBreakdown['sources'] {
  const cells = `toggles of the gate-level circuit x per-transition cell energy of ${tech.tech.name} (${tech.tech.notes?.energy ?? tech.tech.source})`;
  const uniform = 'uniformly random seeded operands';
  const onReal = real ? `real operands of ${real.samples} ${real.dataset} test samples` : uniform;
  const peSample = real ? `, at most ${real.pe[0] ? Math.max(...real.pe.map((p) => p.macs)) : 0} MACs (whole dot products) per layer` : '';
  return {
    pe: `${cells}; ${onReal}${peSample}`,
    requant: real
      ? `${cells}; pow2 layers: the accumulators (bias + products) of the PE's sampled dot products, other layers: ${uniform}`
      : `${cells}; ${uniform}`,
    activation: `${cells}; ${onReal}${real ? ' (units in series with it: uniform)' : ''}`,
    sram:
      `SCALE-Sim's SRAM access counts x 64-bit access energy by SRAM size (${SRAM_READ64_PJ_45NM.source}), ` +
      `w / 64 of it per w-bit access, times ${r.array.tech}'s energy factor ${tech.figures.energyScale.toPrecision(4)} (1 at 45 nm; docs/memory-model.md)`,
    dram: r.layers.some((l) => l.dram)
      ? `SCALE-Sim's DRAM traffic x 1.3-2.6 nJ per 64-bit access (${DRAM_ACCESS64_PJ.source})`
      : 'not modelled: operands on chip (no --dram-bw)',
  };
}

export function energyBreakdown(r: NetworkCostReport, tech: ResolvedTech, real?: RealEnergyInput): EnergyBreakdown {
  const batch = r.array.batch;
  const layers = r.layers.map((l) => {
    const e = l.energyBreakdownPj;
    const pe = real?.pe.find((p) => p.layer === l.name);
    const act = real?.activations.find((a) => a.layer === l.activationLayer);
    const actPj = act ? e.activation + (act.perInference * (act.energyFjPerOp - act.uniformFjPerOp)) / 1e3 : e.activation;
    const dram = l.dram ? { low: l.dram.energyPj.low / batch, high: l.dram.energyPj.high / batch } : null;
    const rqUniform = l.units.requant?.circuit.energyFjPerOp ?? 0;
    const rqPj = pe?.requantFjPerOp != null && rqUniform > 0 ? (e.requant * pe.requantFjPerOp) / rqUniform : e.requant;
    return { layer: l.name, ...parts(pe ? (l.macs * pe.energyFjPerMac) / 1e3 : e.peArray, rqPj, actPj, e.sram, dram) };
  });
  const sum = (f: (p: EnergyParts) => number) => layers.reduce((s, p) => s + f(p), 0);
  const anyDram = layers.some((p) => p.dram);
  const dram = anyDram ? { low: sum((p) => p.dram?.low ?? 0), high: sum((p) => p.dram?.high ?? 0) } : null;
  const total = parts(
    sum((p) => p.pe),
    sum((p) => p.requant),
    sum((p) => p.activation),
    sum((p) => p.sram),
    dram,
  );
  return { layers, total, sources: sources(tech, r, real) };
}
