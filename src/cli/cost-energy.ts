/**
 * `cost --energy toggles --dataset D`: the activation units' energy from the
 * gate simulator's toggle counts on the network's real activations, beside
 * the uniform-random figure of the cost report (hardware/network/activation-toggles.ts).
 */
import { UserError } from '../errors.js';
import { activationToggleEnergy, type ActivationToggleRow, type NetworkCostReport } from '../hardware/index.js';
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
  const rows = activationToggleEnergy(m, split.x.subarray(0, samples * per), samples, tech).map((row) => {
    const l = r.layers.find((x) => x.activationLayer === row.layer);
    const unit = l?.activationUnit as { energyFjPerOp: number } | null | undefined;
    return { ...row, uniformFjPerOp: unit?.energyFjPerOp ?? 0 };
  });
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((s, x) => s + (f(x) * x.perInference) / 1e3, 0);
  return { dataset: ds.name, samples, rows, totalPj: { toggles: sum((x) => x.energyFjPerOp), uniform: sum((x) => x.uniformFjPerOp) } };
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
