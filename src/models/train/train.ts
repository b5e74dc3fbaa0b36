import type * as tfTypes from '@tensorflow/tfjs';
import { UserError } from '../../errors.js';
import { activationToString, type ActivationSpec } from '../../activations/float.js';
import type { Graph } from '../graph.js';
import type { Dataset } from '../datasets/types.js';
import { Rng } from '../../random.js';
import { evaluateGraph } from '../evaluate.js';
import { planArchitecture, type PlannedLayer } from './arch.js';
import { buildTfNet, type TfNet } from './net-tf.js';
import { loadTf, type Tf } from './tf.js';
import { trainedToGraph } from './to-graph.js';
import { defaultNormalization, makeBatch, normalizedNhwc, toTensor, type Normalization } from './data-tf.js';

type T = tfTypes.Tensor;

/** Progress callback: `done` of `total` steps (mini-batches), with a short status. */
export type ProgressCallback = (done: number, total: number, status?: string) => void;

export interface TrainOptions {
  /** Architecture (train/arch.ts grammar), e.g. 'mlp:64,32' or 'cnn:8c3,p2,16c3,p2,32'. */
  arch: string;
  activation: ActivationSpec;
  epochs?: number; // default 30
  batchSize?: number; // default 16
  optimizer?: 'adam' | 'sgd'; // default adam
  /** Default 0.003 for adam, 0.05 for sgd. */
  learningRate?: number;
  /** SGD momentum (default 0.9; 0 is plain SGD). */
  momentum?: number;
  /** Coupled L2: adds weightDecay/2 * sum(W^2) over weight matrices (not biases) to the loss. Default 0. */
  weightDecay?: number;
  seed?: number; // default 1
  /** Label smoothing of the cross-entropy targets: y*(1-s) + s/classes (default 0.2). */
  labelSmoothing?: number;
  /** Standard deviation of Gaussian noise added to normalized training inputs (default 0). */
  inputNoise?: number;
  /** Inverted dropout rate after every hidden activation during training (default 0). */
  dropout?: number;
  progress?: ProgressCallback;
}

export interface EpochRecord {
  epoch: number;
  /** Mean cross-entropy of the epoch's mini-batches (before each step). */
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Per hidden layer: fraction of units whose output is 0 for every training sample. */
  deadFraction: number[];
  seconds: number;
}

export interface TrainResult {
  graph: Graph;
  history: EpochRecord[];
  /** Accuracies of the exported graph (float64 engine): what `helu-sim eval` reports for the model file. */
  trainAccuracy: number;
  testAccuracy: number;
  /** Last epoch's dead fractions, per hidden layer. */
  deadFraction: number[];
  epochs: number;
  backend: string;
  backendNote?: string;
  seed: number;
  seconds: number;
}

/** Accuracy and, per hidden layer, which units were ever non-zero, over a whole split in chunks. */
function measure(tf: Tf, net: TfNet, x: T, y: Int32Array, trackDead: boolean): { accuracy: number; dead: number[] } {
  const n = y.length;
  let correct = 0;
  let alive: T[] | undefined;
  for (let s = 0; s < n; s += 512) {
    const m = Math.min(512, n - s);
    const [pred, flags] = tf.tidy(() => {
      const { logits, hidden } = net.forward(tf.slice(x, s, m));
      const f = trackDead
        ? hidden.map((h) =>
            tf.any(
              tf.notEqual(h, 0),
              h.shape.slice(0, -1).map((_, i) => i),
            ),
          )
        : [];
      return [tf.argMax(logits, 1), f] as const;
    });
    const p = pred.dataSync();
    for (let i = 0; i < m; i++) if (p[i] === y[s + i]) correct++;
    pred.dispose();
    if (alive) {
      const next = alive.map((a, i) => tf.logicalOr(a, flags[i]!));
      [...alive, ...flags].forEach((t) => t.dispose());
      alive = next;
    } else alive = [...flags];
  }
  const dead = (alive ?? []).map((a) => {
    const v = a.dataSync();
    a.dispose();
    return v.filter((z) => z === 0).length / v.length;
  });
  return { accuracy: correct / n, dead };
}

function crossEntropy(tf: Tf, logits: T, labels: T, numClasses: number, smoothing: number): T {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels as tfTypes.Tensor1D, numClasses), logits, undefined, smoothing);
}

function makeOptimizer(tf: Tf, opts: TrainOptions): tfTypes.Optimizer {
  const lr = opts.learningRate ?? (opts.optimizer === 'sgd' ? 0.05 : 0.003);
  if (!(lr > 0)) throw new UserError(`learning rate must be > 0, got ${lr}`);
  if (opts.optimizer === 'sgd') {
    const m = opts.momentum ?? 0.9;
    return m > 0 ? tf.train.momentum(lr, m) : tf.train.sgd(lr);
  }
  return tf.train.adam(lr);
}

/** Everything one training run holds while it runs. */
interface Run {
  tf: Tf;
  net: TfNet;
  ds: Dataset;
  opts: TrainOptions;
  optimizer: tfTypes.Optimizer;
  /** Normalized training samples (float32, NHWC) for mini-batches, and the same as a tensor for measuring. */
  xTrainJs: Float32Array;
  xTrain: T;
  xTest: T;
  yTrain: T;
  rng: Rng;
  order: Int32Array;
}

