/**
 * costNetwork: an integer model on the systolic-array accelerator, every unit
 * built and costed from helu-sim's own circuits with one technology file.
 *
 * Per dense/conv layer (layers.ts): a PE for its MAC formats (mac.ts), its
 * requantization unit (requant.ts) and the activation unit of the activation
 * layer that follows (activation-unit.ts). Then estimateAccelerator
 * (accelerator.ts) gives cycles (SCALE-Sim), clock (slowest unit unless
 * fixed), area and energy per inference. Units are built once per distinct
 * formats within one call.
 */
import { getActivation } from '../../activations/index.js';
import { UserError } from '../../errors.js';
import { formatToString } from '../../fixedpoint/index.js';
import type { IntModel } from '../../sim/quantize/model.js';
import { estimateAccelerator } from '../accelerator.js';
import type { AcceleratorReport, LayerCostInput, LayerCostReport, SharedUnit } from '../accelerator-types.js';
import type { SramSizesKb } from '../dram.js';
import type { ArrayShape, Dataflow } from '../systolic.js';
import { acceleratorDelta, type AcceleratorDelta } from '../whatif.js';
import { activationUnit, activationUnitKey, type ActivationUnitSpec } from './activation-unit.js';
import { unitCostOf } from './circuit.js';
import { planNetwork, type NetworkLayerPlan } from './layers.js';
import { macUnit, type MacUnitReport } from './mac.js';
import { requantKey, requantUnit, type RequantUnitReport } from './requant.js';
import { afterUnit, inSeries, residualAdderKey, residualAdderUnit } from './residual-adder.js';
import { resolveTech, type ResolvedTech } from './tech.js';

export const DEFAULT_ARRAY: ArrayShape = { rows: 16, cols: 16 };
export const DEFAULT_DATAFLOW: Dataflow = 'ws';
export const DEFAULT_TECH = 'nangate45';

export interface NetworkCostOptions {
  /** Default 16x16. */
  readonly array?: ArrayShape;
  /** Default 'ws'. */
  readonly dataflow?: Dataflow;
  /** Fixed clock; default: the slowest unit's delay. */
  readonly clockMhz?: number;
  /** Technology name (nangate45, asap7) or technology file path; default nangate45. */
  readonly tech?: string;
  /** Instances of each activation unit; default one per array column. */
  readonly actUnits?: number;
  /** Instances of each requantization unit; default one per array column. */
  readonly requantUnits?: number;
  /** DRAM interface bytes per cycle (stall cycles in the latency); default: none, operands on chip. */
  readonly dramBytesPerCycle?: number;
  /** With dramBytesPerCycle: ifmap, filter and ofmap SRAM sizes in KB (default 64 each). */
  readonly sramKb?: SramSizesKb;
  /** Samples per pass (default 1). */
  readonly batch?: number;
  /** Re-cost with this activation in place of every activation unit (report.whatIf). */
  readonly swapActivation?: string;
  /** Called before each unit is built (units take from milliseconds to seconds). */
  readonly onProgress?: (what: string) => void;
}

export interface NetworkLayerReport extends LayerCostReport {
  readonly op: 'dense' | 'conv' | 'matmul';
  /** The activation layer whose unit runs on this layer's outputs (null: none). */
  readonly activationLayer: string | null;
  readonly fusedActivation: string | null;
  /** Storage of the layer: weights + biases, and input + output feature maps (per pass), bits. */
  readonly memoryBits: { readonly weight: number; readonly activation: number };
  readonly units: { readonly pe: MacUnitReport; readonly requant: RequantUnitReport | null };
}

export interface NetworkWhatIf {
  readonly activation: string;
  readonly report: NetworkCostReport;
  /** report - base. */
  readonly delta: AcceleratorDelta;
}

export interface NetworkCostReport extends AcceleratorReport {
  readonly layers: readonly NetworkLayerReport[];
  readonly whatIf?: NetworkWhatIf;
}

/** Unit caches of one estimate: units with equal keys are built once. */
export interface NetworkContext {
  readonly tech: ResolvedTech;
  readonly plans: readonly NetworkLayerPlan[];
  readonly macs: Map<string, MacUnitReport>;
  readonly requants: Map<string, RequantUnitReport | null>;
  readonly activations: Map<string, SharedUnit>;
  readonly onProgress?: (what: string) => void;
}

