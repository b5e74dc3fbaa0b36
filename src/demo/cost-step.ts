/**
 * Step 3: the cost of the activation units the network could use, each built
 * between the network's activation formats (a drop-in replacement for its
 * HeLU unit), and the accelerator that runs the network on the default array,
 * with every activation unit swapped in turn (the what-if).
 */
import { describeActivations } from '../activations/index.js';
import { parseFormat } from '../fixedpoint/index.js';
import { activationWhatIf, costNetwork, DEFAULT_TECH } from '../hardware/index.js';
import type { IntModel } from '../sim/index.js';
import type { DemoOptions, DemoResult, DemoWhatIfRow } from './types.js';

/** The activations compared, the network's own first. */
export const DEMO_ACTIVATIONS = ['helu', 'relu', 'leakyrelu', 'relu6', 'hardswish', 'gelu', 'silu', 'sigmoid', 'tanh'] as const;
/** The what-if the summary prints next to the network's own unit. */
export const DEMO_SWAP = 'gelu';

export interface CostStep {
  activationUnits: DemoResult['activationUnits'];
  accelerator: DemoResult['accelerator'];
  seconds: number;
}

export function costStep(model: IntModel, unit: { input: string; output: string }, opts: DemoOptions): CostStep {
  const t0 = Date.now();
  const total = DEMO_ACTIVATIONS.length * 2 + 1;
  const units = describeActivations([...DEMO_ACTIVATIONS], parseFormat(unit.input), parseFormat(unit.output), {
    tech: DEFAULT_TECH,
    onProgress: (done, _n, name) => opts.onProgress?.('cost', done, total, name),
  });
  opts.onProgress?.('cost', DEMO_ACTIVATIONS.length, total, 'accelerator');
  const estimate = costNetwork(model, { tech: DEFAULT_TECH, swapActivation: DEMO_SWAP });
  opts.onProgress?.('cost', DEMO_ACTIVATIONS.length + 1, total, 'what-if');
  const whatIf = activationWhatIf(model, DEMO_ACTIVATIONS, { tech: DEFAULT_TECH }).map((w): DemoWhatIfRow => ({
    activation: w.activation,
    areaUm2: w.areaUm2,
    energyPj: w.energyPj,
    latencyUs: w.latencyUs,
    inferencesPerSecond: w.inferencesPerSecond,
    cycles: w.cycles,
    activationAreaUm2: w.activationAreaUm2,
    activationEnergyPj: w.activationEnergyPj,
    delta: w.delta,
  }));
  opts.onProgress?.('cost', total, total, 'done');
  return {
    activationUnits: { input: unit.input, output: unit.output, tech: DEFAULT_TECH, units },
    accelerator: { estimate, whatIf },
    seconds: (Date.now() - t0) / 1000,
  };
}
