import type { Command } from 'commander';
import { sanitizeMessage, UserError } from '../errors.js';
import { parseRequantScheme, TFLITE_KERNELS, type TfliteKernel } from '../fixedpoint/requant.js';
import { loadDataset, splitOf, type SplitName } from '../models/datasets/index.js';
import type { Graph } from '../models/graph.js';
import { loadGraph, MODEL_FORMATS_HELP } from '../models/load.js';
import { quantizeAffine } from '../sim/quantize/affine/export.js';
import { loadQuantConfig, type QuantConfig } from '../sim/quantize/config.js';
import { quantizeModel } from '../sim/quantize/quantize.js';
import type { CalibrationMethod, CalibrationSamples } from '../sim/quantize/calibrate.js';
import type { IntModel } from '../sim/quantize/model.js';
import { isQuantizedModelFile } from '../sim/importers/load.js';
import { isIntModelFile, saveIntModel } from '../sim/quantize/io.js';
import { summarizeModel } from '../sim/verify/summary.js';
import { observeOnThreads } from '../sim/parallel/run.js';
import { overChunks } from '../sim/parallel/chunks.js';
import { combineRanges, streamingBatch } from '../sim/quantize/calibrate.js';
import { progressBar } from './progress.js';
import { threadCount } from '../sim/parallel/slices.js';
import { positiveInt, printJson } from './common.js';
import { datasetOptions, withDatasetOptions } from './dataset-options.js';
import { measureQuality, qualityWarnings } from '../sim/verify/quality.js';

interface Options {
  calib: string;
  calibSplit: string;
  calibration: string;
  bits: number;
  scheme: string;
  requant?: string;
  tfliteKernel?: string;
  weights?: string;
  acts?: string;
  acc?: string;
  perChannel: boolean;
  config?: string;
  output: string;
  json: boolean;
  threads?: number;
}

const HELP = `
Exports a float network to an integer model. Scheme pow2: every tensor a
fixed-point format fixed<W,I>; weights (per tensor, or --per-channel) and
tensors get W = --bits and integer bits from the calibrated ranges;
accumulators are as wide as the exact worst case (no overflow) unless --acc
narrows them. BatchNorm is folded into the preceding conv/dense, input
normalization into the input format (powers of two) or the first layer.
Formats written without modes round half to even and saturate (RND_CONV, SAT).
Scheme affine: int8/uint8 scales and zero points (--per-channel, --requant).
--tflite-kernel fully-connected models TFLite's FullyConnected multiplier
(float32 product of the input scales) in per-tensor dense layers under the
TFLite schemes (gemmlowp, single-rounding, tflite-float); conv, the default,
is TFLite's Conv derivation (double), which conv layers always take.

Examples:
  helu-sim quantize model.onnx --calib digits -o model.q.json
  helu-sim quantize model.onnx --calib digits --bits 6 --acc 16 -o model.q.json
  helu-sim quantize model.onnx --calib digits --config layers.json --json -o model.q.json`;

function calibrationMethod(s: string): CalibrationMethod {
  if (s === 'minmax') return 'minmax';
  const m = /^percentile(?::([0-9.]+))?$/.exec(s);
  if (m) return { percentile: m[1] === undefined ? 99.99 : Number(m[1]) };
  throw new UserError(`--calibration must be 'minmax' or 'percentile[:P]' (e.g. percentile:99.99), got '${s}'`);
}

function splitName(s: string, what: string): SplitName {
  if (s !== 'train' && s !== 'test' && s !== 'all') throw new UserError(`${what} must be train, test or all, got '${s}'`);
  return s;
}

/** The float graph of any float model file (ONNX, TensorFlow.js, native JSON). */
async function loadFloat(path: string): Promise<Graph> {
  if (isIntModelFile(path) || isQuantizedModelFile(path))
    throw new UserError(`'${path}' is already an integer model; quantize takes a float model (${MODEL_FORMATS_HELP})`);
  return loadGraph(path);
}

/** Options that only the pow2 scheme reads; given with --scheme affine they are a UserError. */
function checkSchemeOptions(o: Options): void {
  if (o.scheme !== 'pow2' && o.scheme !== 'affine') throw new UserError(`--scheme must be pow2 or affine, got '${o.scheme}'`);
  if (o.requant !== undefined) parseRequantScheme(o.requant);
  if (o.scheme === 'pow2' && o.requant !== undefined)
    throw new UserError('--requant applies to --scheme affine only (pow2 models requantize by shifts)');
  if (o.tfliteKernel !== undefined) tfliteKernel(o);
  if (o.scheme === 'affine') {
    const given = (['weights', 'acts', 'acc', 'config'] as const).find((k) => o[k] !== undefined);
    if (given) throw new UserError(`--${given} applies to --scheme pow2 only (affine formats are int8/uint8 scales and zero points)`);
    if (o.bits !== 8) throw new UserError('--bits applies to --scheme pow2 only (affine tensors are 8-bit)');
  }
}

/** --tflite-kernel: conv or fully-connected, with --scheme affine and a TFLite --requant scheme. */
function tfliteKernel(o: Options): TfliteKernel | undefined {
  if (o.tfliteKernel === undefined) return undefined;
  const k = TFLITE_KERNELS.find((x) => x === o.tfliteKernel);
  if (!k) throw new UserError(`--tflite-kernel must be ${TFLITE_KERNELS.join(' or ')}, got '${o.tfliteKernel}'`);
  if (o.scheme !== 'affine' || !['gemmlowp', 'single-rounding', 'tflite-float'].includes(o.requant ?? '')) {
    throw new UserError(
      '--tflite-kernel applies to --scheme affine with a TFLite --requant scheme (gemmlowp, single-rounding or tflite-float)',
    );
  }
  return k;
}

