/**
 * The study's statistics, small pure functions: sample mean and standard
 * deviation, Student-t confidence intervals, and the paired comparison of two
 * activations over the same seeds (t-interval of the differences and the
 * exact Wilcoxon signed-rank test).
 */
import { lazyRequire } from '../lazy.js';

const tQuantile = lazyRequire<typeof import('@stdlib/stats-base-dists-t-quantile')>('@stdlib/stats-base-dists-t-quantile');

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('internal: mean of no values');
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (divisor n - 1); 0 for a single value. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface Interval {
  n: number;
  mean: number;
  sd: number;
  /** Two-sided confidence interval for the mean; null when n < 2 (no spread to estimate). */
  lo: number | null;
  hi: number | null;
  level: number;
}

/** mean ± t(1 - (1-level)/2, n-1) · sd / √n. */
export function tInterval(xs: readonly number[], level = 0.95): Interval {
  const n = xs.length,
    m = mean(xs),
    s = sd(xs);
  if (n < 2) return { n, mean: m, sd: s, lo: null, hi: null, level };
  const h = (tQuantile()(1 - (1 - level) / 2, n - 1) * s) / Math.sqrt(n);
  return { n, mean: m, sd: s, lo: m - h, hi: m + h, level };
}

/** Ranks of |d| over the non-zero d (1 = smallest), tied values sharing their mean rank. */
export function signedRanks(d: readonly number[]): { rank: number; positive: boolean }[] {
  const nz = d.filter((x) => x !== 0).map((x) => ({ a: Math.abs(x), positive: x > 0 }));
  const order = nz.map((_, i) => i).sort((i, j) => nz[i]!.a - nz[j]!.a);
  const rank = new Array<number>(nz.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && nz[order[j + 1]!]!.a === nz[order[i]!]!.a) j++;
    for (let k = i; k <= j; k++) rank[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return nz.map((x, i) => ({ rank: rank[i]!, positive: x.positive }));
}

export interface WilcoxonResult {
  /** Non-zero differences (zeros are dropped, Wilcoxon's original rule). */
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Exact two-sided p: P(|W+ − n(n+1)/4| ≥ observed) over all 2^n equally likely sign patterns, ties kept at their mid-ranks. */
  p: number;
  /** Smallest two-sided p this n can give (all signs equal); 1 when n = 0. */
  minP: number;
}

/**
 * Exact Wilcoxon signed-rank test of H0 "the differences are symmetric about
 * 0". The null distribution of W+ is counted exactly by dynamic programming
 * over the doubled ranks (mid-ranks are multiples of 1/2), so ties and any n
 * are handled without a normal approximation.
 */
export function wilcoxonSignedRank(d: readonly number[]): WilcoxonResult {
  const r = signedRanks(d);
  const n = r.length;
  if (n === 0) return { n, wPlus: 0, p: 1, minP: 1 };
  const twice = r.map((x) => Math.round(2 * x.rank));
  const total = twice.reduce((a, b) => a + b, 0);
  let ways = new Array<number>(total + 1).fill(0);
  ways[0] = 1;
  for (const t of twice) {
    const next = ways.slice();
    for (let s = t; s <= total; s++) next[s]! += ways[s - t]!;
    ways = next;
  }
  const w2 = r.reduce((a, x) => a + (x.positive ? Math.round(2 * x.rank) : 0), 0);
  const dev = Math.abs(2 * w2 - total);
  let extreme = 0;
  for (let s = 0; s <= total; s++) if (Math.abs(2 * s - total) >= dev) extreme += ways[s]!;
  const all = 2 ** n;
  return { n, wPlus: w2 / 2, p: Math.min(1, extreme / all), minP: Math.min(1, 2 / all) };
}

export type Verdict = 'better' | 'worse' | 'within noise';

export interface PairedComparison {
  /** Seeds present in both. */
  n: number;
  /** a − b per seed (accuracy fractions). */
  differences: number[];
  interval: Interval;
  wilcoxon: WilcoxonResult;
  /** 'better' / 'worse' when the 95 % interval of the mean difference excludes 0, else 'within noise'. */
  verdict: Verdict;
}

/**
 * a and b measured on the same seeds (same order): a − b per seed, rounded to
 * a multiple of 1e-12 so that equal differences of accuracies (k/n − j/n)
 * compare equal, as ties, whatever their float rounding.
 */
export function pairedComparison(a: readonly number[], b: readonly number[], level = 0.95): PairedComparison {
  if (a.length !== b.length) throw new Error('internal: paired samples of different lengths');
  const differences = a.map((x, i) => Math.round((x - b[i]!) * 1e12) / 1e12);
  const interval = tInterval(differences, level);
  const verdict: Verdict =
    interval.lo !== null && interval.lo > 0 ? 'better' : interval.hi !== null && interval.hi < 0 ? 'worse' : 'within noise';
  return { n: a.length, differences, interval, wilcoxon: wilcoxonSignedRank(differences), verdict };
}
