import { UserError } from '../../errors.js';
import type { Graph } from '../../models/graph.js';
import { sizeOf } from '../../models/graph.js';
import { runFloat } from '../../models/infer.js';
import { argmaxRow as argmax } from '../../models/evaluate.js';
import {
  addSqnr,
  compareTensor,
  firstDifferenceLoop,
  newTally,
  scaleOf,
  sqnrDb,
  type FirstDifference,
  type Mismatch,
  type TensorTally,
} from './compare.js';
import { compile, type CompiledModel } from '../engine/run.js';
import type { IntModel, LayerEvents, TensorQuant } from '../quantize/model.js';
import type { CompiledReference } from '../reference/driver.js';
import { compileReference } from '../reference/run.js';

export interface VerifyLayerReport {
  name: string;
  mismatches: number;
  maxLsbError: number;
  /** Saturation events of the integer engine in this layer (its accumulators and its output). */
  saturations: number;
  /** Wrap events (WRAP overflow mode). */
  wraps: number;
  /** SQNR of the integer output against the unquantized network's tensor; null when not measured or error-free. */
  sqnrDb: number | null;
}

/** The issue 6 verification document (plus wraps, event agreement, the mode comparison and the first mismatch). */
export interface VerifyReport {
  samples: number;
  /** (quantized input + every layer output) x samples. */
  tensorsCompared: number;
  /** Elements compared, over all those tensors. */
  valuesCompared: number;
  /** Elements whose integer code * 2^-F differs from the float reference value. */
  mismatches: number;
  /** Largest |code - reference * 2^F| (0 when the paths agree). */
  maxLsbError: number;
  /** Argmax accuracy of the float reference (quantized network in float64); null without labels. */
  floatAccuracy: number | null;
  /** Argmax accuracy of the integer engine. */
  intAccuracy: number | null;
  /** Argmax accuracy of the unquantized network; null when it is not available. */
  unquantizedAccuracy: number | null;
  /** One entry per tensor: the input (under its name), then each layer. */
  layers: VerifyLayerReport[];
  mode: 'functional' | 'gate' | 'both';
  /** mode 'both': elements where the functional and gate runs differ. */
  modeMismatches?: number;
  /** Layers whose saturation or wrap counts differ between the engine and the reference (summed differences). */
  eventMismatches: number;
  /** The first layer whose event counts differ between the two paths. */
  firstEventMismatch?: string;
  firstMismatch?: Mismatch;
}

export interface VerifySamples {
  /** count x size(input shape) raw values, sample-major. */
  x: ArrayLike<number>;
  /** Labels (class indices) for the accuracies; optional. */
  y?: ArrayLike<number>;
  count: number;
}

/** Progress: `done` of `total` samples. */
export type VerifyProgress = (done: number, total: number, status?: string) => void;

export interface VerifyOptions {
  mode?: 'functional' | 'gate' | 'both';
  /** The unquantized network, for per-layer SQNR and its accuracy. */
  float?: Graph;
  /** Samples per batch (default 256). */
  batch?: number;
  onProgress?: VerifyProgress;
  /** Filled with the CPU seconds of each part (engine, reference, comparison), for benchmarks. */
  timings?: VerifyTimings;
}

/** One batch's contribution to the report (batches are the fixed grid [k * batch, (k + 1) * batch) of the samples). */
export interface BatchTally {
  start: number;
  count: number;
  tallies: TensorTally[];
  first?: Mismatch;
  firstEvent?: string;
  modeMismatches: number;
  correct: { int: number; ref: number; float: number };
}

/** The tensors verify compares, in report order: the input, then every layer's output. */
export function verifiedTensors(m: IntModel): { layer: string; name: string }[] {
  return tensorList(m).map((t) => ({ layer: t.layer, name: t.name }));
}

function tensorList(m: IntModel): { layer: string; name: string; quant: TensorQuant; size: number }[] {
  return [
    { layer: m.input.name, name: m.input.name, quant: m.input.quant, size: sizeOf(m.input.shape) },
    ...m.layers.map((l) => ({ layer: l.name, name: l.output, quant: l.out, size: sizeOf(l.shape) })),
  ];
}

/** CPU seconds spent in each part of verifyBatches (added to by each batch). */
export interface VerifyTimings {
  engine: number;
  reference: number;
  compare: number;
}

