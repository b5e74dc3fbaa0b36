/**
 * One network of the study, start to finish: train (TF.js, seeded: every
 * activation of a seed starts from the same weights and sees the same
 * mini-batches), export to 8-bit pow2, verify bit-exact with every activation
 * as its gate-level circuit on every sample of both splits, cost the
 * accelerator at the network's own formats. Returns plain data (the cache
 * record); runs in a worker thread or in the caller's.
 */
import { parseActivation } from '../activations/float.js';
import { activationUnits } from '../demo/index.js';
import { costNetwork, DEFAULT_TECH } from '../hardware/index.js';
import { limitSplit, loadDataset, planArchitecture, train, type Dataset } from '../models/index.js';
import { quantizeModel, summarizeModel, verifyModel } from '../sim/index.js';
import { STUDY_BITS } from './plan.js';
import type { HiddenLayer, NetworkRecord, StudyDataset, StudyJob } from './types.js';

const loaded = new Map<string, Dataset>();

/** The study's samples of a data set: the first trainSamples / testSamples of each split (loaded once per thread). */
export function studyData(d: StudyDataset): Dataset {
  const id = `${d.name}/${d.trainSamples ?? 'all'}/${d.testSamples ?? 'all'}`;
  let ds = loaded.get(id);
  if (!ds) {
    const limit = d.trainSamples !== undefined && d.testSamples !== undefined ? Math.max(d.trainSamples, d.testSamples) : undefined;
    const full = loadDataset(d.name, limit !== undefined ? { limit } : {});
    const per = full.inputShape.reduce((a, b) => a * b, 1);
    ds = { ...full, train: limitSplit(full.train, per, d.trainSamples), test: limitSplit(full.test, per, d.testSamples) };
    loaded.set(id, ds);
  }
  return ds;
}

/** The layers whose activation outputs are watched for dead units, in order (conv1, conv2, dense1, ...). */
export function hiddenLayers(arch: string, ds: Dataset): HiddenLayer[] {
  let conv = 0,
    dense = 0;
  return planArchitecture(arch, ds.inputShape, ds.numClasses).flatMap((l): HiddenLayer[] => {
    if (l.spec.type === 'conv') return [{ name: `conv${++conv}`, units: l.spec.filters }];
    if (l.spec.type === 'dense' && l.spec.hidden) return [{ name: `dense${++dense}`, units: l.spec.units }];
    return [];
  });
}

function costOf(model: ReturnType<typeof quantizeModel>): NetworkRecord['cost'] {
  const t = costNetwork(model, { tech: DEFAULT_TECH }).total;
  return {
    areaUm2: t.areaUm2,
    energyPj: t.energyPj,
    latencyUs: t.latencyUs,
    activationAreaUm2: t.breakdown.areaUm2.activation,
    activationEnergyPj: t.breakdown.energyPj.activation,
  };
}

/** Progress inside one network: a short status ('epoch 3/20'), sent at most once per percent of its training. */
export type NetworkProgress = (status: string) => void;

export async function studyNetwork(job: StudyJob, progress?: NetworkProgress): Promise<NetworkRecord> {
  const t0 = Date.now();
  const d = job.dataset;
  const ds = studyData(d);
  let lastPct = -1;
  const tr = await train(ds, {
    arch: d.arch,
    activation: parseActivation(job.activation),
    epochs: d.epochs,
    seed: job.seed,
    optimizer: d.hyper.optimizer,
    learningRate: d.hyper.learningRate,
    batchSize: d.hyper.batchSize,
    labelSmoothing: d.hyper.labelSmoothing,
    progress: (done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct !== lastPct) progress?.(`training ${pct}%`);
      lastPct = pct;
    },
  });
  progress?.('verifying');
  const tv = Date.now();
  const model = quantizeModel(tr.graph, ds.train, {
    bits: STUDY_BITS,
    metadata: { source: 'helu-sim study', calibrationSet: `${ds.name} (train)` },
  });
  // The two splits verified separately (each sample once) for the integer engine's test accuracy.
  const trainV = verifyModel(model, ds.train, { mode: 'gate' });
  const test = verifyModel(model, ds.test, { mode: 'gate' });
  const verifySeconds = (Date.now() - tv) / 1000;
  return {
    key: job.key,
    dataset: d.name,
    arch: d.arch,
    activation: job.activation,
    seed: job.seed,
    epochs: d.epochs,
    hyper: d.hyper,
    samples: { train: ds.train.count, test: ds.test.count },
    training: {
      backend: tr.backend,
      testAccuracy: tr.testAccuracy,
      trainAccuracy: tr.trainAccuracy,
      hiddenLayers: hiddenLayers(d.arch, ds),
      history: tr.history,
      seconds: tr.seconds,
    },
    quantization: {
      bits: STUDY_BITS,
      input: summarizeModel(model).input.format,
      units: activationUnits(model).map((u) => ({
        layer: u.layer,
        name: u.name,
        input: u.input,
        output: u.output,
        gates: u.gates,
        depth: u.depth,
      })),
    },
    verification: {
      samples: trainV.samples + test.samples,
      valuesCompared: trainV.valuesCompared + test.valuesCompared,
      mismatches: trainV.mismatches + test.mismatches,
      maxLsbError: Math.max(trainV.maxLsbError, test.maxLsbError),
      eventMismatches: trainV.eventMismatches + test.eventMismatches,
      trainIntAccuracy: trainV.intAccuracy,
      testIntAccuracy: test.intAccuracy,
      seconds: verifySeconds,
    },
    cost: costOf(model),
    seconds: (Date.now() - t0) / 1000,
  };
}
