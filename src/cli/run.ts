import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { MODEL_FORMATS_HELP, loadModel } from '../models/index.js';
import '../sim/importers/load.js';
import { printJson } from './common.js';
import { loadOptions } from './eval.js';

interface Options {
  input: string;
  precision: string;
  requant?: string;
  json: boolean;
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
  if (!Array.isArray(rows) || rows.length === 0) throw new UserError(`inputs '${path}' must be {"inputs": [[...], ...]} with at least one sample`);
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
  const model = await loadModel(path, loadOptions(opts));
  if (opts.requant !== undefined && model.graph) throw new UserError(`--requant applies to integer models; '${path}' is a float model`);
  const per = model.inputShape.reduce((a, b) => a * b, 1);
  const x = readInputs(opts.input, per);
  const batch = x.length / per;
  const r = model.run(x, batch);
  const out: Record<string, number[][]> = { outputs: rows(r.outputs, batch) };
  for (const [k, v] of Object.entries(r.extra ?? {})) out[k] = rows(v, batch);
  if (opts.json) return printJson(out);
  out['outputs']!.forEach((row, i) => {
    const best = row.indexOf(Math.max(...row));
    process.stdout.write(`sample ${i}: argmax ${best}  [${row.map((v) => v.toPrecision(6)).join(', ')}]\n`);
  });
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a model on samples from a JSON file')
    .argument('<model>', 'model file (float or quantized .onnx, QONNX, TensorFlow.js model.json, helu-sim .json)')
    .requiredOption('--input <file>', 'JSON file {"inputs": [[...], ...]}')
    .option('--precision <p>', 'float models: float64 (reference) or float32', 'float64')
    .option('--requant <scheme>', 'integer models: requantization scheme (gemmlowp, single-rounding, tflite-float, onnxruntime)')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((path: string, opts: Options) => run(path, opts));
}