/** The model compiled once per verification: the engine (functional or gate; both for mode 'both'), the reference, the tensors compared. */
interface Compiled {
  engine: CompiledModel;
  gate?: CompiledModel;
  reference: CompiledReference;
  tensors: { layer: string; name: string; size: number; scale: number }[];
  /** Index in tensors of the model's (first) output, whose argmax is the prediction. */
  output: number;
}

function compileAll(m: IntModel, mode: VerifyOptions['mode']): Compiled {
  const tensors = tensorList(m);
  return {
    engine: compile(m, { mode: mode === 'gate' ? 'gate' : 'functional' }),
    gate: mode === 'both' ? compile(m, { mode: 'gate' }) : undefined,
    reference: compileReference(m),
    tensors: tensors.map((t) => ({ layer: t.layer, name: t.name, size: t.size, scale: scaleOf(t.quant) })),
    output: tensors.findIndex((t) => t.name === m.outputs[0]),
  };
}

const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

function runBatch(
  c: Compiled,
  x: Float64Array,
  labels: ArrayLike<number> | undefined,
  start: number,
  n: number,
  float?: Graph,
  timings?: VerifyTimings,
): BatchTally {
  const s: BatchTally = {
    start,
    count: n,
    tallies: c.tensors.map((t) => newTally(t.layer, t.name)),
    modeMismatches: 0,
    correct: { int: 0, ref: 0, float: 0 },
  };
  const t0 = timings ? cpuSeconds() : 0;
  const int = c.engine.run(x, n, { float64Codes: true });
  const t1 = timings ? cpuSeconds() : 0;
  const compared = timings?.compare ?? 0;
  const firsts = compareWithReference(c, s, int.tensors, x, n, start, labels, timings);
  const t2 = timings ? cpuSeconds() : 0;
  const refEvents = firsts.events;
  if (c.gate) {
    const gate = c.gate.run(x, n, { float64Codes: true });
    for (const [name, a] of int.tensors) {
      const b = gate.tensors.get(name)!;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) s.modeMismatches++;
    }
  }
  const flt = float ? runFloat(float, x, n, { intermediates: true }).tensors! : undefined;
  c.tensors.forEach((t, k) => {
    const tally = s.tallies[k]!;
    const codes = int.tensors.get(t.name)!;
    s.first ??= firsts.mismatches[k];
    const ie = int.events.get(t.layer),
      re = refEvents.get(t.layer);
    if (ie && re) {
      tally.saturations += ie.saturations;
      tally.wraps += ie.wraps;
      const d = Math.abs(ie.saturations - re.saturations) + Math.abs(ie.wraps - re.wraps);
      tally.eventDisagreements += d;
      if (d > 0) s.firstEvent ??= t.layer;
    }
    const f = flt?.get(t.name);
    if (f && f.length === codes.length) addSqnr(tally, codes, t.scale, f);
  });
  if (labels && float && flt) countFloatCorrect(s, float, flt, labels, start, n);
  if (timings) {
    timings.engine += t1 - t0;
    timings.reference += t2 - t1 - (timings.compare - compared);
  }
  return s;
}

/**
 * Runs the reference on the batch chunk by chunk and compares each chunk's
 * tensors with the engine's codes for those samples while they are in the
 * cache; counts the argmax hits of both paths. Returns the first mismatch
 * of each tensor in the batch and the reference's events.
 */
function compareWithReference(
  c: Compiled,
  s: BatchTally,
  int: Map<string, Int32Array | Float64Array>,
  x: Float64Array,
  n: number,
  start: number,
  labels?: ArrayLike<number>,
  timings?: VerifyTimings,
): { mismatches: (Mismatch | undefined)[]; events: Map<string, LayerEvents> } {
  const mismatches: (Mismatch | undefined)[] = c.tensors.map(() => undefined);
  const out = c.tensors[c.output]!;
  const first = residentDifference(c.reference);
  const events = c.reference.eachChunk(x, n, c.reference.cacheChunk, (values, from, k) => {
    const t0 = timings ? cpuSeconds() : 0;
    c.tensors.forEach((t, i) => {
      const codes = int.get(t.name)!.subarray(from * t.size, (from + k) * t.size);
      const mm = compareTensor(s.tallies[i]!, codes, values.get(t.name)!, t.scale, t.size, start + from, first);
      mismatches[i] ??= mm;
    });
    if (labels) {
      const ref = values.get(out.name)!,
        codes = int.get(out.name)!;
      for (let r = 0; r < k; r++) {
        const y = labels[start + from + r]!;
        if (argmax(codes, from + r, out.size) === y) s.correct.int++;
        if (argmax(ref, r, out.size) === y) s.correct.ref++;
      }
    }
    if (timings) timings.compare += cpuSeconds() - t0;
  });
  return { mismatches, events };
}

