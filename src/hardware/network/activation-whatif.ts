/**
 * Activation what-if: the same network (same formats, same array) costed with
 * each of several activation units in place of its own.
 */
import { getActivation } from '../../activations/index.js';
import type { IntModel } from '../../sim/quantize/model.js';
import { acceleratorDelta, type AcceleratorDelta } from '../whatif.js';
import { estimateNetwork, networkContext, type NetworkCostOptions, type NetworkCostReport } from './network.js';

export interface ActivationWhatIfRow {
  readonly activation: string;
  /** Accelerator area, um^2. */
  readonly areaUm2: number;
  /** Energy per inference, pJ. */
  readonly energyPj: number;
  readonly latencyUs: number;
  readonly inferencesPerSecond: number;
  readonly cycles: number;
  /** Area and energy of the activation units alone. */
  readonly activationAreaUm2: number;
  readonly activationEnergyPj: number;
  readonly report: NetworkCostReport;
  /** Against the model's own activation units. */
  readonly delta: AcceleratorDelta;
}

/**
 * The same network with each named activation in place of its activation
 * units (formats unchanged), one row per name: the data of the what-if plot
 * (report's acceleratorWhatIfChart) and table (whatIfTable).
 */
export function activationWhatIf(model: IntModel, names: readonly string[], opts: NetworkCostOptions = {}): ActivationWhatIfRow[] {
  const canonical = names.map((n) => getActivation(n).name);
  const ctx = networkContext(model, opts);
  const base = estimateNetwork(ctx, opts);
  return canonical.map((activation) => {
    const r = estimateNetwork(ctx, opts, activation);
    const t = r.total;
    return {
      activation,
      areaUm2: t.areaUm2,
      energyPj: t.energyPj,
      latencyUs: t.latencyUs,
      inferencesPerSecond: t.inferencesPerSecond,
      cycles: t.cycles,
      activationAreaUm2: t.breakdown.areaUm2.activation,
      activationEnergyPj: t.breakdown.energyPj.activation,
      report: r,
      delta: acceleratorDelta(base, r),
    };
  });
}
