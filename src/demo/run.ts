/**
 * runDemo: the whole mission in one call. Trains ReLU and HeLU MLPs on the
 * bundled digits set, exports the HeLU one to 8-bit pow2 fixed point, verifies
 * it bit-exact with gate-level activations on every sample, costs the
 * activation units and the accelerator, writes Verilog, and renders the report.
 * Every file is produced in memory first; the output directory is checked
 * before any work and written in one step at the end (writeTreeAtomic).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { checkWritableDir, writeTreeAtomic } from '../io/atomic.js';
import { loadDigits, type Dataset } from '../models/index.js';
import { packageRoot } from '../models/datasets/root.js';
import { intModelToJson } from '../sim/index.js';
import { costStep } from './cost-step.js';
import { FIGURES, renderFigures } from './figures.js';
import { renderReportMarkdown } from './report-md.js';
import { costText, headerText, reportText, trainingText, verificationText, verilogText } from './summary.js';
import { DEMO_ARCH, DEMO_EPOCHS, DEMO_SEED, trainingStep } from './train-step.js';
import type { DemoOptions, DemoResult } from './types.js';
import { verifyStep } from './verify-step.js';
import { VERILOG_DIR, verilogStep } from './verilog-step.js';

export const REPORT_MD = 'report.md';
export const REPORT_JSON = 'report.json';
export const MODEL_FILE = 'model.q.json';
export const ONNX_FILE = 'helu.onnx';
/** Largest epoch count accepted (the demo is meant to finish in about a minute). */
export const MAX_DEMO_EPOCHS = 1000;

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function checkOptions(opts: DemoOptions): { seed: number; epochs: number } {
  const seed = opts.seed ?? DEMO_SEED,
    epochs = opts.epochs ?? DEMO_EPOCHS;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 31) throw new UserError(`seed must be an integer 0 .. 2^31-1, got ${seed}`);
  if (!Number.isSafeInteger(epochs) || epochs < 1 || epochs > MAX_DEMO_EPOCHS)
    throw new UserError(`epochs must be an integer 1 .. ${MAX_DEMO_EPOCHS}, got ${epochs}`);
  return { seed, epochs };
}

function datasetInfo(ds: Dataset): DemoResult['dataset'] {
  return {
    name: ds.name,
    samples: ds.train.count + ds.test.count,
    train: ds.train.count,
    test: ds.test.count,
    inputShape: [...ds.inputShape],
    classes: ds.numClasses,
  };
}

interface Computed {
  result: DemoResult;
  /** Files other than the report and its pictures: the integer model, the ONNX network, the Verilog. */
  data: Map<string, string | Uint8Array>;
}

/** Steps 1-4, each logging its summary section when done. */
async function compute(opts: DemoOptions, seed: number, epochs: number, log: (text: string) => void): Promise<Computed> {
  const ds = loadDigits();
  const head = { dataset: datasetInfo(ds), arch: DEMO_ARCH, seed, epochs };
  log(headerText(head));
  const tr = await trainingStep(ds, seed, epochs, opts);
  const training = { backend: tr.backend, hiddenLayers: tr.hiddenLayers, runs: tr.runs, seconds: tr.seconds };
  log(trainingText(training));
  const vs = verifyStep(ds, tr.helu, opts);
  log(verificationText(vs.quantization, vs.verification));
  const cs = costStep(vs.model, vs.quantization.activation, opts);
  log(costText(cs.activationUnits, cs.accelerator, vs.quantization.activation.name));
  const vl = verilogStep(vs.quantization.activation, opts);
  log(verilogText(vl.summaries, join(opts.outDir, VERILOG_DIR)));
  const data = new Map<string, string | Uint8Array>([[MODEL_FILE, intModelToJson(vs.model)], [ONNX_FILE, vs.onnx], ...vl.files]);
  const result: DemoResult = {
    tool: { name: 'helu-sim', version: version() },
    ...head,
    training,
    quantization: vs.quantization,
    verification: vs.verification,
    activationUnits: cs.activationUnits,
    accelerator: cs.accelerator,
    verilog: vl.summaries,
    files: [REPORT_MD, REPORT_JSON, ...Object.values(FIGURES), ...data.keys()],
    seconds: { total: 0, training: tr.seconds, verification: vs.seconds, cost: cs.seconds, verilog: vl.seconds, render: 0 },
  };
  return { result, data };
}

/**
 * Runs the demo into opts.outDir and returns every number (report.json).
 * UserError for bad options or an output directory that cannot be written,
 * before any work is done.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  const { seed, epochs } = checkOptions(opts);
  checkWritableDir(opts.outDir);
  const log = opts.log ?? (() => {});
  const { result, data } = await compute(opts, seed, epochs, log);
  const tr0 = Date.now();
  opts.onProgress?.('render', 0, 1, 'figures');
  const figures = await renderFigures(result);
  opts.onProgress?.('render', 1, 1, 'done');
  result.seconds.render = (Date.now() - tr0) / 1000;
  result.seconds.total = (Date.now() - t0) / 1000;
  const files = new Map<string, string | Uint8Array>([
    [REPORT_MD, renderReportMarkdown(result, opts.outDir)],
    [REPORT_JSON, JSON.stringify(result, null, 2) + '\n'],
    ...figures,
    ...data,
  ]);
  if (files.size !== result.files.length) throw new Error('internal: demo file list out of step with its files');
  opts.onProgress?.('write', 0, 1, opts.outDir);
  writeTreeAtomic(opts.outDir, files);
  log(reportText(result, opts.outDir));
  return result;
}

/** One line naming the verification failure of a demo run, or undefined when the network verified bit-exact. */
export function demoFailure(r: DemoResult): string | undefined {
  const v = r.verification;
  if (v.mismatches > 0)
    return `verification: ${v.mismatches} of ${v.valuesCompared} values differ between the integer engine and the float reference`;
  if (v.eventMismatches > 0)
    return `verification: saturation counts differ between the integer engine and the float reference (${v.eventMismatches})`;
  const bad = r.activationUnits.units.find((u) => u.verification.mismatches > 0);
  if (bad) return `activation unit ${bad.activation}: the circuit disagrees with its model on ${bad.verification.mismatches} inputs`;
  return undefined;
}
