/**
 * Accelerator totals: a systolic array of R x C PEs, activation and
 * requantization units at the array's column outputs, and two SRAMs
 * (memory.ts), running the network layer after layer.
 *
 * Cycle rule per layer (one pass over the batch):
 *   cycles = max(arrayCycles, ceil(outputs / actUnits), ceil(outputs / requantUnits))
 *            + activation latency + requantization latency
 * The units take results as they drain from the array, so their work overlaps
 * the array's; at actUnits (requantUnits) results per cycle they can lag behind
 * it, hence the max. Their pipeline latency (UnitCost.cycles) is added once per
 * layer: the next layer starts only when every output of this one is through.
 * A missing unit (null) contributes neither term.
 *
 * Clock: period = the longest delay among the PEs and the units used, unless
 * clockMhz is fixed (timingMet then says whether the units fit in the period).
 * Area counts shared hardware once: R*C PEs of the largest PE any layer needs,
 * n instances of each distinct activation (requantization) unit key, and the SRAMs.
 * Energy per inference = (MACs * PE energy + activations * activation energy
 *   + outputs * requantization energy + SRAM traffic energy) / batch, summed over layers.
 * Dynamic energy only (no leakage, no clock tree).
 * With a DRAM bandwidth (dramBytesPerCycle), the SRAMs are SCALE-Sim's three
 * buffers of sramKb (memory.ts bufferSramPlan) and each layer's cycles add the
 * stall cycles of its DRAM traffic (dram.ts): cycles = compute + stall.
 */
import { UserError } from '../errors.js';
import { DEFAULT_SRAM_KB, dramTraffic } from './dram.js';
import { layerOutputs } from './layer.js';
import { bufferSramPlan, layerFootprint, layerSramEnergyPj, planSram } from './memory.js';
import { sramTraffic, systolicCycles, type CycleEstimate } from './systolic.js';
import type {
  AcceleratorOptions,
  AcceleratorReport,
  CostSplit,
  LayerCostInput,
  LayerCostReport,
  SharedUnit,
  SramReport,
} from './accelerator-types.js';
import type { SramPlan } from './memory.js';

function unitCount(v: number | undefined, dflt: number, what: string): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`${what} must be a positive integer, got ${n}`);
  return n;
}

function commonBatch(layers: readonly LayerCostInput[]): number {
  if (layers.length === 0) throw new UserError('the network has no layers to cost');
  const batch = layers[0]!.shape.batch;
  for (const l of layers) {
    if (l.shape.batch !== batch) throw new UserError(`layer '${l.name}' has batch ${l.shape.batch}, others ${batch}; one batch for all`);
  }
  return batch;
}

/** Area of `n` instances of each distinct unit key (the largest area when one key appears with several). */
function sharedArea(units: readonly (SharedUnit | null)[], n: number): number {
  const byKey = new Map<string, number>();
  for (const u of units) if (u) byKey.set(u.key, Math.max(byKey.get(u.key) ?? 0, u.areaUm2));
  let area = 0;
  for (const a of byKey.values()) area += n * a;
  return area;
}

function criticalPathPs(layers: readonly LayerCostInput[]): number {
  let d = 0;
  for (const l of layers) d = Math.max(d, l.pe.delayPs, l.activation?.delayPs ?? 0, l.requant?.delayPs ?? 0);
  return d;
}

interface Counts {
  readonly actUnits: number;
  readonly requantUnits: number;
}

function layerCycles(e: CycleEstimate, l: LayerCostInput, n: Counts): number {
  const outputs = layerOutputs(l.shape);
  const act = l.activation ? Math.ceil(outputs / n.actUnits) : 0;
  const rq = l.requant ? Math.ceil(outputs / n.requantUnits) : 0;
  return Math.max(e.cycles, act, rq) + (l.activation?.cycles ?? 0) + (l.requant?.cycles ?? 0);
}

function layerReport(l: LayerCostInput, e: CycleEstimate, opts: AcceleratorOptions, n: Counts, plan: SramPlan): LayerCostReport {
  const batch = l.shape.batch;
  const outputs = layerOutputs(l.shape);
  const energy: CostSplit = {
    peArray: (e.macs * l.pe.energyPjPerOp) / batch,
    activation: l.activation ? (outputs * l.activation.energyPjPerOp) / batch : 0,
    requant: l.requant ? (outputs * l.requant.energyPjPerOp) / batch : 0,
    sram: layerSramEnergyPj(sramTraffic(e), l.shape, l.widths, plan) / batch,
  };
  const { key: _key, report, ...unit } = l.activation ?? { key: '', report: undefined };
  const computeCycles = layerCycles(e, l, n);
  const dram =
    opts.dramBytesPerCycle === undefined
      ? null
      : dramTraffic(e, opts.array, l.widths, { bytesPerCycle: opts.dramBytesPerCycle, sramKb: opts.sramKb ?? DEFAULT_SRAM_KB }, l.shape);
  const stallCycles = dram ? dram.stallCycles : 0;
  return {
    name: l.name,
    macs: e.macs / batch,
    activations: l.activation ? outputs / batch : 0,
    activationUnit: l.activation ? (report ?? unit) : null,
    cycles: computeCycles + stallCycles,
    computeCycles,
    stallCycles,
    dram,
    arrayCycles: e.cycles,
    folds: e.folds,
    utilization: e.utilization,
    areaUm2:
      opts.array.rows * opts.array.cols * l.pe.areaUm2 +
      (l.activation ? n.actUnits * l.activation.areaUm2 : 0) +
      (l.requant ? n.requantUnits * l.requant.areaUm2 : 0),
    energyPj: energy.peArray + energy.activation + energy.requant + energy.sram,
    energyBreakdownPj: energy,
    footprint: layerFootprint(l.shape, l.widths, e, opts.array),
    sramAccesses: sramTraffic(e),
  };
}

