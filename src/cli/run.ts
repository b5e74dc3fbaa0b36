import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { MODEL_FORMATS_HELP } from '../models/index.js';
import { loadAnyModel } from '../sim/importers/load.js';
import { fileDigest, writePartial } from '../sim/parallel/partial.js';
import { runSlice } from '../sim/parallel/run.js';
import { parseShard, shardSlice, threadCount } from '../sim/parallel/slices.js';
import { positiveInt, printJson } from './common.js';
import { loadOptions, withLoadOptions } from './eval.js';

interface Options {
  input: string;
  precision: string;
  requant?: string;
  accumulation?: string;
  json: boolean;
  threads?: number;
  shard?: string;
  partial?: string;
}

const HELP = `
Runs a model on samples given as JSON: {"inputs": [[...flat sample...], ...]},
each sample the raw values of one input (for digits 64 values 0..16, row-major).
Prints {"outputs": [[...], ...]}, one row per sample (the model's output:
logits for models trained by helu-sim).

Models: ${MODEL_FORMATS_HELP}; an integer model;
or a quantized ONNX (QDQ, QOperator) or QONNX file, recognised by content.

Example:
  echo '{"inputs": [[0,0,5,13,9,1,0,0, ...]]}' > x.json
  helu-sim run helu.onnx --input x.json --json`;

function readInputs(path: string, per: number): Float64Array {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read inputs '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const rows = (j as { inputs?: unknown })?.inputs;
  if (!Array.isArray(rows) || rows.length === 0)
    throw new UserError(`inputs '${path}' must be {"inputs": [[...], ...]} with at least one sample`);
  const x = new Float64Array(rows.length * per);
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== per || r.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new UserError(`inputs '${path}': sample ${i} must be an array of ${per} finite numbers`);
    }
    x.set(r as number[], i * per);
  });
  return x;
}

function rows(a: Float64Array, batch: number): number[][] {
  const w = a.length / batch;
  return Array.from({ length: batch }, (_, i) => Array.from(a.subarray(i * w, (i + 1) * w)));
}

async function run(path: string, opts: Options): Promise<void> {
  const model = await loadAnyModel(path, loadOptions(opts));
  if (opts.requant !== undefined && model.graph) throw new UserError(`--requant applies to integer models; '${path}' is a float model`);
  const per = model.inputShape.reduce((a, b) => a * b, 1);
  const x = readInputs(opts.input, per);
  const count = x.length / per;
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const slice = shardSlice(count, 1, shard);
  const r = await runSlice(path, loadOptions(opts), x, per, slice, threadCount(opts.threads));
  const n = slice.to - slice.from;
  const out: Record<string, number[][]> = { outputs: rows(r.outputs, n) };
  for (const [k, v] of Object.entries(r.extra)) out[k] = rows(v, n);
  if (shard) {
    const file = opts.partial ?? `run-shard-${shard.k}-of-${shard.n}.json`;
    writePartial(file, {
      format: 'helu-sim/partial-result',
      version: 1,
      command: 'run',
      shard,
      samples: { ...slice, total: count },
      key: {
        model: fileDigest(path),
        input: fileDigest(opts.input),
        precision: opts.precision,
        requant: opts.requant ?? null,
        accumulation: opts.accumulation ?? null,
      },
      result: out,
    });
    process.stderr.write(`shard ${shard.k}/${shard.n}: samples ${slice.from}..${slice.to - 1} of ${count} -> ${file}\n`);
    return;
  }
  printRun(out, opts.json);
}

/** Prints run's result rows (JSON, or one line per sample); merge prints merged run shards the same way. */
export function printRun(out: Record<string, number[][]>, json: boolean): void {
  if (json) return printJson(out);
  out['outputs']!.forEach((row, i) => {
    const best = row.indexOf(Math.max(...row));
    process.stdout.write(`sample ${i}: argmax ${best}  [${row.map((v) => v.toPrecision(6)).join(', ')}]\n`);
  });
}

export function register(program: Command): void {
  withLoadOptions(program.command('run'))
    .description('run a model on samples from a JSON file')
    .argument('<model>', 'model file (float or quantized .onnx, QONNX, TensorFlow.js model.json, helu-sim .json)')
    .requiredOption('--input <file>', 'JSON file {"inputs": [[...], ...]}')
    .option('--json', 'print one JSON document', false)
    .option('--threads <n>', 'worker threads (default: every core)', positiveInt('--threads'))
    .option('--shard <k/n>', 'run only the k-th of n slices of the samples and write a partial result (combine with helu-sim merge)')
    .option('--partial <file>', 'where --shard writes its partial result')
    .addHelpText('after', HELP)
    .action((path: string, opts: Options) => run(path, opts));
}