/** One epoch of mini-batch steps over a fresh seeded shuffle; returns the mean mini-batch loss. */
function trainEpoch(r: Run, e: number, epochs: number, lastTest: number | undefined): number {
  const { tf, net, ds, opts } = r;
  const batch = opts.batchSize ?? 16,
    wd = opts.weightDecay ?? 0,
    smoothing = opts.labelSmoothing ?? 0.2,
    dropout = opts.dropout ?? 0;
  const per = ds.inputShape.reduce((a, b) => a * b, 1);
  const steps = Math.ceil(ds.train.count / batch);
  r.rng.shuffle(r.order);
  let lossSum = 0;
  for (let s = 0; s < steps; s++) {
    const dropSeed = r.rng.int(2 ** 31);
    const rows = r.order.subarray(s * batch, Math.min((s + 1) * batch, r.order.length));
    const xb = toTensor(tf, makeBatch(r.xTrainJs, rows, per, opts.inputNoise ?? 0, r.rng), rows.length, ds.inputShape);
    const idx = tf.tensor1d(rows, 'int32');
    const loss = r.optimizer.minimize(
      () =>
        tf.tidy(() => {
          const ce = crossEntropy(
            tf,
            net.forward(xb, { rate: dropout, seed: dropSeed }).logits,
            tf.gather(r.yTrain, idx),
            ds.numClasses,
            smoothing,
          );
          return (wd > 0 ? tf.add(ce, tf.mul(wd / 2, tf.addN(net.kernels.map((k) => tf.sum(tf.square(k)))))) : ce) as tfTypes.Scalar;
        }),
      true,
      net.variables,
    )!;
    lossSum += loss.dataSync()[0]!;
    [loss, idx, xb].forEach((t) => t.dispose());
    const test = lastTest === undefined ? '' : ` test ${(100 * lastTest).toFixed(1)}%`;
    opts.progress?.((e - 1) * steps + s + 1, epochs * steps, `epoch ${e}/${epochs} loss ${(lossSum / (s + 1)).toFixed(4)}${test}`);
  }
  return lossSum / steps;
}

function exportGraph(r: Run, layers: PlannedLayer[], norm: Normalization, seed: number, epochs: number): Graph {
  const { ds, opts } = r;
  const f32 = (v: tfTypes.Variable) => v.dataSync() as Float32Array;
  const weights = r.net.params.map((p) =>
    p
      ? {
          W: f32(p.W),
          b: f32(p.b),
          ...(p.bn ? { bn: { scale: f32(p.bn.gamma), bias: f32(p.bn.beta), mean: f32(p.bn.mean), var: f32(p.bn.variance) } } : {}),
        }
      : undefined,
  );
  return trainedToGraph(layers, weights, {
    inputShape: ds.inputShape,
    normalization: norm,
    activation: opts.activation,
    name: `${ds.name}-${opts.arch}-${activationToString(opts.activation)}`,
    metadata: { 'helu-sim.arch': opts.arch, 'helu-sim.dataset': ds.name, 'helu-sim.seed': String(seed), 'helu-sim.epochs': String(epochs) },
  });
}

/**
 * Trains a network on a data set with TF.js (WASM backend), seeded and
 * reproducible (train/tf.ts). Cross-entropy on logits (label smoothing
 * default 0.2); one optimizer step per mini-batch; mini-batches from a seeded
 * shuffle each epoch (the last may be smaller). After each epoch: train and
 * test accuracy and dead-unit fractions over the whole training split.
 * Returns the exported graph (input normalization included) and the history.
 */
export async function train(ds: Dataset, opts: TrainOptions): Promise<TrainResult> {
  const t0 = Date.now();
  const epochs = opts.epochs ?? 30,
    seed = opts.seed ?? 1;
  const layers = planArchitecture(opts.arch, ds.inputShape, ds.numClasses);
  const { tf, backend, note } = await loadTf();
  const norm = defaultNormalization(ds);
  const xTrainJs = normalizedNhwc(ds.train, ds.inputShape, norm);
  const r: Run = {
    tf,
    ds,
    opts,
    xTrainJs,
    net: buildTfNet(tf, layers, opts.activation, seed),
    optimizer: makeOptimizer(tf, opts),
    xTrain: toTensor(tf, xTrainJs, ds.train.count, ds.inputShape),
    xTest: toTensor(tf, normalizedNhwc(ds.test, ds.inputShape, norm), ds.test.count, ds.inputShape),
    yTrain: tf.tensor1d(ds.train.y, 'int32'),
    rng: new Rng(seed ^ 0x5bd1e995),
    order: Int32Array.from({ length: ds.train.count }, (_, i) => i),
  };
  const history: EpochRecord[] = [];
  try {
    for (let e = 1; e <= epochs; e++) {
      const te = Date.now();
      const loss = trainEpoch(r, e, epochs, history[history.length - 1]?.testAccuracy);
      const tr = measure(tf, r.net, r.xTrain, ds.train.y, true);
      const ts = measure(tf, r.net, r.xTest, ds.test.y, false);
      history.push({
        epoch: e,
        loss,
        trainAccuracy: tr.accuracy,
        testAccuracy: ts.accuracy,
        deadFraction: tr.dead,
        seconds: (Date.now() - te) / 1000,
      });
    }
    const graph = exportGraph(r, layers, norm, seed, epochs);
    return {
      graph,
      history,
      epochs,
      backend,
      ...(note ? { backendNote: note } : {}),
      seed,
      trainAccuracy: evaluateGraph(graph, ds.train, ds.inputShape).accuracy,
      testAccuracy: evaluateGraph(graph, ds.test, ds.inputShape).accuracy,
      deadFraction: history[history.length - 1]?.deadFraction ?? [],
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    [r.xTrain, r.xTest, r.yTrain].forEach((t) => t.dispose());
    r.optimizer.dispose();
    r.net.dispose();
  }
}
