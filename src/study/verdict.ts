/**
 * What the paper reports, and the plain-language reading of this study's
 * paired comparisons against it.
 */
import type { PairedComparison } from './stats.js';
import type { ActivationSummary } from './types.js';

/**
 * Kimhi, Kashani, Mendelson, Baskin, "Hysteresis Activation Function for
 * Efficient Inference" (NeurIPS ENLSP-IV 2024, arXiv 2411.10573): test
 * accuracy (%) of a Wide ResNet trained with each activation.
 */
export const PAPER_RESULTS = [
  { task: 'CIFAR-10, Wide ResNet', relu: 92.84, helu: 95.8, gelu: 96.11 },
  { task: 'CIFAR-100, Wide ResNet', relu: 75.31, helu: 77.51, gelu: 79.26 },
] as const;

/** The α of the authors' reference code (the paper's default HeLU). */
export const PAPER_ALPHA = 0.05;

/** Signed percentage points with two decimals ('+0.42 pp'). */
export function pp(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} pp`;
}

/** '+0.42 pp [−0.10, +0.95]' (the 95 % interval of the mean paired difference); no interval with one seed. */
export function differenceText(c: PairedComparison): string {
  const i = c.interval;
  return i.lo === null || i.hi === null
    ? `${pp(i.mean)} (one seed: no interval)`
    : `${pp(i.mean)} [${pp(i.lo).replace(' pp', '')}, ${pp(i.hi)}]`;
}

/** One sentence: the verdict on `a` against the baseline, with the numbers behind it. */
export function verdictText(s: ActivationSummary, label: string, baseLabel: string): string {
  const c = s.vsBaseline;
  if (!c) return `${label}: no ${baseLabel} runs on the same seeds to compare with.`;
  const w = c.wilcoxon;
  const wil = `Wilcoxon signed-rank exact p = ${w.p.toFixed(4)} (n = ${w.n} non-zero differences${w.n > 0 && w.minP > 0.05 ? `; with ${w.n} no outcome can reach p < 0.05, the smallest possible p being ${w.minP.toFixed(4)}` : ''})`;
  const what =
    c.verdict === 'within noise'
      ? `within noise: the 95 % interval of the difference contains 0`
      : `resolved: ${label} is ${c.verdict} than ${baseLabel} (the 95 % interval excludes 0)`;
  return `${label} − ${baseLabel} over ${c.n} paired seed(s): ${differenceText(c)}; ${what}; ${wil}.`;
}

/** Whether the paper's sign (HeLU above ReLU) shows here, in words. */
export function signText(c: PairedComparison | undefined): string {
  if (!c) return 'not measured';
  const up = c.interval.mean > 0;
  if (c.verdict === 'better') return 'reproduces (HeLU above ReLU, resolved)';
  if (c.verdict === 'worse') return 'does not reproduce (HeLU below ReLU, resolved)';
  return up
    ? 'same sign as the paper, but within noise'
    : c.interval.mean === 0
      ? 'no difference'
      : 'opposite sign to the paper, within noise';
}
