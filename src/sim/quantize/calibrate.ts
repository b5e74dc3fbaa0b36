import { UserError } from '../../errors.js';
import type { Graph } from '../../models/graph.js';
import { graphInput, sizeOf } from '../../models/graph.js';
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

/**
 * Samples per batch that keep every tensor of a batch (values per sample,
 * all tensors together) within about 2^23 values (64 MB as float64), at most
 * 256: a 224x224 CNN streams a few images at a time, an MLP hundreds.
 */
export function streamingBatch(valuesPerSample: number): number {
  return Math.max(1, Math.min(256, Math.floor(2 ** 23 / Math.max(1, valuesPerSample))));
}

export interface CalibrateOptions {
  /** Samples per batch (default streamingBatch of the graph's tensors). */
  batch?: number;
  /** Tensors calibrated with their own method instead of the model-wide one. */
  overrides?: ReadonlyMap<string, CalibrationMethod>;
  /** Called after each batch: samples done of the total. */
  onProgress?: (done: number, total: number, status?: string) => void;
}

export function calibrate(g: Graph, data: CalibrationSamples, method: CalibrationMethod = 'minmax', opts: CalibrateOptions = {}): Map<string, TensorRange> {
  const batch = opts.batch ?? streamingBatch([...g.shapes.values()].reduce((s, t) => s + sizeOf(t), 0));
  const overrides = opts.overrides ?? new Map<string, CalibrationMethod>();
  const per = sizeOf(graphInput(g).shape);
  if (data.count < 1 || data.x.length !== data.count * per) throw new UserError(`calibration data: ${data.x.length} values for ${data.count} samples; the model takes ${per} per sample`);
  const methodOf = (name: string): CalibrationMethod => overrides.get(name) ?? method;
  if (typeof method === 'object' && !(method.percentile > 50 && method.percentile <= 100)) throw new UserError(`calibration percentile must be in (50, 100], got ${method.percentile}`);
  const ranges = new Map<string, { min: number; max: number; kept: Float64Array[]; keptCount: number }>();
  for (let start = 0; start < data.count; start += batch) {
    const n = Math.min(batch, data.count - start);
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
      if (typeof methodOf(name) === 'object' && r.keptCount < PERCENTILE_VALUES) {
        r.kept.push(v.slice(0, PERCENTILE_VALUES - r.keptCount));
        r.keptCount += r.kept[r.kept.length - 1]!.length;
      }
    }
    opts.onProgress?.(start + n, data.count, 'calibration');
  }
  const out = new Map<string, TensorRange>();
  for (const [name, r] of ranges) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) throw new UserError(`calibration: tensor '${name}' has non-finite values (range ${r.min} .. ${r.max})`);
    let lo = r.min, hi = r.max;
    const m = methodOf(name);
    if (typeof m === 'object') {
      const all = new Float64Array(r.keptCount);
      let o = 0;
      for (const k of r.kept) { all.set(k, o); o += k.length; }
      all.sort();
      lo = rank(all, 100 - m.percentile);
      hi = rank(all, m.percentile);
    }
    out.set(name, { min: r.min, max: r.max, lo, hi });
  }
  return out;
}
