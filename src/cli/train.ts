import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { activationToString, parseActivation, type ActivationSpec } from '../activations/float.js';
import { ARCH_HELP, DATASET_HELP, loadDataset, saveGraph, train, type TrainResult } from '../models/index.js';
import { finiteNumber, nonNegativeInt, positiveInt, printJson } from './common.js';
import { datasetOptions, withDatasetOptions } from './dataset-options.js';
import { progressBar } from './progress.js';

interface Options {
  dataset: string;
  arch: string;
  act: string;
  alpha?: number;
  epochs: number;
  batch: number;
  lr?: number;
  optimizer: string;
  momentum: number;
  weightDecay: number;
  labelSmoothing: number;
  seed: number;
  output?: string;
  json: boolean;
}

const HELP = `
Trains a network with TensorFlow.js (WASM backend) and writes it as ONNX
(.onnx) or as a helu-sim graph (.json). The input normalization (x*0.125 - 1
for digits) is part of the written model, which takes raw data values.

HeLU trains with forward ReLU and gradient passed where x > -alpha (default
alpha 0.05); the model records the trained activation. Dead units: per hidden
layer, the fraction of units (neurons, or conv channels) whose output is 0 for
every training sample.

Architectures: ${ARCH_HELP}.
Data sets: ${DATASET_HELP}.

Examples:
  helu-sim train --dataset digits --arch mlp:64,32 --act helu --epochs 30 -o helu.onnx
  helu-sim train --arch cnn:8c3,p2,16c3,p2,32 --act relu --epochs 10 --json`;

/** The activation with --alpha applied (helu hysteresis, leakyrelu slope, elu alpha). */
function activation(opts: Options): ActivationSpec {
  const spec = parseActivation(opts.act);
  if (opts.alpha === undefined) return spec;
  if (spec.kind !== 'helu' && spec.kind !== 'leakyrelu' && spec.kind !== 'elu')
    throw new UserError(`--alpha applies to helu, leakyrelu and elu, not '${opts.act}'`);
  if (spec.kind === 'helu' && opts.alpha < 0) throw new UserError(`--alpha for helu must be >= 0, got ${opts.alpha}`);
  return { ...spec, alpha: opts.alpha };
}

function summary(r: TrainResult, opts: Options, act: ActivationSpec): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const lines = [
    `${opts.dataset} ${opts.arch} ${activationToString(act)}, ${r.epochs} epochs, seed ${r.seed}, backend ${r.backend}: ${r.seconds.toFixed(1)} s`,
    `  test accuracy ${pct(r.testAccuracy)}, train accuracy ${pct(r.trainAccuracy)}`,
    `  dead units per hidden layer: ${r.deadFraction.map(pct).join(', ') || '(no hidden layer)'}`,
  ];
  if (r.backendNote) lines.push(`  note: ${r.backendNote}`);
  if (opts.output) lines.push(`  wrote ${opts.output}`);
  return lines.join('\n') + '\n';
}

async function run(opts: Options): Promise<void> {
  const act = activation(opts);
  if (opts.optimizer !== 'adam' && opts.optimizer !== 'sgd')
    throw new UserError(`--optimizer must be adam or sgd, got '${opts.optimizer}'`);
  if (opts.output && !/\.(onnx|json)$/i.test(opts.output)) throw new UserError(`-o '${opts.output}': use a .onnx or .json file name`);
  const ds = loadDataset(opts.dataset, datasetOptions(opts));
  if (ds.labelled === false) throw new UserError(`data set '${opts.dataset}' has no labels; training needs class labels`);
  const bar = progressBar('train', opts.json);
  let r: TrainResult;
  try {
    r = await train(ds, {
      arch: opts.arch,
      activation: act,
      epochs: opts.epochs,
      batchSize: opts.batch,
      learningRate: opts.lr,
      optimizer: opts.optimizer,
      momentum: opts.momentum,
      weightDecay: opts.weightDecay,
      labelSmoothing: opts.labelSmoothing,
      seed: opts.seed,
      progress: bar.update,
    });
  } finally {
    bar.stop();
  }
  if (opts.output) saveGraph(r.graph, opts.output);
  if (!opts.json) return void process.stdout.write(summary(r, opts, act));
  printJson({
    trainAccuracy: r.trainAccuracy,
    testAccuracy: r.testAccuracy,
    epochs: r.epochs,
    deadFraction: r.deadFraction,
    history: r.history,
    dataset: opts.dataset,
    arch: opts.arch,
    activation: activationToString(act),
    seed: r.seed,
    backend: r.backend,
    seconds: r.seconds,
    ...(r.backendNote ? { note: r.backendNote } : {}),
    ...(opts.output ? { model: opts.output } : {}),
  });
}

export function register(program: Command): void {
  withDatasetOptions(
    program
      .command('train')
      .description('train an MLP or small CNN (HeLU, ReLU, GELU, ...) and write it as ONNX')
      .option('--dataset <name|path>', 'digits, fashion-mnist, an IDX directory or a CSV file', 'digits')
      .option('--arch <arch>', "architecture: 'mlp:H1,H2,...' or 'cnn:...' (see below)", 'mlp:64,32')
      .option('--act <activation>', 'hidden activation: helu, relu, leakyrelu[:slope], gelu, silu, elu, ...', 'helu')
      .option('--alpha <x>', 'helu hysteresis alpha (default 0.05), leakyrelu slope or elu alpha', finiteNumber('--alpha'))
      .option('--epochs <n>', 'training epochs', positiveInt('--epochs'), 30)
      .option('--batch <n>', 'mini-batch size', positiveInt('--batch'), 16)
      .option('--lr <x>', 'learning rate (default 0.003 for adam, 0.05 for sgd)', finiteNumber('--lr'))
      .option('--optimizer <name>', 'adam or sgd (with momentum)', 'adam')
      .option('--momentum <x>', 'sgd momentum', finiteNumber('--momentum'), 0.9)
      .option('--weight-decay <x>', 'L2 penalty weight-decay/2 * sum(W^2) on weight matrices', finiteNumber('--weight-decay'), 0)
      .option('--label-smoothing <x>', 'label smoothing of the cross-entropy targets', finiteNumber('--label-smoothing'), 0.2)
      .option('--seed <n>', 'seed of weight initialization and shuffling', nonNegativeInt('--seed'), 1)
      .option('-o, --output <file>', 'write the trained model (.onnx or .json)')
      .option('--json', 'print one JSON document', false)
      .addHelpText('after', HELP)
      .action((opts: Options) => run(opts)),
  );
}