function sramReports(plan: SramPlan): SramReport[] {
  if (!plan.output)
    return [
      { role: 'weight', ...plan.weight },
      { role: 'activation', ...plan.activation },
    ];
  return [
    { role: 'filter', ...plan.weight },
    { role: 'ifmap', ...plan.activation },
    { role: 'ofmap', ...plan.output },
  ];
}

function sumSplit(xs: readonly CostSplit[]): CostSplit {
  const s = { peArray: 0, activation: 0, requant: 0, sram: 0 };
  for (const x of xs) {
    s.peArray += x.peArray;
    s.activation += x.activation;
    s.requant += x.requant;
    s.sram += x.sram;
  }
  return s;
}

function totalArea(layers: readonly LayerCostInput[], opts: AcceleratorOptions, n: Counts, plan: SramPlan): CostSplit {
  return {
    peArray: opts.array.rows * opts.array.cols * Math.max(...layers.map((l) => l.pe.areaUm2)),
    activation: sharedArea(
      layers.map((l) => l.activation),
      n.actUnits,
    ),
    requant: sharedArea(
      layers.map((l) => l.requant),
      n.requantUnits,
    ),
    sram: (plan.weight.areaUm2 ?? 0) + (plan.activation.areaUm2 ?? 0) + (plan.output?.areaUm2 ?? 0),
  };
}

/** Cycles, latency, throughput, area and energy of the network on the accelerator (rules in the file comment). */
export function estimateAccelerator(layers: readonly LayerCostInput[], opts: AcceleratorOptions): AcceleratorReport {
  const batch = commonBatch(layers);
  const n: Counts = {
    actUnits: unitCount(opts.actUnits, opts.array.cols, 'activation units'),
    requantUnits: unitCount(opts.requantUnits, opts.array.cols, 'requantization units'),
  };
  const estimates = layers.map((l) => systolicCycles(l.shape, opts.array, opts.dataflow));
  const plan =
    opts.dramBytesPerCycle === undefined
      ? planSram(
          layers.map((l, i) => layerFootprint(l.shape, l.widths, estimates[i], opts.array)),
          opts.tech,
        )
      : bufferSramPlan(opts.sramKb ?? DEFAULT_SRAM_KB, opts.tech);
  const reports = layers.map((l, i) => layerReport(l, estimates[i]!, opts, n, plan));
  const critical = criticalPathPs(layers);
  if (opts.clockMhz === undefined && !(critical > 0)) throw new UserError('no unit has a delay; give a clock frequency (clockMhz)');
  if (opts.clockMhz !== undefined && !(opts.clockMhz > 0 && Number.isFinite(opts.clockMhz))) {
    throw new UserError(`clock frequency must be a positive number of MHz, got ${opts.clockMhz}`);
  }
  const clockMhz = opts.clockMhz ?? 1e6 / critical;
  const area = totalArea(layers, opts, n, plan);
  const areaUm2 = area.peArray + area.activation + area.requant + area.sram;
  const cycles = reports.reduce((s, r) => s + r.cycles, 0);
  const stallCycles = reports.reduce((s, r) => s + r.stallCycles, 0);
  const latencyUs = cycles / clockMhz;
  const energyPj = sumSplit(reports.map((r) => r.energyBreakdownPj));
  return {
    array: { ...opts.array, dataflow: opts.dataflow, clockMhz, ...n, batch, tech: opts.tech.name },
    layers: reports,
    total: {
      macs: reports.reduce((s, r) => s + r.macs, 0),
      cycles,
      computeCycles: cycles - stallCycles,
      stallCycles,
      latencyUs,
      inferencesPerSecond: batch / (latencyUs * 1e-6),
      areaUm2,
      areaMm2: areaUm2 / 1e6,
      energyPj: energyPj.peArray + energyPj.activation + energyPj.requant + energyPj.sram,
      breakdown: {
        areaUm2: area,
        energyPj,
        sramBits: { weight: plan.weight.bits, activation: plan.activation.bits, ...(plan.output ? { output: plan.output.bits } : {}) },
        srams: sramReports(plan),
        ...(opts.tech.sramAreaNote !== undefined ? { sramAreaNote: opts.tech.sramAreaNote } : {}),
        criticalPathPs: critical,
        clockPeriodPs: 1e6 / clockMhz,
        timingMet: 1e6 / clockMhz >= critical,
      },
    },
  };
}
