/**
 * Step 1: the same MLP trained twice on the same data with the same seed
 * (same initial weights, same mini-batch order), once with ReLU and once with
 * HeLU. Only the activation's backward pass differs: HeLU's forward is ReLU,
 * its gradient passes for x > -alpha (hysteresis) where ReLU's stops at 0.
 */
import type { Dataset, Graph, TrainResult } from '../models/index.js';
import { normalizeActivation } from '../activations/float.js';
import { loadTf, planArchitecture, train } from '../models/index.js';
import type { DemoHiddenLayer, DemoOptions, DemoTrainingRun } from './types.js';

export const DEMO_ARCH = 'mlp:64,32';
/** 20 epochs: 95 % test accuracy for both runs (seed 1), about 10 s of training on two idle cores. */
export const DEMO_EPOCHS = 20;
export const DEMO_SEED = 1;

export interface TrainingStep {
  backend: string;
  hiddenLayers: DemoHiddenLayer[];
  runs: DemoTrainingRun[];
  /** The HeLU network, exported next. */
  helu: Graph;
  seconds: number;
}

/** Hidden dense layers of the architecture, named as the trained graph names them (dense1, dense2, ...). */
export function demoHiddenLayers(arch: string, ds: Dataset): DemoHiddenLayer[] {
  const dense = planArchitecture(arch, ds.inputShape, ds.numClasses).flatMap((l) =>
    l.spec.type === 'dense' && l.spec.hidden ? [l.spec.units] : [],
  );
  return dense.map((units, i) => ({ name: `dense${i + 1}`, units }));
}

function runOf(activation: string, r: TrainResult): DemoTrainingRun {
  return {
    activation,
    testAccuracy: r.testAccuracy,
    trainAccuracy: r.trainAccuracy,
    deadFraction: r.deadFraction,
    seconds: r.seconds,
    history: r.history,
  };
}

export async function trainingStep(ds: Dataset, seed: number, epochs: number, opts: DemoOptions): Promise<TrainingStep> {
  const t0 = Date.now();
  // Load the TF.js backend first, so both runs' times measure training alone.
  await loadTf();
  const results: TrainResult[] = [];
  for (const kind of ['relu', 'helu'] as const) {
    const phase = kind === 'relu' ? 'train relu' : 'train helu';
    results.push(
      await train(ds, {
        arch: DEMO_ARCH,
        activation: normalizeActivation({ kind }),
        epochs,
        seed,
        progress: (done, total, status) => opts.onProgress?.(phase, done, total, status),
      }),
    );
  }
  const [relu, helu] = results as [TrainResult, TrainResult];
  return {
    backend: helu.backend,
    hiddenLayers: demoHiddenLayers(DEMO_ARCH, ds),
    runs: [runOf('relu', relu), runOf('helu', helu)],
    helu: helu.graph,
    seconds: (Date.now() - t0) / 1000,
  };
}