async function quantizeAny(
  graph: Graph,
  calib: CalibrationSamples,
  o: Options,
  metadata: Record<string, string>,
  config: QuantConfig | undefined,
): Promise<IntModel> {
  const calibration = calibrationMethod(o.calibration);
  // calibration (the float network over every sample) runs on worker threads, in chunks for the progress bar; the rest is quick
  const threads = threadCount(o.threads);
  const bar = progressBar('calibrate', o.json);
  const parts = await overChunks(
    { from: 0, to: calib.count },
    streamingBatch(graph),
    threads,
    (s) => observeOnThreads(graph, calib, calibration, threads, s),
    bar.update,
  );
  bar.stop();
  const ranges = combineRanges(parts, calibration);
  if (o.scheme === 'affine') {
    const requant = o.requant === undefined ? undefined : parseRequantScheme(o.requant);
    return quantizeAffine(graph, calib, {
      perChannel: o.perChannel,
      requant,
      tfliteKernel: tfliteKernel(o),
      calibration,
      ranges,
      metadata,
    });
  }
  return quantizeModel(graph, calib, {
    bits: o.bits,
    weights: o.weights,
    acts: o.acts,
    acc: o.acc,
    perChannel: o.perChannel,
    config,
    calibration,
    ranges,
    metadata,
    warn: (m) =>
      process.stderr.write(`helu-sim: warning: ${sanitizeMessage(m)}
`),
  });
}

async function run(modelPath: string, o: Options): Promise<void> {
  checkSchemeOptions(o);
  const config = o.config !== undefined ? loadQuantConfig(o.config) : undefined;
  const graph = await loadFloat(modelPath);
  const ds = loadDataset(o.calib, datasetOptions(o));
  const calib = splitOf(ds, splitName(o.calibSplit, '--calib-split'));
  const model = await quantizeAny(graph, calib, o, { source: modelPath, calibrationSet: `${ds.name} (${o.calibSplit})` }, config);
  saveIntModel(o.output, model);
  const summary = summarizeModel(model);
  // without labels (every label -1) there is no accuracy to report, only the SQNR
  const quality = measureQuality(graph, model, ds.labelled === false ? { x: calib.x, count: calib.count } : calib);
  const warnings = qualityWarnings(quality);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const dropped = model.metadata['softmax'];
  if (o.json) printJson({ output: o.output, ...summary, quality, warnings });
  else {
    if (dropped !== undefined) process.stdout.write(`note: final ${dropped}\n`);
    process.stdout.write(`wrote ${o.output}: ${model.layers.length} layers, scheme ${model.scheme}\n`);
    process.stdout.write(`input ${summary.input.name} ${summary.input.format}\n`);
    for (const [i, l] of summary.layers.entries()) {
      const ml = model.layers[i]!;
      const op = ml.op === 'reduce' ? `reduce ${ml.fn}` : l.op;
      const weights = l.weights === undefined ? '' : ` weights ${Array.isArray(l.weights) ? 'per channel' : l.weights}`;
      const extra = l.acc
        ? `${weights} acc ${l.acc.length > 4 ? `per channel (${l.acc.length} formats)` : l.acc.join(',')}`
        : l.activation
          ? ` ${l.activation} (${l.circuit!.gates} gates)`
          : l.fn !== undefined
            ? ` ${l.fn}`
            : '';
      process.stdout.write(`  ${l.name.padEnd(20)} ${op.padEnd(13)} ${l.out}${extra}\n`);
    }
    const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)} %`);
    process.stdout.write(
      `check on ${quality.samples} calibration samples: float accuracy ${pct(quality.floatAccuracy)}, integer ${pct(quality.intAccuracy)}, output SQNR ${quality.outputSqnrDb === null ? 'n/a' : `${quality.outputSqnrDb.toFixed(1)} dB`}\n`,
    );
  }
}

export function register(program: Command): void {
  withDatasetOptions(
    program
      .command('quantize')
      .description('export a float network to an integer model (pow2 fixed point, or affine int8) with calibrated formats')
      .argument('<model>', `float model: ${MODEL_FORMATS_HELP}`)
      .requiredOption('--calib <dataset>', "calibration data: 'digits', 'fashion-mnist', an IDX directory or a CSV file")
      .option('--calib-split <split>', 'split used for calibration: train, test or all', 'train')
      .option('--calibration <method>', "range estimate: 'minmax' or 'percentile[:P]' (default P 99.99)", 'minmax')
      .option('--bits <n>', 'width of every chosen format', positiveInt('--bits'), 8)
      .option('--scheme <scheme>', 'pow2 (fixed point) or affine (scale and zero point)', 'pow2')
      .option('--requant <scheme>', 'affine requantization: gemmlowp, single-rounding, tflite-float, onnxruntime, pytorch')
      .option(
        '--tflite-kernel <kernel>',
        "TFLite schemes: the multiplier of per-tensor dense layers as TFLite's conv (default) or fully-connected kernel forms it",
      )
      .option('--weights <format>', "one format for every weight, e.g. 'fixed<8,1>'")
      .option('--acts <format>', 'one format for the input and every requantized layer output')
      .option('--acc <format|width>', "accumulator format ('fixed<24,10,TRN,WRAP>') or width at the products' LSB ('16')")
      .option('--per-channel', 'one weight format per output channel', false)
      .option('--config <file>', 'per-layer overrides, JSON or YAML (.yaml/.yml): {"layers": {"<name>": {"weights", "out", "acc"}}}')
      .requiredOption('-o, --output <file>', 'integer model file to write (JSON)')
      .option('--json', 'print one JSON document', false)
      .option('--threads <n>', 'worker threads for calibration (default: every core)', positiveInt('--threads'))
      .addHelpText('after', HELP)
      .action(async (model: string, o: Options) => run(model, o)),
  );
}
