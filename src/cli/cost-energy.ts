/**
 * `cost --energy toggles --dataset D`: the activation units' energy from the
 * gate simulator's toggle counts on the network's real activations, beside
 * the uniform-random figure of the cost report (hardware/network/activation-toggles.ts).
 */
import { UserError } from '../errors.js';
import {
  activationToggleRows,
  energyBreakdown,
  networkContext,
  peToggleEnergy,
  resolveTech,
  sampleTensors,
  type ActivationToggleRow,
  type EnergyBreakdown,
  type EnergyParts,
  type NetworkCostReport,
  type PeToggleRow,
} from '../hardware/index.js';
import { loadDataset, splitOf } from '../models/index.js';
import { formatInt, formatSig, markdownTable } from '../report/index.js';
import type { IntModel } from '../sim/quantize/model.js';
import { datasetOptions } from './dataset-options.js';

/** Samples simulated when --limit is not given. */
export const TOGGLE_SAMPLES = 256;

export interface ToggleEnergyReport {
  readonly dataset: string;
  readonly samples: number;
  readonly rows: readonly (ActivationToggleRow & { readonly uniformFjPerOp: number })[];
  /** Activation-unit energy per inference, pJ: on the real activations and with uniformly random inputs. */
  readonly totalPj: { readonly toggles: number; readonly uniform: number };
  /** PE energy per MAC of every dense/conv layer on its sampled real operands, beside the uniform figure. */
  readonly pe: readonly (PeToggleRow & { readonly uniformFjPerMac: number })[];
}

export function parseEnergyMode(v: string, dataset: string | undefined): 'uniform' | 'toggles' {
  if (v !== 'uniform' && v !== 'toggles') throw new UserError(`--energy must be uniform or toggles, got '${v}'`);
  if (v === 'toggles' && dataset === undefined)
    throw new UserError('--energy toggles needs --dataset (the samples whose activations drive the units)');
  if (v === 'uniform' && dataset !== undefined) throw new UserError('--dataset is used by --energy toggles only');
  return v;
}

/** Runs the samples and simulates every activation unit on its real input stream. */
export function toggleEnergy(m: IntModel, r: NetworkCostReport, dataset: string, flags: object, tech: string): ToggleEnergyReport {
  const opts = datasetOptions(flags);
  const ds = loadDataset(dataset, opts);
  const split = splitOf(ds, 'test');
  const per = split.x.length / split.count;
  const samples = Math.min(opts.limit ?? TOGGLE_SAMPLES, split.count);
  const tensors = sampleTensors(m, split.x.subarray(0, samples * per), samples);
  const resolved = resolveTech(tech);
  const pe = peToggleEnergy(m, networkContext(m).plans, tensors, samples, resolved.tech).map((row) => {
    const l = r.layers.find((x) => x.name === row.layer)!;
    return { ...row, uniformFjPerMac: l.units.pe.pe.energyFjPerOp };
  });
  const rows = activationToggleRows(m, tensors, samples, resolved.tech).map((row) => {
    const l = r.layers.find((x) => x.activationLayer === row.layer);
    const unit = l?.activationUnit as { energyFjPerOp: number } | null | undefined;
    return { ...row, uniformFjPerOp: unit?.energyFjPerOp ?? 0 };
  });
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((s, x) => s + (f(x) * x.perInference) / 1e3, 0);
  return { dataset: ds.name, samples, rows, totalPj: { toggles: sum((x) => x.energyFjPerOp), uniform: sum((x) => x.uniformFjPerOp) }, pe };
}

/** The per-layer, per-component energy of the report, with the real-operand figures when given. */
export function fullEnergy(r: NetworkCostReport, tech: string, t?: ToggleEnergyReport): EnergyBreakdown {
  return energyBreakdown(r, resolveTech(tech), t ? { samples: t.samples, dataset: t.dataset, pe: t.pe, activations: t.rows } : undefined);
}

function pjRange(x: { low: number; high: number } | null): string {
  if (!x) return 'n/a';
  return `${formatSig(x.low, 4)}–${formatSig(x.high, 4)}`;
}

function energyRow(name: string, p: EnergyParts): string[] {
  const total = p.dram ? pjRange(p.total) : formatSig(p.onChip, 4);
  return [name, formatSig(p.pe, 4), formatSig(p.requant, 4), formatSig(p.activation, 4), formatSig(p.sram, 4), pjRange(p.dram), total];
}

/** One line: the energy of an inference with every component (the table at the end of the report). */
export function energyHeadline(e: EnergyBreakdown): string {
  const nj = (x: number) => formatSig(x / 1e3, 4);
  const t = e.total;
  if (!t.dram)
    return `Energy per inference with every component (PEs, requantization, activation units, SRAM; no DRAM without --dram-bw): ${nj(t.onChip)} nJ`;
  const all = `${nj(t.onChip)} nJ on chip + DRAM ${nj(t.dram.low)}–${nj(t.dram.high)} nJ = ${nj(t.total.low)}–${nj(t.total.high)} nJ`;
  return `Energy per inference with every component (PEs, requantization, activation units, SRAM, DRAM): ${all}`;
}

export function fullEnergyTable(e: EnergyBreakdown): string {
  const rows = [...e.layers.map((l) => energyRow(l.layer, l)), energyRow('total', e.total)];
  const src = Object.entries(e.sources).map(([k, v]) => `- ${k}: ${v}`);
  return [
    'Energy per inference by layer and component (pJ; DRAM as the low–high range of its cited access energy)',
    '',
    markdownTable(['layer', 'PEs', 'requantization', 'activation units', 'SRAM', 'DRAM', 'total'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ]),
    'Sources:',
    ...src,
    '',
  ].join('\n');
}

export function peToggleTable(t: ToggleEnergyReport): string {
  const rows = t.pe.map((x) => [
    x.layer,
    formatInt(x.dotProducts),
    formatInt(x.macs),
    formatSig(x.energyFjPerMac, 4),
    formatSig(x.uniformFjPerMac, 4),
    x.uniformFjPerMac > 0 ? formatSig(x.energyFjPerMac / x.uniformFjPerMac, 3) : 'n/a',
  ]);
  return [
    `PE energy on real operands: whole dot products sampled from ${formatInt(t.samples)} ${t.dataset} test samples, toggles of the PE circuit`,
    '',
    markdownTable(
      ['layer', 'dot products simulated', 'MACs simulated', 'energy / MAC, real (fJ)', 'energy / MAC, uniform (fJ)', 'real / uniform'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ].join('\n');
}

export function toggleTable(t: ToggleEnergyReport): string {
  const rows = t.rows.map((x) => [
    x.layer,
    x.unit,
    formatInt(x.perInference),
    formatSig(x.energyFjPerOp, 4),
    formatSig(x.uniformFjPerOp, 4),
    x.uniformFjPerOp > 0 ? formatSig(x.energyFjPerOp / x.uniformFjPerOp, 3) : 'n/a',
  ]);
  rows.push(['total', '', '', `${formatSig(t.totalPj.toggles, 4)} pJ`, `${formatSig(t.totalPj.uniform, 4)} pJ`, '']);
  return [
    `Activation energy on real activations: toggles of ${formatInt(t.samples)} ${t.dataset} test samples, per-cell switching energy of the technology`,
    '',
    markdownTable(
      ['activation layer', 'unit', 'evaluations / inference', 'energy / op, real (fJ)', 'energy / op, uniform (fJ)', 'real / uniform'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right'],
    ),
  ].join('\n');
}