export function networkContext(model: IntModel, opts: NetworkCostOptions = {}): NetworkContext {
  const batch = opts.batch ?? 1;
  if (!Number.isSafeInteger(batch) || batch < 1) throw new UserError(`batch must be a positive integer, got ${batch}`);
  return {
    tech: resolveTech(opts.tech ?? DEFAULT_TECH),
    plans: planNetwork(model, batch),
    macs: new Map(),
    requants: new Map(),
    activations: new Map(),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
}

function cached<T>(cache: Map<string, T>, key: string, ctx: NetworkContext, build: () => T): T {
  if (!cache.has(key)) {
    ctx.onProgress?.(key);
    cache.set(key, build());
  }
  return cache.get(key)!;
}

function peOf(p: NetworkLayerPlan, ctx: NetworkContext): MacUnitReport {
  const key = `pe ${formatToString(p.mac.weight)} x ${formatToString(p.mac.input)} + ${formatToString(p.mac.acc)} n=${p.dotLength}`;
  return cached(ctx.macs, key, ctx, () => macUnit(p.mac, ctx.tech.tech, p.dotLength));
}

/** The requantization unit; null when there is none or it has no gates (the output is the accumulator's bits). */
function requantOf(p: NetworkLayerPlan, ctx: NetworkContext): RequantUnitReport | null {
  if (!p.requant) return null;
  const spec = p.requant;
  return cached(ctx.requants, requantKey(spec), ctx, () => {
    const r = requantUnit(spec, ctx.tech.tech);
    return r.circuit.gates > 0 ? r : null;
  });
}

export function activationOf(spec: ActivationUnitSpec, ctx: NetworkContext): SharedUnit {
  return cached(ctx.activations, activationUnitKey(spec), ctx, () => activationUnit(spec, ctx.tech.arg, ctx.tech.tech));
}

/** The activation unit, preceded by the residual adder between the layer and it when there is one. */
function withResidualAdder(act: SharedUnit, p: NetworkLayerPlan, ctx: NetworkContext): SharedUnit {
  if (!p.residualAdd) return act;
  const spec = p.residualAdd;
  return inSeries(
    cached(ctx.activations, residualAdderKey(spec), ctx, () => residualAdderUnit(spec, ctx.tech.tech)),
    act,
  );
}

/** The unit with the units of the further activation layers on the same outputs (residual-adder.ts, afterUnit). */
function chained(first: SharedUnit, p: NetworkLayerPlan, ctx: NetworkContext): SharedUnit {
  return (p.then ?? []).reduce((u, t) => afterUnit(u, activationOf(t.unit, ctx), t.layer, t.parallel === true), first);
}

/** Layer inputs of the accelerator model; `swap` replaces the activation of every layer that has one. */
export function networkLayers(
  ctx: NetworkContext,
  swap?: string,
): { inputs: LayerCostInput[]; pes: MacUnitReport[]; requants: (RequantUnitReport | null)[] } {
  const pes = ctx.plans.map((p) => peOf(p, ctx));
  const requants = ctx.plans.map((p) => requantOf(p, ctx));
  const inputs = ctx.plans.map((p, i): LayerCostInput => {
    const rq = requants[i]!;
    const act = p.activation && (swap === undefined ? p.activation : { ...p.activation, activation: swap });
    return {
      name: p.name,
      shape: p.shape,
      widths: p.widths,
      pe: unitCostOf(pes[i]!.pe, 1),
      activation: act ? withResidualAdder(chained(activationOf(act, ctx), p, ctx), p, ctx) : null,
      requant: rq ? { key: rq.key, ...unitCostOf(rq.circuit, 0) } : null,
    };
  });
  return { inputs, pes, requants };
}

function layerReport(l: LayerCostReport, p: NetworkLayerPlan, pe: MacUnitReport, requant: RequantUnitReport | null): NetworkLayerReport {
  const { name, macs, activations, activationUnit, cycles, areaUm2, energyPj, ...rest } = l;
  const f = l.footprint;
  return {
    name,
    macs,
    activations,
    activationUnit,
    cycles,
    areaUm2,
    energyPj,
    op: p.op,
    activationLayer: p.activationLayer,
    fusedActivation: p.fusedActivation,
    ...rest,
    memoryBits: { weight: f.weightBits + f.biasBits, activation: f.inputBits + f.outputBits },
    units: { pe, requant },
  };
}

/** One accelerator estimate of the context's layers (with `swap` as every activation unit when given). */
export function estimateNetwork(ctx: NetworkContext, opts: NetworkCostOptions = {}, swap?: string): NetworkCostReport {
  const { inputs, pes, requants } = networkLayers(ctx, swap);
  const r = estimateAccelerator(inputs, {
    array: opts.array ?? DEFAULT_ARRAY,
    dataflow: opts.dataflow ?? DEFAULT_DATAFLOW,
    tech: ctx.tech.figures,
    ...(opts.actUnits !== undefined ? { actUnits: opts.actUnits } : {}),
    ...(opts.requantUnits !== undefined ? { requantUnits: opts.requantUnits } : {}),
    ...(opts.clockMhz !== undefined ? { clockMhz: opts.clockMhz } : {}),
    ...(opts.dramBytesPerCycle !== undefined ? { dramBytesPerCycle: opts.dramBytesPerCycle } : {}),
    ...(opts.sramKb !== undefined ? { sramKb: opts.sramKb } : {}),
  });
  const t = r.total;
  return {
    array: r.array,
    layers: r.layers.map((l, i) => layerReport(l, ctx.plans[i]!, pes[i]!, requants[i]!)),
    // The keys first, then the area in mm^2.
    total: {
      macs: t.macs,
      cycles: t.cycles,
      latencyUs: t.latencyUs,
      inferencesPerSecond: t.inferencesPerSecond,
      areaUm2: t.areaUm2,
      energyPj: t.energyPj,
      breakdown: t.breakdown,
      areaMm2: t.areaMm2,
      computeCycles: t.computeCycles,
      stallCycles: t.stallCycles,
    },
  };
}

/**
 * Area, latency and energy of `model` on the accelerator (the JSON of
 * `helu-sim cost`); with swapActivation, whatIf holds the same network
 * re-costed with that activation unit and the difference.
 */
export function costNetwork(model: IntModel, opts: NetworkCostOptions = {}): NetworkCostReport {
  const swap = opts.swapActivation === undefined ? undefined : getActivation(opts.swapActivation).name;
  const ctx = networkContext(model, opts);
  const base = estimateNetwork(ctx, opts);
  if (swap === undefined) return base;
  const alt = estimateNetwork(ctx, opts, swap);
  return { ...base, whatIf: { activation: swap, report: alt, delta: acceleratorDelta(base, alt) } };
}
