import type { IntModel } from '../quantize/model.js';
import { compareAffineSchemes, type AffineCompareOptions, type AffineDifferenceReport } from './affine-compare.js';

/** Sum of two reports over disjoint samples: counts and histograms add, maxima take the larger. */
function mergeReports(a: AffineDifferenceReport, b: AffineDifferenceReport): AffineDifferenceReport {
  const addHist = (x: number[], y: number[]) => Array.from({ length: Math.max(x.length, y.length) }, (_, i) => (x[i] ?? 0) + (y[i] ?? 0));
  return {
    samples: a.samples + b.samples,
    reference: a.reference,
    accumulation: a.accumulation,
    schemes: a.schemes.map((s, i) => {
      const t = b.schemes[i]!;
      return {
        scheme: s.scheme,
        values: s.values + t.values,
        differing: s.differing + t.differing,
        maxLsb: Math.max(s.maxLsb, t.maxLsb),
        tensors: s.tensors.map((x, k) => {
          const y = t.tensors[k]!;
          return {
            tensor: x.tensor,
            values: x.values + y.values,
            differing: x.differing + y.differing,
            maxLsb: Math.max(x.maxLsb, y.maxLsb),
            histogram: addHist(x.histogram, y.histogram),
          };
        }),
      };
    }),
  };
}

/**
 * compareAffineSchemes over `count` samples in batches of `batch` (memory
 * bounded by one batch's tensors), the per-batch reports summed; `progress`
 * is called after each batch with the samples done.
 */
export function compareAffineBatched(
  m: IntModel,
  x: ArrayLike<number>,
  count: number,
  batch: number,
  opts: AffineCompareOptions & { progress?: (done: number, total: number) => void } = {},
): AffineDifferenceReport {
  const per = count > 0 ? x.length / count : 0;
  let total: AffineDifferenceReport | undefined;
  for (let s = 0; s < count; s += batch) {
    const n = Math.min(batch, count - s);
    const xs = new Float64Array(n * per);
    for (let i = 0; i < xs.length; i++) xs[i] = x[s * per + i]!;
    const r = compareAffineSchemes(m, xs, n, opts);
    total = total ? mergeReports(total, r) : r;
    opts.progress?.(s + n, count);
  }
  return total ?? compareAffineSchemes(m, new Float64Array(0), 0, opts);
}
