/** Input and output shapes of the accelerator estimate (accelerator.ts). */
import type { DramTraffic, SramSizesKb } from './dram.js';
import type { LayerShape } from './layer.js';
import type { LayerFootprint, OperandWidths, SramEstimate } from './memory.js';
import type { ArrayShape, Dataflow, SramTraffic } from './systolic.js';
import type { TechFigures } from './tech-figures.js';
import type { UnitCost } from './units.js';

/**
 * A unit that exists once per distinct `key` in the accelerator (e.g. the key
 * 'helu fixed<8,4> -> fixed<8,4>'): layers naming the same key share it.
 * `report` is carried to the output unchanged (e.g. the activation command's JSON).
 */
export interface SharedUnit extends UnitCost {
  readonly key: string;
  readonly report?: unknown;
}

export interface LayerCostInput {
  readonly name: string;
  readonly shape: LayerShape;
  readonly widths: OperandWidths;
  /** One processing element able to compute this layer's MACs. */
  readonly pe: UnitCost;
  /** Activation unit applied to the layer's outputs; null when the layer has none. */
  readonly activation: SharedUnit | null;
  /** Requantization unit (accumulator -> output format); null when outputs leave unrequantized. */
  readonly requant: SharedUnit | null;
}

export interface AcceleratorOptions {
  readonly array: ArrayShape;
  readonly dataflow: Dataflow;
  readonly tech: TechFigures;
  /** Instances of each distinct activation unit (default: one per array column). */
  readonly actUnits?: number;
  /** Instances of each distinct requantization unit (default: one per array column). */
  readonly requantUnits?: number;
  /** Fixed clock; default: the slowest unit's delay sets the period. */
  readonly clockMhz?: number;
  /** DRAM interface bytes per cycle: layers then wait for memory (dram.ts); absent: operands are on chip. */
  readonly dramBytesPerCycle?: number;
  /** With dramBytesPerCycle: the ifmap, filter and ofmap SRAM sizes (default DEFAULT_SRAM_KB). */
  readonly sramKb?: SramSizesKb;
}

export interface CostSplit {
  readonly peArray: number;
  readonly activation: number;
  readonly requant: number;
  readonly sram: number;
}

export interface LayerCostReport {
  readonly name: string;
  /** Per inference. */
  readonly macs: number;
  /** Activation function evaluations per inference (0 without an activation unit). */
  readonly activations: number;
  /** The activation unit's report (or its unit cost when none was given); null without one. */
  readonly activationUnit: unknown;
  /** Cycles of one pass of the layer over the whole batch: computeCycles + stallCycles. */
  readonly cycles: number;
  /** Array, activation stage and unit latencies. */
  readonly computeCycles: number;
  /** Cycles waiting for DRAM (0 without a DRAM bandwidth). */
  readonly stallCycles: number;
  /** DRAM traffic of the pass; null without a DRAM bandwidth. */
  readonly dram: DramTraffic | null;
  /** Cycles of the systolic array alone (SCALE-Sim). */
  readonly arrayCycles: number;
  readonly folds: number;
  readonly utilization: number;
  /** Area of the units this layer occupies (its PE array, activation and requantization units), um^2. */
  readonly areaUm2: number;
  /** Energy per inference, pJ. */
  readonly energyPj: number;
  readonly energyBreakdownPj: CostSplit;
  readonly footprint: LayerFootprint;
  /** SRAM accesses of one pass, in elements (SCALE-Sim's counts, systolic.ts sramTraffic). */
  readonly sramAccesses: SramTraffic;
}

/** One SRAM of the accelerator: weight/activation (on-chip plan) or filter/ifmap/ofmap (SCALE-Sim buffers). */
export interface SramReport extends SramEstimate {
  readonly role: string;
}

export interface AcceleratorReport {
  readonly array: {
    readonly rows: number;
    readonly cols: number;
    readonly dataflow: Dataflow;
    readonly clockMhz: number;
    readonly actUnits: number;
    readonly requantUnits: number;
    readonly batch: number;
    readonly tech: string;
  };
  readonly layers: readonly LayerCostReport[];
  readonly total: {
    /** Per inference. */
    readonly macs: number;
    /** One pass of the network over the batch: computeCycles + stallCycles. */
    readonly cycles: number;
    readonly computeCycles: number;
    readonly stallCycles: number;
    readonly latencyUs: number;
    readonly inferencesPerSecond: number;
    /** Shared hardware, each unit counted once. */
    readonly areaUm2: number;
    readonly areaMm2: number;
    /** Per inference. */
    readonly energyPj: number;
    readonly breakdown: {
      readonly areaUm2: CostSplit;
      readonly energyPj: CostSplit;
      readonly sramBits: { readonly weight: number; readonly activation: number; readonly output?: number };
      readonly srams: readonly SramReport[];
      /** Set when the technology has no cited SRAM area: SRAM area is then left out of the totals. */
      readonly sramAreaNote?: string;
      readonly criticalPathPs: number;
      readonly clockPeriodPs: number;
      /** False when a fixed clock is faster than the slowest unit allows. */
      readonly timingMet: boolean;
    };
  };
}