/** The reference's own comparison pass for its resident tensors and float64 codes (undefined: compareTensor's loop). */
function residentDifference(ref: CompiledReference): FirstDifference | undefined {
  const r = ref.resident;
  if (!r) return undefined;
  return (codes, reals, scale) =>
    codes instanceof Float64Array && r.holds(reals) ? r.firstDifference(reals, codes, scale) : firstDifferenceLoop(codes, reals, scale);
}

function countFloatCorrect(
  s: BatchTally,
  g: Graph,
  flt: Map<string, Float64Array>,
  labels: ArrayLike<number>,
  start: number,
  n: number,
): void {
  const fo = flt.get(g.outputs[0]!);
  if (!fo) return;
  for (let r = 0; r < n; r++) if (argmax(fo, r, fo.length / n) === labels[start + r]!) s.correct.float++;
}

function checkData(m: IntModel, data: VerifySamples): number {
  if (m.scheme !== 'pow2') throw new UserError(`verify: scheme '${m.scheme}' is verified by its own reference`);
  const per = sizeOf(m.input.shape);
  if (data.x.length !== data.count * per)
    throw new UserError(`dataset has ${data.x.length} values for ${data.count} samples; the model takes ${per} per sample`);
  return per;
}

/** A model compiled for verification (engine, reference, compared tensors): compile once, verify many slices. */
export interface Verifier {
  model: IntModel;
  mode: VerifyOptions['mode'];
  compiled: Compiled;
}

export function compileVerifier(m: IntModel, mode: VerifyOptions['mode'] = 'functional'): Verifier {
  if (m.scheme !== 'pow2') throw new UserError(`verify: scheme '${m.scheme}' is verified by its own reference`);
  return { model: m, mode, compiled: compileAll(m, mode) };
}

/**
 * The batches of samples [from, to) (from a multiple of the batch size),
 * each compared on its own: the unit that threads and shards divide, and that
 * reduceVerify folds in sample order, so any division gives the same report.
 */
export function verifyBatches(m: IntModel, data: VerifySamples, opts: VerifyOptions = {}, from = 0, to = data.count): BatchTally[] {
  checkData(m, data);
  return verifyWith(compileVerifier(m, opts.mode), data, opts, from, to);
}

/** verifyBatches with an already compiled verifier (opts.mode is the verifier's). */
export function verifyWith(v: Verifier, data: VerifySamples, opts: VerifyOptions = {}, from = 0, to = data.count): BatchTally[] {
  const per = checkData(v.model, data);
  const batch = opts.batch ?? 256;
  if (from % batch !== 0) throw new Error(`internal: verify slice starts at ${from}, not a multiple of the batch ${batch}`);
  const out: BatchTally[] = [];
  for (let start = from; start < to; start += batch) {
    const n = Math.min(batch, to - start);
    const x =
      data.x instanceof Float64Array
        ? data.x.subarray(start * per, (start + n) * per)
        : Float64Array.from({ length: n * per }, (_, i) => data.x[start * per + i]!);
    out.push(runBatch(v.compiled, x, data.y, start, n, opts.float, opts.timings));
    opts.onProgress?.(start + n - from, to - from, 'samples');
  }
  return out;
}

/** What the report states about the run: the mode, and whether an unquantized network was compared. */
export interface ReportOptions {
  mode?: VerifyOptions['mode'];
  hasFloat?: boolean;
}

/** Adds one batch's tally of a tensor into the running one (float sums batch by batch, in sample order). */
function addTally(t: TensorTally, b: TensorTally): void {
  t.mismatches += b.mismatches;
  if (b.maxLsbError > t.maxLsbError) t.maxLsbError = b.maxLsbError;
  t.saturations += b.saturations;
  t.wraps += b.wraps;
  t.eventDisagreements += b.eventDisagreements;
  t.signal += b.signal;
  t.noise += b.noise;
  t.hasFloat ||= b.hasFloat;
  t.values += b.values;
}

