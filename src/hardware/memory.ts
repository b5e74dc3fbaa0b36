/**
 * Memory footprints of layers and the on-chip SRAM sized from them.
 *
 * Buffer organisation (stated, since the accelerator model has no DRAM):
 * - a weight SRAM holds every weight and bias of the network (loaded once, read
 *   by every inference);
 * - an activation SRAM holds, at any time, one layer's input and output feature
 *   maps (ping-pong between layers) plus its partial sums; it is sized to the
 *   largest such need over the layers.
 * Areas: bits * the technology's SRAM area per bit (periphery included).
 * Energy: every bit read or written costs the 64-bit read energy of an SRAM of
 * that size / 64 (energy.ts).
 */
import { sramPjPerBit } from './energy.js';
import { layerInputs, layerOutputs, layerWeights, type LayerShape } from './layer.js';
import type { ArrayShape, CycleEstimate, SramTraffic } from './systolic.js';
import type { TechFigures } from './tech-figures.js';

/** Element widths in bits of a layer's operands (from its fixed-point formats' widths). */
export interface OperandWidths {
  readonly weightBits: number;
  readonly inputBits: number;
  readonly outputBits: number;
  /** Accumulator width (partial sums, bias). */
  readonly accBits: number;
  /** Bias width; 0 or absent = no bias. */
  readonly biasBits?: number;
}

/** A layer's storage needs in bits. */
export interface LayerFootprint {
  readonly weightBits: number;
  readonly biasBits: number;
  readonly inputBits: number;
  readonly outputBits: number;
  /** Partial sums alive between row folds (ws with rowFolds > 1); 0 otherwise. */
  readonly partialSumBits: number;
}

/**
 * Footprint of one layer. Partial sums: in ws and is with more than one row fold, the
 * T x min(C, S_C) sums of the current column fold wait in SRAM for the next row
 * fold (SCALE-Sim iterates row folds inside each column fold).
 */
export function layerFootprint(l: LayerShape, w: OperandWidths, e?: CycleEstimate, a?: ArrayShape): LayerFootprint {
  const partial = e && a && e.dataflow !== 'os' && e.rowFolds > 1 ? e.t * Math.min(a.cols, e.sc) * w.accBits : 0;
  return {
    weightBits: layerWeights(l) * w.weightBits,
    biasBits: l.filters * (w.biasBits ?? 0),
    inputBits: layerInputs(l) * w.inputBits,
    outputBits: layerOutputs(l) * w.outputBits,
    partialSumBits: partial,
  };
}

export interface SramEstimate {
  readonly bits: number;
  readonly bytes: number;
  /** Macro area, um^2; null when the technology has no cited SRAM figure (TechFigures.sramAreaNote). */
  readonly areaUm2: number | null;
  /** Energy per bit read or written, pJ. */
  readonly pjPerBit: number;
}

/** An SRAM of `bits` bits in the technology; an empty SRAM has no area and no energy. */
export function sramEstimate(bits: number, tech: TechFigures): SramEstimate {
  const bytes = Math.ceil(bits / 8);
  if (bits <= 0) return { bits: 0, bytes: 0, areaUm2: 0, pjPerBit: 0 };
  const areaUm2 = tech.sramUm2PerBit === null ? null : bits * tech.sramUm2PerBit;
  return { bits, bytes, areaUm2, pjPerBit: sramPjPerBit(bytes, tech.energyScale) };
}

export interface SramPlan {
  readonly weight: SramEstimate;
  readonly activation: SramEstimate;
  /** A separate output SRAM (the ofmap buffer of the DRAM-backed plan); absent: outputs share the activation SRAM. */
  readonly output?: SramEstimate;
}

/**
 * With DRAM behind them, the SRAMs are SCALE-Sim's three buffers at their
 * configured sizes: filter (weights), ifmap (inputs), ofmap (outputs and
 * partial sums).
 */
export function bufferSramPlan(kb: { ifmap: number; filter: number; ofmap: number }, tech: TechFigures): SramPlan {
  const bits = (k: number) => k * 1024 * 8;
  return {
    weight: sramEstimate(bits(kb.filter), tech),
    activation: sramEstimate(bits(kb.ifmap), tech),
    output: sramEstimate(bits(kb.ofmap), tech),
  };
}

/** Sizes the two SRAMs from the layers' footprints (rules in the file comment). */
export function planSram(footprints: readonly LayerFootprint[], tech: TechFigures): SramPlan {
  let weightBits = 0;
  let actBits = 0;
  for (const f of footprints) {
    weightBits += f.weightBits + f.biasBits;
    actBits = Math.max(actBits, f.inputBits + f.outputBits + f.partialSumBits);
  }
  return { weight: sramEstimate(weightBits, tech), activation: sramEstimate(actBits, tech) };
}

/**
 * SRAM energy of one pass of a layer, pJ: weight traffic (filter reads at the
 * weight width, each bias read once) from the weight SRAM; input reads, output
 * writes and partial-sum writes and reads (at the accumulator width) in the
 * activation SRAM (outputs and partial sums in the output SRAM when the plan
 * has one). Traffic counts are SCALE-Sim's (systolic.ts sramTraffic).
 */
export function layerSramEnergyPj(t: SramTraffic, l: LayerShape, w: OperandWidths, plan: SramPlan): number {
  const weightSide = (t.filterReads * w.weightBits + l.filters * (w.biasBits ?? 0)) * plan.weight.pjPerBit;
  const inSide = t.ifmapReads * w.inputBits * plan.activation.pjPerBit;
  const outSide =
    (t.outputWrites * w.outputBits + (t.partialSumWrites + t.partialSumReads) * w.accBits) * (plan.output ?? plan.activation).pjPerBit;
  return weightSide + inSide + outSide;
}

/** Area of `bits` register bits, um^2. */
export function registerAreaUm2(bits: number, tech: TechFigures): number {
  return bits * tech.registerUm2PerBit;
}
