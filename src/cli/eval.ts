import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { REQUANT_SCHEMES } from '../fixedpoint/requant.js';
import { DATASET_HELP, MODEL_FORMATS_HELP, loadDataset, splitOf, type SplitName } from '../models/index.js';
import { loadAnyModel } from '../sim/importers/load.js';
import { ACCUMULATION_HELP, parseAccumulation } from '../sim/importers/ort-host.js';
import { fileDigest, writePartial } from '../sim/parallel/partial.js';
import { evalSlice } from '../sim/parallel/run.js';
import { parseShard, shardSlice, threadCount } from '../sim/parallel/slices.js';
import { positiveInt, printJson } from './common.js';
import { datasetOptions, withDatasetOptions } from './dataset-options.js';

interface Options {
  dataset: string;
  split: string;
  precision: string;
  requant?: string;
  accumulation?: string;
  json: boolean;
  threads?: number;
  shard?: string;
  partial?: string;
}

/** What eval prints: the accuracy of `correct` of `samples` (also what merge prints for eval shards). */
export interface EvalSummary {
  accuracy: number;
  samples: number;
  correct: number;
  split: string;
  dataset: string;
  format: string;
}

export function printEval(path: string, r: EvalSummary, json: boolean): void {
  if (json) printJson(r);
  else
    process.stdout.write(`${path} on ${r.dataset} (${r.split}): accuracy ${(100 * r.accuracy).toFixed(2)} % (${r.correct}/${r.samples})\n`);
}

const HELP = `
Classification accuracy of a model on a data set: the predicted class is the
argmax of the model's output. Models take raw data values (their input
normalization is inside the model).

Models: ${MODEL_FORMATS_HELP}; an integer model;
or a quantized ONNX (QDQ, QOperator) or QONNX file, recognised by content.
Data sets: ${DATASET_HELP}.

Example:
  helu-sim eval helu.onnx --dataset digits --split test --json`;

/** The options loadOptions reads: --precision, --requant, --accumulation. */
export function withLoadOptions(c: Command): Command {
  return c
    .option('--precision <p>', 'float models: float64 (reference) or float32', 'float64')
    .option('--requant <scheme>', `integer models: requantization scheme (${REQUANT_SCHEMES.join(', ')})`)
    .option('--accumulation <mode>', `affine models: how uint8 x int8 layers accumulate: ${ACCUMULATION_HELP} (default exact)`);
}

/** Model load options from the command line: float precision, and the requantization scheme and accumulation of integer models. */
export function loadOptions(opts: { precision: string; requant?: string; accumulation?: string }): Record<string, unknown> {
  if (opts.precision !== 'float64' && opts.precision !== 'float32')
    throw new UserError(`--precision must be float64 or float32, got '${opts.precision}'`);
  return {
    precision: opts.precision,
    ...(opts.requant !== undefined ? { requant: opts.requant } : {}),
    ...(opts.accumulation !== undefined ? { accumulation: parseAccumulation(opts.accumulation) } : {}),
  };
}

const EVAL_BATCH = 256;

async function run(path: string, opts: Options): Promise<void> {
  if (!['train', 'test', 'all'].includes(opts.split)) throw new UserError(`--split must be train, test or all, got '${opts.split}'`);
  const model = await loadAnyModel(path, loadOptions(opts));
  if (opts.requant !== undefined && model.graph) throw new UserError(`--requant applies to integer models; '${path}' is a float model`);
  const ds = loadDataset(opts.dataset, datasetOptions(opts));
  const per = model.inputShape.reduce((a, b) => a * b, 1);
  const dsPer = ds.inputShape.reduce((a, b) => a * b, 1);
  if (per !== dsPer)
    throw new UserError(
      `model '${path}' takes [${model.inputShape}] (${per} values) per sample; data set '${opts.dataset}' has [${ds.inputShape}] (${dsPer})`,
    );
  const split = splitOf(ds, opts.split as SplitName);
  const width = model.outputShape.reduce((a, b) => a * b, 1);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const slice = shardSlice(split.count, EVAL_BATCH, shard);
  const correct = await evalSlice(path, loadOptions(opts), split, width, slice, threadCount(opts.threads), EVAL_BATCH);
  const base = { split: opts.split, dataset: opts.dataset, format: model.format };
  if (shard) {
    const out = opts.partial ?? `eval-shard-${shard.k}-of-${shard.n}.json`;
    writePartial(out, {
      format: 'helu-sim/partial-result',
      version: 1,
      command: 'eval',
      shard,
      samples: { ...slice, total: split.count },
      key: {
        model: fileDigest(path),
        path,
        ...base,
        precision: opts.precision,
        requant: opts.requant ?? null,
        accumulation: opts.accumulation ?? null,
      },
      result: { correct },
    });
    process.stderr.write(`shard ${shard.k}/${shard.n}: samples ${slice.from}..${slice.to - 1} of ${split.count} -> ${out}\n`);
    return;
  }
  printEval(path, { accuracy: split.count ? correct / split.count : 0, samples: split.count, correct, ...base }, opts.json);
}

export function register(program: Command): void {
  withDatasetOptions(
    withLoadOptions(program.command('eval'))
      .description('classification accuracy of a model on a data set')
      .argument('<model>', 'model file (float or quantized .onnx, QONNX, TensorFlow.js model.json, helu-sim .json)')
      .option('--dataset <name|path>', 'digits, fashion-mnist, an IDX directory or a CSV file', 'digits')
      .option('--split <split>', 'test, train or all', 'test')
      .option('--json', 'print one JSON document', false)
      .option('--threads <n>', 'worker threads (default: every core)', positiveInt('--threads'))
      .option('--shard <k/n>', 'evaluate only the k-th of n slices of the samples and write a partial result (combine with helu-sim merge)')
      .option('--partial <file>', 'where --shard writes its partial result')
      .addHelpText('after', HELP)
      .action((path: string, opts: Options) => run(path, opts)),
  );
}
