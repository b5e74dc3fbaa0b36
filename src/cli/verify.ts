import type { Command } from 'commander';
import { UserError, VerificationFailure } from '../errors.js';
import { loadDataset, splitOf, type DataSplit, type SplitName } from '../models/datasets/index.js';
import { sizeOf, type Graph } from '../models/graph.js';
import { loadGraph } from '../models/load.js';
import { checkFloatMatches } from '../sim/verify/float-check.js';
import { compareAffineBatched } from '../sim/verify/affine-batches.js';
import { overChunks } from '../sim/parallel/chunks.js';
import { progressBar } from './progress.js';
import { INTEGER_MODEL_HELP, loadIntegerModel } from '../sim/importers/load.js';
import { pairSaturationEffect, pairSaturationWarning } from '../sim/importers/ort-exposure.js';
import { ACCUMULATION_HELP, parseAccumulation } from '../sim/importers/ort-host.js';
import { sessionModel } from '../sim/importers/ort-default.js';
import type { AffineModel } from '../sim/quantize/model.js';
import { fileDigest, writePartial } from '../sim/parallel/partial.js';
import { withVerifyRun } from '../sim/parallel/verify-run.js';
import { parseShard, shardSlice, threadCount } from '../sim/parallel/slices.js';
import { renderVerifyReport, storedFloatGraph } from '../sim/verify/summary.js';
import { reduceVerify, verifiedTensors, verifyFailure, type VerifyReport } from '../sim/verify/verify.js';
import { positiveInt, printJson } from './common.js';
import { modelStreamingBatch } from '../sim/quantize/calibrate.js';
import { datasetOptions, withDatasetOptions } from './dataset-options.js';
import { qualityWarnings } from '../sim/verify/quality.js';

interface Options {
  dataset: string;
  mode: string;
  split: string;
  batch?: number;
  float?: string;
  json: boolean;
  threads?: number;
  shard?: string;
  partial?: string;
  accumulation?: string;
}

const HELP = `
Runs every sample through the integer engine and through the float reference
(float64 on dequantized values, rounding and saturating at the same points)
and compares every value of every layer: code * 2^-F must equal the float
value exactly. Also reports saturations and wraps per layer, SQNR against the
unquantized network (stored in the model by quantize, or --float) and the
accuracies. Exit code 1 on any mismatch, naming the first one.

Examples:
  helu-sim verify model.q.json --dataset digits
  helu-sim verify model.q.json --dataset digits --mode both --json`;

/**
 * Affine models: the engine under every requantization scheme against the
 * ONNX operator definitions (exact arithmetic); differences between schemes
 * are reported per scheme in LSBs, not failures.
 */
function verifyAffine(file: AffineModel, data: DataSplit, o: Options): void {
  const mode = o.accumulation === undefined ? 'exact' : parseAccumulation(o.accumulation);
  const { model, accumulation } = sessionModel(file, mode);
  const bar = progressBar('verify', o.json);
  const r = compareAffineBatched(model, data.x, data.count, o.batch ?? modelStreamingBatch(model), { progress: bar.update, accumulation });
  bar.stop();
  const exposure = pairSaturationWarning(model);
  const warning = mode === 'exact' ? exposure : undefined;
  if (warning) process.stderr.write(`helu-sim: warning: ${warning}\n`);
  const pairSaturation = exposure ? pairSaturationEffect(model, Float64Array.from(data.x), data.count) : undefined;
  const summary = {
    samples: r.samples,
    scheme: 'affine',
    requant: file.requant ?? 'onnxruntime',
    reference: r.reference,
    accumulation: mode,
    schemes: r.schemes,
    ...(warning ? { warnings: [warning] } : {}),
    ...(pairSaturation ? { pairSaturation } : {}),
  };
  if (o.json) printJson(summary);
  else {
    const acc = mode === 'exact' ? '' : `, ${mode} accumulation (engine and reference)`;
    process.stdout.write(`samples ${r.samples}, affine model, reference: ONNX definitions (${r.reference} arithmetic)${acc}\n`);
    for (const s of r.schemes)
      process.stdout.write(`  ${s.scheme.padEnd(16)} ${s.differing} of ${s.values} codes differ, max ${s.maxLsb} LSB\n`);
    if (pairSaturation)
      process.stdout.write(
        `  onnxruntime with ort-u8s8-pairsat accumulation${model === file ? '' : ' (after the int8 -> uint8 rewrite)'}: ${pairSaturation.differing} of ${pairSaturation.values} codes differ from its exact accumulation, max ${pairSaturation.maxLsb} LSB\n`,
      );
  }
}

