/**
 * The study's options, its unit of work (one network: a data set, an
 * activation, a seed) and the records it produces. report.json is exactly a
 * StudyResult; every per-network record is also the cache file of that
 * network (cache.ts).
 */
import type { EpochRecord } from '../models/index.js';
import type { Interval, PairedComparison } from './stats.js';

/** Fixed training hyperparameters of one data set (the same for every activation). */
export interface Hyperparameters {
  optimizer: 'adam';
  learningRate: number;
  batchSize: number;
  labelSmoothing: number;
}

/** One data set of the study, with its architecture and training budget. */
export interface StudyDataset {
  /** 'digits' or 'fashion-mnist'. */
  name: string;
  arch: string;
  epochs: number;
  /** Samples kept from the start of each split (undefined: the whole split). */
  trainSamples?: number;
  testSamples?: number;
  hyper: Hyperparameters;
}

/** One network to train, export, verify and cost. */
export interface StudyJob {
  dataset: StudyDataset;
  /** Canonical activation text ('relu', 'helu:0.01', ...). */
  activation: string;
  seed: number;
  /** Cache key: every input that changes the network's numbers. */
  key: string;
}

export type StudyPhase = 'networks' | 'render' | 'write';

export interface StudyOptions {
  outDir: string;
  /** Number of seeds (seeds 1 .. n). Default 5. */
  seeds?: number;
  /** Activation texts; default STUDY_ACTIVATIONS. */
  activations?: string[];
  /** Data set names; default both. */
  datasets?: string[];
  /** Training epochs for every data set (default: each data set's own). */
  epochs?: number;
  /** One seed, few epochs, small subsets: a smoke test. */
  quick?: boolean;
  /** Networks processed at once (worker threads); default min(2, cores). 1: in this thread. */
  jobs?: number;
  onProgress?: (phase: StudyPhase, done: number, total: number, status?: string) => void;
  log?: (text: string) => void;
}

export interface HiddenLayer {
  /** 'conv1', 'dense1', ...: the trained layer whose activation output is watched. */
  name: string;
  /** Units (dense) or channels (conv): a channel is dead when 0 at every position of every sample. */
  units: number;
}

/** Everything measured on one network. */
export interface NetworkRecord {
  key: string;
  dataset: string;
  arch: string;
  activation: string;
  seed: number;
  epochs: number;
  hyper: Hyperparameters;
  samples: { train: number; test: number };
  training: {
    backend: string;
    /** Float network (float64 engine) accuracies after the last epoch. */
    testAccuracy: number;
    trainAccuracy: number;
    hiddenLayers: HiddenLayer[];
    history: EpochRecord[];
    seconds: number;
  };
  quantization: {
    bits: number;
    input: string;
    units: { layer: string; name: string; input: string; output: string; gates: number; depth: number }[];
  };
  /** Gate mode, every sample of both splits; accuracies of the integer engine. */
  verification: {
    samples: number;
    valuesCompared: number;
    mismatches: number;
    maxLsbError: number;
    eventMismatches: number;
    trainIntAccuracy: number | null;
    testIntAccuracy: number | null;
    seconds: number;
  };
  /** The accelerator (16x16, nangate45) for this network's formats. */
  cost: {
    areaUm2: number;
    energyPj: number;
    latencyUs: number;
    activationAreaUm2: number;
    activationEnergyPj: number;
  };
  /** Wall seconds of this network's whole job. */
  seconds: number;
}

/** One activation on one data set, over seeds. */
export interface ActivationSummary {
  dataset: string;
  activation: string;
  seeds: number[];
  testAccuracy: Interval;
  intTestAccuracy: Interval;
  /** Last epoch, mean over seeds, per hidden layer. */
  deadFraction: number[];
  activationAreaUm2: Interval;
  activationEnergyPj: Interval;
  acceleratorAreaUm2: Interval;
  acceleratorEnergyPj: Interval;
  /** Paired over seeds against the baseline (ReLU); absent for the baseline itself. */
  vsBaseline?: PairedComparison;
}

export interface StudyResult {
  tool: { name: 'helu-sim'; version: string };
  baseline: string;
  seeds: number[];
  activations: string[];
  datasets: (StudyDataset & { hiddenLayers: HiddenLayer[] })[];
  summaries: ActivationSummary[];
  verification: { networks: number; valuesCompared: number; mismatches: number; eventMismatches: number };
  networks: NetworkRecord[];
  cache: { hits: number; trained: number };
  files: string[];
  /** This invocation: wall seconds, and CPU seconds of the process (every thread, user + system). */
  seconds: number;
  cpuSeconds: number;
  /** Sum of the networks' own job times (wall, as recorded when each was trained; cached ones included). */
  networkSeconds: number;
}
