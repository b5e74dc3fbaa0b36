import { UserError } from '../../errors.js';
import type { Graph } from '../../models/graph.js';
import { graphInput, sizeOf } from '../../models/graph.js';
import type { FLayer } from './float-net.js';
import { runFloat } from '../../models/infer.js';

/**
 * Calibration: the range of every tensor of the float network over a set of
 * samples. 'minmax' takes the smallest and largest value seen; percentile p
 * (e.g. 99.99) takes the values at ranks (100 - p)% and p% of the sorted
 * values (nearest rank), clipping rare outliers; the percentile is computed
 * over at most 2^20 values per tensor (the first samples), min and max over all.
 */
export type CalibrationMethod = 'minmax' | { percentile: number };

export interface TensorRange {
  min: number;
  max: number;
  /** The range formats are chosen from (min/max, or the percentile values). */
  lo: number;
  hi: number;
}

export interface CalibrationSamples {
  x: ArrayLike<number>;
  count: number;
}

const PERCENTILE_VALUES = 2 ** 20;

/** Nearest-rank percentile of sorted values. */
function rank(sorted: Float64Array, p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** What a run of samples showed of each tensor: its min and max, and (percentile) its first values in sample order. */
export type RangeObservation = Map<string, { min: number; max: number; kept: Float64Array }>;

export function checkCalibration(g: Graph, data: CalibrationSamples, method: CalibrationMethod): number {
  const per = sizeOf(graphInput(g).shape);
  if (data.count < 1 || data.x.length !== data.count * per)
    throw new UserError(`calibration data: ${data.x.length} values for ${data.count} samples; the model takes ${per} per sample`);
  if (typeof method === 'object' && !(method.percentile > 50 && method.percentile <= 100))
    throw new UserError(`calibration percentile must be in (50, 100], got ${method.percentile}`);
  return per;
}

/** Observes samples [from, to) of the data (a slice that threads can take on their own). */
export function observeRanges(
  g: Graph,
  data: CalibrationSamples,
  method: CalibrationMethod = 'minmax',
  from = 0,
  to = data.count,
  batch = streamingBatch(g),
): RangeObservation {
  const per = checkCalibration(g, data, method);
  const ranges = new Map<string, { min: number; max: number; kept: Float64Array[]; keptCount: number }>();
  for (let start = from; start < to; start += batch) {
    const n = Math.min(batch, to - start);
    const x = new Float64Array(n * per);
    for (let i = 0; i < x.length; i++) x[i] = data.x[start * per + i]!;
    const tensors = runFloat(g, x, n, { intermediates: true }).tensors!;
    for (const [name, v] of tensors) {
      let r = ranges.get(name);
      if (!r) ranges.set(name, (r = { min: Infinity, max: -Infinity, kept: [], keptCount: 0 }));
      for (let i = 0; i < v.length; i++) {
        const e = v[i]!;
        if (e < r.min) r.min = e;
        if (e > r.max) r.max = e;
      }
      if (typeof method === 'object' && r.keptCount < PERCENTILE_VALUES) {
        r.kept.push(v.slice(0, PERCENTILE_VALUES - r.keptCount));
        r.keptCount += r.kept[r.kept.length - 1]!.length;
      }
    }
  }
  return new Map([...ranges].map(([name, r]) => [name, { min: r.min, max: r.max, kept: concat(r.kept, r.keptCount) }]));
}

function concat(parts: readonly Float64Array[], n: number): Float64Array {
  const all = new Float64Array(n);
  let o = 0;
  for (const k of parts) {
    all.set(k.subarray(0, n - o), o);
    o += Math.min(k.length, n - o);
  }
  return all;
}

/**
 * The ranges of observations of consecutive slices, given in sample order:
 * min and max over all, percentiles over the first 2^20 values in sample
 * order (what one pass over all samples keeps).
 */
export function combineRanges(parts: readonly RangeObservation[], method: CalibrationMethod = 'minmax'): Map<string, TensorRange> {
  const out = new Map<string, TensorRange>();
  for (const name of parts[0]?.keys() ?? []) {
    const rs = parts.map((p) => p.get(name)!);
    const min = Math.min(...rs.map((r) => r.min)),
      max = Math.max(...rs.map((r) => r.max));
    if (!Number.isFinite(min) || !Number.isFinite(max))
      throw new UserError(`calibration: tensor '${name}' has non-finite values (range ${min} .. ${max})`);
    let lo = min,
      hi = max;
    if (typeof method === 'object') {
      const kept = rs.map((r) => r.kept);
      const all = concat(
        kept,
        Math.min(
          PERCENTILE_VALUES,
          kept.reduce((a, k) => a + k.length, 0),
        ),
      );
      all.sort();
      lo = rank(all, 100 - method.percentile);
      hi = rank(all, method.percentile);
    }
    out.set(name, { min, max, lo, hi });
  }
  return out;
}

/**
 * Samples per batch that keep every tensor of a batch within about 2^23
 * values (64 MB as float64), at most 256: a 224x224 CNN streams a few images
 * at a time, an MLP hundreds.
 */
export function streamingBatch(g: Graph): number {
  const perSample = [...g.shapes.values()].reduce((s, t) => s + sizeOf(t), 0);
  return Math.max(1, Math.min(256, Math.floor(2 ** 23 / Math.max(1, perSample))));
}

/**
 * The same bound for an integer model (verify keeps every layer's tensor of a
 * batch three times: engine, reference, unquantized): about 2^22 values per
 * batch, at most 256 samples; 224x224 CNNs verify one or two images at a time.
 */
export function modelStreamingBatch(m: { input: { shape: readonly number[] }; layers: readonly { shape: readonly number[] }[] }): number {
  const perSample = m.layers.reduce((s, l) => s + sizeOf(l.shape), sizeOf(m.input.shape));
  return Math.max(1, Math.min(256, Math.floor(2 ** 22 / Math.max(1, perSample))));
}

export function calibrate(
  g: Graph,
  data: CalibrationSamples,
  method: CalibrationMethod = 'minmax',
  batch = streamingBatch(g),
): Map<string, TensorRange> {
  return combineRanges([observeRanges(g, data, method, 0, data.count, batch)], method);
}

/**
 * An elementwise scale layer (a per-feature normalization that could not be
 * folded, such as a StandardScaler with a few tiny standard deviations)
 * produces z-scores whose rare outliers (a pixel almost always 0 that is not)
 * would set the tensor's format and round every ordinary value: its output is
 * calibrated at the 99.99th percentile, saturating those outliers.
 */
export function withNormalizationRanges(
  g: Graph,
  calib: CalibrationSamples,
  layers: readonly FLayer[],
  ranges: Map<string, TensorRange>,
  method: CalibrationMethod,
): Map<string, TensorRange> {
  const outs = layers.filter((l) => l.perChannel === true).map((l) => l.output);
  if (outs.length === 0 || typeof method === 'object') return ranges;
  const pct = calibrate(g, calib, { percentile: 99.99 });
  return new Map([...ranges].map(([k, r]) => [k, outs.includes(k) ? (pct.get(k) ?? r) : r]));
}