async function run(path: string, o: Options): Promise<void> {
  if (o.mode !== 'functional' && o.mode !== 'gate' && o.mode !== 'both')
    throw new UserError(`--mode must be functional, gate or both, got '${o.mode}'`);
  if (o.split !== 'train' && o.split !== 'test' && o.split !== 'all')
    throw new UserError(`--split must be test, train or all, got '${o.split}'`);
  const model = loadIntegerModel(path);
  const ds = loadDataset(o.dataset, datasetOptions(o));
  const data = splitOf(ds, o.split as SplitName);
  if (sizeOf(ds.inputShape) !== sizeOf(model.input.shape)) {
    throw new UserError(
      `dataset '${ds.name}' has samples of shape [${ds.inputShape.join(',')}]; model '${model.name}' takes [${model.input.shape.join(',')}]`,
    );
  }
  if (o.accumulation !== undefined && model.scheme !== 'affine')
    throw new UserError(`--accumulation applies to affine models; '${path}' is a ${model.scheme} model`);
  if (model.scheme === 'affine') {
    if (o.shard !== undefined)
      throw new UserError('--shard applies to pow2 models; an affine model is verified by comparing its schemes in one run');
    return verifyAffine(model, data, o);
  }
  const float: Graph | undefined = o.float !== undefined ? await loadGraph(o.float) : storedFloatGraph(model);
  if (o.float !== undefined && float) checkFloatMatches(model, float, o.float);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const mode = o.mode as 'functional' | 'gate' | 'both';
  const batch = o.batch ?? modelStreamingBatch(model);
  const slice = shardSlice(data.count, batch, shard);
  const threads = threadCount(o.threads);
  const bar = progressBar('verify', o.json);
  const batches = await withVerifyRun(model, { mode, batch, float }, threads, (run) =>
    overChunks(slice, batch, threads, (c) => run.slice(data, c), bar.update),
  );
  bar.stop();
  const tensors = verifiedTensors(model);
  if (shard) {
    const out = o.partial ?? `verify-shard-${shard.k}-of-${shard.n}.json`;
    writePartial(out, {
      format: 'helu-sim/partial-result',
      version: 1,
      command: 'verify',
      shard,
      samples: { ...slice, total: data.count },
      key: {
        model: fileDigest(path),
        dataset: ds.name,
        split: o.split,
        mode,
        batch,
        float: float !== undefined ? (o.float ?? 'stored') : null,
      },
      result: { tensors, mode, hasFloat: float !== undefined, batches, labelled: ds.labelled !== false },
    });
    process.stderr.write(`shard ${shard.k}/${shard.n}: samples ${slice.from}..${slice.to - 1} of ${data.count} -> ${out}\n`);
    return;
  }
  printVerify(
    reduceVerify(tensors, { count: data.count, labelled: ds.labelled !== false }, batches, { mode, hasFloat: float !== undefined }),
    o.json,
  );
}

/** Prints a verify report (JSON or text) and fails (exit 1) when it found a disagreement. */
export function printVerify(report: VerifyReport, json: boolean): void {
  // The last layer of a topologically ordered single-output model is its output.
  const last = report.layers[report.layers.length - 1];
  const warnings = qualityWarnings({
    samples: report.samples,
    floatAccuracy: report.unquantizedAccuracy,
    intAccuracy: report.intAccuracy,
    outputSqnrDb: last?.sqnrDb ?? null,
  });
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (json) printJson({ ...report, warnings });
  else process.stdout.write(renderVerifyReport(report));
  const failure = verifyFailure(report);
  if (failure !== undefined) throw new VerificationFailure(failure);
}

export function register(program: Command): void {
  withDatasetOptions(
    program
      .command('verify')
      .description('prove an integer model bit-exact against float inference of the same quantized network, layer by layer')
      .argument('<model>', INTEGER_MODEL_HELP)
      .requiredOption('--dataset <dataset>', "'digits', 'fashion-mnist', an IDX directory or a CSV file")
      .option('--mode <mode>', 'activations as functional models, gate-level circuits, or both (compared)', 'functional')
      .option('--split <split>', 'samples to run: test, train or all', 'all')
      .option(
        '--batch <n>',
        "samples per batch (default: as many as keep a batch's tensors near 2^22 values, at most 256)",
        positiveInt('--batch'),
      )
      .option('--float <model>', 'the unquantized model for SQNR and float accuracy (default: the one stored by quantize)')
      .option('--json', 'print one JSON document', false)
      .option(
        '--accumulation <mode>',
        `affine models: how engine and reference accumulate uint8 x int8 layers: ${ACCUMULATION_HELP} (default exact)`,
      )
      .option('--threads <n>', 'worker threads (default: every core)', positiveInt('--threads'))
      .option('--shard <k/n>', 'verify only the k-th of n slices of the samples and write a partial result (combine with helu-sim merge)')
      .option('--partial <file>', 'where --shard writes its partial result', undefined)
      .addHelpText('after', HELP)
      .action(async (model: string, o: Options) => run(model, o)),
  );
}
