import { UserError } from '../../errors.js';
import { streamingBatch } from '../quantize/calibrate.js';
import type { Graph } from '../../models/graph.js';
import { sizeOf } from '../../models/graph.js';
import { runFloat } from '../../models/infer.js';
import { argmaxRow as argmax } from '../../models/evaluate.js';
import { addSqnr, compareTensor, newTally, scaleOf, sqnrDb, type Mismatch, type TensorTally } from './compare.js';
import { runInteger } from '../engine/run.js';
import type { IntModel, TensorQuant } from '../quantize/model.js';
import { runReference } from '../reference/run.js';

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
  /** Samples per batch (default: streamingBatch of the model's tensors, at most 256). */
  batch?: number;
  onProgress?: VerifyProgress;
}

interface State {
  tallies: TensorTally[];
  first?: Mismatch;
  modeMismatches: number;
  firstEvent?: string;
  correct: { int: number; ref: number; float: number };
}

function tensorList(m: IntModel): { layer: string; name: string; quant: TensorQuant; size: number }[] {
  return [
    { layer: m.input.name, name: m.input.name, quant: m.input.quant, size: sizeOf(m.input.shape) },
    ...m.layers.map((l) => ({ layer: l.name, name: l.output, quant: l.out, size: sizeOf(l.shape) })),
  ];
}

function runBatch(m: IntModel, s: State, x: Float64Array, labels: ArrayLike<number> | undefined, start: number, n: number, opts: VerifyOptions): void {
  const mode = opts.mode ?? 'functional';
  const int = runInteger(m, x, n, { mode: mode === 'both' ? 'functional' : mode, float64Codes: true });
  const ref = runReference(m, x, n);
  if (mode === 'both') {
    const gate = runInteger(m, x, n, { mode: 'gate', float64Codes: true });
    for (const [name, a] of int.tensors) {
      const b = gate.tensors.get(name)!;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) s.modeMismatches++;
    }
  }
  const flt = opts.float ? runFloat(opts.float, x, n, { intermediates: true }).tensors! : undefined;
  tensorList(m).forEach((t, k) => {
    const tally = s.tallies[k]!;
    const codes = int.tensors.get(t.name)!;
    const scale = scaleOf(t.quant);
    const mm = compareTensor(tally, codes, ref.tensors.get(t.name)!, scale, t.size, start);
    s.first ??= mm;
    const ie = int.events.get(t.layer), re = ref.events.get(t.layer);
    if (ie && re) {
      tally.saturations += ie.saturations;
      tally.wraps += ie.wraps;
      const d = Math.abs(ie.saturations - re.saturations) + Math.abs(ie.wraps - re.wraps);
      tally.eventDisagreements += d;
      if (d > 0) s.firstEvent ??= t.layer;
    }
    const f = flt?.get(t.name);
    if (f && f.length === codes.length) addSqnr(tally, codes, scale, f);
  });
  if (labels) countCorrect(m, s, int.tensors, ref.tensors, flt, opts.float, labels, start, n);
}

function countCorrect(
  m: IntModel, s: State, int: Map<string, ArrayLike<number>>, ref: Map<string, Float64Array>,
  flt: Map<string, Float64Array> | undefined, g: Graph | undefined, labels: ArrayLike<number>, start: number, n: number,
): void {
  const out = m.outputs[0]!;
  const k = int.get(out)!.length / n;
  const fo = g ? flt?.get(g.outputs[0]!) : undefined;
  for (let r = 0; r < n; r++) {
    const y = labels[start + r]!;
    if (argmax(int.get(out)!, r, k) === y) s.correct.int++;
    if (argmax(ref.get(out)!, r, k) === y) s.correct.ref++;
    if (fo && argmax(fo, r, fo.length / n) === y) s.correct.float++;
  }
}

/**
 * Runs every sample through the integer engine and the float reference and
 * compares every tensor (the quantized input and every layer output) element
 * by element: code * 2^-F must equal the reference value exactly. Also counts
 * saturation and wrap events (and checks both paths count the same), the
 * per-layer SQNR against the unquantized network, and the three accuracies.
 */
export function verifyModel(m: IntModel, data: VerifySamples, opts: VerifyOptions = {}): VerifyReport {
  if (m.scheme !== 'pow2') throw new UserError(`verify: scheme '${m.scheme}' is verified by its own reference`);
  const per = sizeOf(m.input.shape);
  if (data.x.length !== data.count * per) throw new UserError(`dataset has ${data.x.length} values for ${data.count} samples; the model takes ${per} per sample`);
  const s: State = { tallies: tensorList(m).map((t) => newTally(t.layer, t.name)), modeMismatches: 0, correct: { int: 0, ref: 0, float: 0 } };
  const batch = opts.batch ?? streamingBatch(m.layers.reduce((t, l) => t + sizeOf(l.shape), per));
  for (let start = 0; start < data.count; start += batch) {
    const n = Math.min(batch, data.count - start);
    const x = new Float64Array(n * per);
    for (let i = 0; i < x.length; i++) x[i] = data.x[start * per + i]!;
    runBatch(m, s, x, data.y, start, n, opts);
    opts.onProgress?.(start + n, data.count, 'samples');
  }
  return report(data, s, opts);
}

function report(data: VerifySamples, s: State, opts: VerifyOptions): VerifyReport {
  const acc = (c: number) => (data.y && data.count > 0 ? c / data.count : null);
  const r: VerifyReport = {
    samples: data.count,
    tensorsCompared: s.tallies.length * data.count,
    valuesCompared: s.tallies.reduce((a, t) => a + t.values, 0),
    mismatches: s.tallies.reduce((a, t) => a + t.mismatches, 0),
    maxLsbError: s.tallies.reduce((a, t) => Math.max(a, t.maxLsbError), 0),
    floatAccuracy: acc(s.correct.ref),
    intAccuracy: acc(s.correct.int),
    unquantizedAccuracy: opts.float ? acc(s.correct.float) : null,
    layers: s.tallies.map((t) => ({ name: t.layer, mismatches: t.mismatches, maxLsbError: t.maxLsbError, saturations: t.saturations, wraps: t.wraps, sqnrDb: sqnrDb(t) })),
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
  if (f) return `${r.mismatches} mismatches; first in layer '${f.layer}', sample ${f.sample}, index ${f.index}: integer ${f.integer} (code ${f.code}), float ${f.float}`;
  if (r.eventMismatches > 0) {
    return `saturation/wrap counts differ between the integer engine and the float reference, first in layer '${r.firstEventMismatch}' (${r.eventMismatches} events in all)`;
  }
  if (r.modeMismatches) return `functional and gate modes differ in ${r.modeMismatches} values`;
  return undefined;
}