/**
 * The report of batches covering samples 0..count-1 exactly once, folded in
 * sample order (the batches may come in any order and from any number of
 * threads or shards).
 */
export function reduceVerify(
  tensors: readonly { layer: string; name: string }[],
  data: { count: number; labelled: boolean },
  batches: readonly BatchTally[],
  opts: ReportOptions = {},
): VerifyReport {
  const sorted = [...batches].sort((a, b) => a.start - b.start);
  let next = 0;
  for (const b of sorted) {
    if (b.start !== next)
      throw new UserError(`partial results do not cover the samples: expected a batch starting at sample ${next}, got ${b.start}`);
    next += b.count;
  }
  if (next !== data.count) throw new UserError(`partial results cover ${next} samples; the run has ${data.count}`);
  const s: BatchTally = {
    start: 0,
    count: data.count,
    tallies: tensors.map((t) => newTally(t.layer, t.name)),
    modeMismatches: 0,
    correct: { int: 0, ref: 0, float: 0 },
  };
  for (const b of sorted) {
    b.tallies.forEach((t, k) => addTally(s.tallies[k]!, t));
    s.first ??= b.first;
    s.firstEvent ??= b.firstEvent;
    s.modeMismatches += b.modeMismatches;
    s.correct.int += b.correct.int;
    s.correct.ref += b.correct.ref;
    s.correct.float += b.correct.float;
  }
  return report(data, s, opts);
}

/**
 * Runs every sample through the integer engine and the float reference and
 * compares every tensor (the quantized input and every layer output) element
 * by element: code * 2^-F must equal the reference value exactly. Also counts
 * saturation and wrap events (and checks both paths count the same), the
 * per-layer SQNR against the unquantized network, and the three accuracies.
 */
export function verifyModel(m: IntModel, data: VerifySamples, opts: VerifyOptions = {}): VerifyReport {
  return reduceVerify(verifiedTensors(m), { count: data.count, labelled: data.y !== undefined }, verifyBatches(m, data, opts), {
    mode: opts.mode,
    hasFloat: opts.float !== undefined,
  });
}

function report(data: { count: number; labelled: boolean }, s: BatchTally, opts: ReportOptions): VerifyReport {
  const acc = (c: number) => (data.labelled && data.count > 0 ? c / data.count : null);
  const r: VerifyReport = {
    samples: data.count,
    tensorsCompared: s.tallies.length * data.count,
    valuesCompared: s.tallies.reduce((a, t) => a + t.values, 0),
    mismatches: s.tallies.reduce((a, t) => a + t.mismatches, 0),
    maxLsbError: s.tallies.reduce((a, t) => Math.max(a, t.maxLsbError), 0),
    floatAccuracy: acc(s.correct.ref),
    intAccuracy: acc(s.correct.int),
    unquantizedAccuracy: opts.hasFloat ? acc(s.correct.float) : null,
    layers: s.tallies.map((t) => ({
      name: t.layer,
      mismatches: t.mismatches,
      maxLsbError: t.maxLsbError,
      saturations: t.saturations,
      wraps: t.wraps,
      sqnrDb: sqnrDb(t),
    })),
    mode: opts.mode ?? 'functional',
    eventMismatches: s.tallies.reduce((a, t) => a + t.eventDisagreements, 0),
  };
  if (r.mode === 'both') r.modeMismatches = s.modeMismatches;
  if (s.firstEvent !== undefined) r.firstEventMismatch = s.firstEvent;
  if (s.first) r.firstMismatch = s.first;
  return r;
}

/** One line naming the first disagreement (mismatch, event count or mode), or undefined when the model verified. */
export function verifyFailure(r: VerifyReport): string | undefined {
  const f = r.firstMismatch;
  if (f)
    return `${r.mismatches} mismatches; first in layer '${f.layer}', sample ${f.sample}, index ${f.index}: integer ${f.integer} (code ${f.code}), float ${f.float}`;
  if (r.eventMismatches > 0) {
    return `saturation/wrap counts differ between the integer engine and the float reference, first in layer '${r.firstEventMismatch}' (${r.eventMismatches} events in all)`;
  }
  if (r.modeMismatches) return `functional and gate modes differ in ${r.modeMismatches} values`;
  return undefined;
}
