/**
 * The study's fixed design, chosen before any run and the same for every
 * activation: data sets with their architecture, training budget and
 * hyperparameters, the activations, the seeds; and the list of networks
 * (jobs) an invocation needs, each with the cache key of its numbers.
 */
import { createHash } from 'node:crypto';
import { activationToString, parseActivation } from '../activations/float.js';
import { UserError } from '../errors.js';
import type { StudyDataset, StudyJob, StudyOptions } from './types.js';

/** ReLU and HeLU at three hysteresis widths, against the smooth (GELU, SiLU) and leaky alternatives. */
export const STUDY_ACTIVATIONS = ['relu', 'helu:0.01', 'helu:0.05', 'helu:0.1', 'gelu', 'silu', 'leakyrelu'] as const;
/** The activation every other one is compared with, seed by seed. */
export const STUDY_BASELINE = 'relu';
export const STUDY_SEEDS = 5;
export const MAX_SEEDS = 50;
export const MAX_EPOCHS = 200;
export const STUDY_BITS = 8;

/**
 * digits: the demo's MLP on the whole bundled set. Fashion-MNIST: a small CNN
 * with BatchNorm after each convolution, on the first 1,500 training and
 * 1,000 test images (a documented subset: the default study of 70 networks
 * must finish in about 15 minutes on two cores).
 */
export const STUDY_DATASETS: readonly StudyDataset[] = [
  { name: 'digits', arch: 'mlp:64,32', epochs: 20, hyper: { optimizer: 'adam', learningRate: 0.003, batchSize: 16, labelSmoothing: 0.2 } },
  {
    name: 'fashion-mnist',
    arch: 'cnn:8c3b,p2,16c3b,p2,32',
    epochs: 3,
    trainSamples: 1500,
    testSamples: 1000,
    hyper: { optimizer: 'adam', learningRate: 0.003, batchSize: 32, labelSmoothing: 0.2 },
  },
];

/** --quick: one seed, two epochs, and a smaller Fashion-MNIST subset. */
const QUICK = { seeds: 1, epochs: 2, trainSamples: 500, testSamples: 250 };

export interface StudyPlan {
  seeds: number[];
  activations: string[];
  datasets: StudyDataset[];
  jobs: StudyJob[];
}

function checkInt(what: string, v: number, lo: number, hi: number): number {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new UserError(`${what} must be an integer ${lo} .. ${hi}, got ${v}`);
  return v;
}

function datasetsOf(names: readonly string[] | undefined, opts: StudyOptions): StudyDataset[] {
  const known = STUDY_DATASETS.map((d) => d.name);
  const picked = (names ?? known).map((n) => {
    const d = STUDY_DATASETS.find((x) => x.name === n.trim().toLowerCase());
    if (!d) throw new UserError(`unknown study data set '${n}'; accepted: ${known.join(', ')}`);
    return d;
  });
  if (picked.length === 0) throw new UserError(`no data set given; accepted: ${known.join(', ')}`);
  return [...new Set(picked)].map((d) => {
    const epochs = opts.epochs ?? (opts.quick ? QUICK.epochs : d.epochs);
    if (!opts.quick || d.trainSamples === undefined) return { ...d, epochs };
    return { ...d, epochs, trainSamples: QUICK.trainSamples, testSamples: QUICK.testSamples };
  });
}

/** Canonical activation texts, the baseline first (it is always trained: every comparison needs it). */
function activationsOf(list: readonly string[] | undefined): string[] {
  const texts = (list ?? STUDY_ACTIVATIONS).map((a) => activationToString(parseActivation(a)));
  return [...new Set([STUDY_BASELINE, ...texts])];
}

/** Everything that changes a network's numbers, hashed: the cache file name's suffix. */
export function jobKey(d: StudyDataset, activation: string, seed: number): string {
  const what = JSON.stringify({
    v: 1,
    d: d.name,
    arch: d.arch,
    epochs: d.epochs,
    train: d.trainSamples ?? null,
    test: d.testSamples ?? null,
    hyper: d.hyper,
    activation,
    seed,
    bits: STUDY_BITS,
  });
  const safe = activation.replace(/[^a-z0-9.]/g, '_');
  return `${d.name}-${safe}-s${seed}-e${d.epochs}-${createHash('sha256').update(what).digest('hex').slice(0, 12)}`;
}

/** Checks the options (UserError on anything out of range) and lists the networks, data set by data set, seed by seed. */
export function planStudy(opts: StudyOptions): StudyPlan {
  const n = checkInt('seeds', opts.seeds ?? (opts.quick ? QUICK.seeds : STUDY_SEEDS), 1, MAX_SEEDS);
  if (opts.epochs !== undefined) checkInt('epochs', opts.epochs, 1, MAX_EPOCHS);
  const datasets = datasetsOf(opts.datasets, opts);
  const activations = activationsOf(opts.activations);
  const seeds = Array.from({ length: n }, (_, i) => i + 1);
  const jobs = datasets.flatMap((dataset) =>
    seeds.flatMap((seed) =>
      activations.map((activation) => ({
        dataset,
        activation,
        seed,
        key: jobKey(dataset, activation, seed),
      })),
    ),
  );
  return { seeds, activations, datasets, jobs };
}
