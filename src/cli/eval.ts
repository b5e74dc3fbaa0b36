import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { DATASET_HELP, MODEL_FORMATS_HELP, accuracyOf, loadDataset, loadModel, splitOf, type SplitName } from '../models/index.js';
import { printJson } from './common.js';
import { datasetOptions, withDatasetOptions } from './dataset-options.js';
import { progressBar } from './progress.js';

interface Options {
  dataset: string;
  split: string;
  precision: string;
  requant?: string;
  json: boolean;
}

const HELP = `
Classification accuracy of a model on a data set: the predicted class is the
argmax of the model's output. Models take raw data values (their input
normalization is inside the model).

Models: ${MODEL_FORMATS_HELP}.
Data sets: ${DATASET_HELP}.

Example:
  helu-sim eval helu.onnx --dataset digits --split test --json`;

/** Model load options from the command line: float precision, and the requantization scheme of integer models. */
export function loadOptions(opts: { precision: string; requant?: string }): Record<string, unknown> {
  if (opts.precision !== 'float64' && opts.precision !== 'float32') throw new UserError(`--precision must be float64 or float32, got '${opts.precision}'`);
  return { precision: opts.precision, ...(opts.requant !== undefined ? { requant: opts.requant } : {}) };
}

async function run(path: string, opts: Options): Promise<void> {
  if (!['train', 'test', 'all'].includes(opts.split)) throw new UserError(`--split must be train, test or all, got '${opts.split}'`);
  const model = await loadModel(path, loadOptions(opts));
  if (opts.requant !== undefined && model.graph) throw new UserError(`--requant applies to integer models; '${path}' is a float model`);
  const ds = loadDataset(opts.dataset, datasetOptions(opts));
  const per = model.inputShape.reduce((a, b) => a * b, 1);
  const dsPer = ds.inputShape.reduce((a, b) => a * b, 1);
  if (per !== dsPer) throw new UserError(`model '${path}' takes [${model.inputShape}] (${per} values) per sample; data set '${opts.dataset}' has [${ds.inputShape}] (${dsPer})`);
  const split = splitOf(ds, opts.split as SplitName);
  const width = model.outputShape.reduce((a, b) => a * b, 1);
  const bar = progressBar('eval', opts.json);
  let acc;
  try {
    acc = accuracyOf((x, b) => model.run(x, b).outputs, split, per, width, { progress: bar.update });
  } finally {
    bar.stop();
  }
  if (opts.json) printJson({ accuracy: acc.accuracy, samples: acc.samples, correct: acc.correct, split: opts.split, dataset: opts.dataset, format: model.format });
  else process.stdout.write(`${path} on ${opts.dataset} (${opts.split}): accuracy ${(100 * acc.accuracy).toFixed(2)} % (${acc.correct}/${acc.samples})\n`);
}

export function register(program: Command): void {
  withDatasetOptions(program
    .command('eval')
    .description('classification accuracy of a model on a data set')
    .argument('<model>', 'model file (.onnx, TensorFlow.js model.json, helu-sim .json)')
    .option('--dataset <name|path>', 'digits, fashion-mnist, an IDX directory or a CSV file', 'digits')
    .option('--split <split>', 'test, train or all', 'test')
    .option('--precision <p>', 'float models: float64 (reference) or float32', 'float64')
    .option('--requant <scheme>', 'integer models: requantization scheme (gemmlowp, single-rounding, tflite-float, onnxruntime)')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((path: string, opts: Options) => run(path, opts)));
}
