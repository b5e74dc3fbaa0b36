import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import type { DenseLayer, LayerEvents } from '../model.js';
import type { IntKernel } from './kernel.js';
import { accAdd, accStart, linearPlan, type LinearPlan } from './linear.js';
import { narrowOne, narrowRun } from './narrow.js';

/**
 * Dense over the last axis: for each row of K input codes and each output n,
 * acc = bias[n] + sum over k = 0..K-1 (increasing) of w[n,k] * x[k], then
 * narrowed into the output format (whole batches at once when every channel
 * has the same accumulator LSB). Products and sums are exact integers
 * below 2^53 (the model's exactness check), so the fast path sums in doubles
 * with no rounding; the checked path applies the accumulator's semantics at
 * every step.
 */
export function denseKernel(l: DenseLayer, inFmt: FixedFormat, inShape: readonly number[], path: string): IntKernel {
  const p = linearPlan(l, inFmt, path);
  const K = p.perChannel, N = p.channels;
  const rows = sizeOf(inShape) / K;
  const row = p.exact ? exactRow : checkedRow;
  const uniform = p.out.every((o) => o.shift === p.out[0]!.shift);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const acc = new Float64Array(batch * rows * N);
    for (let r = 0; r < batch * rows; r++) row(p, x, r * K, acc, r * N, ev);
    const y = new Float64Array(acc.length);
    if (uniform) narrowRun(p.out[0]!, acc, 0, y, 0, acc.length, ev);
    else for (let i = 0; i < acc.length; i++) y[i] = narrowOne(p.out[i % N]!, acc[i]!, ev);
    return y;
  };
}

function exactRow(p: LinearPlan, x: Float64Array, xo: number, y: Float64Array, yo: number, _ev: LayerEvents): void {
  const K = p.perChannel, w = p.w;
  for (let n = 0; n < p.channels; n++) {
    let s0 = p.bias[n]!, s1 = 0, s2 = 0, s3 = 0;
    const wo = n * K;
    let k = 0;
    // Four partial sums: every partial sum is an integer below 2^53, so the
    // grouping changes nothing (exact integer addition is associative).
    for (; k + 3 < K; k += 4) {
      s0 += w[wo + k]! * x[xo + k]!;
      s1 += w[wo + k + 1]! * x[xo + k + 1]!;
      s2 += w[wo + k + 2]! * x[xo + k + 2]!;
      s3 += w[wo + k + 3]! * x[xo + k + 3]!;
    }
    for (; k < K; k++) s0 += w[wo + k]! * x[xo + k]!;
    y[yo + n] = s0 + s1 + (s2 + s3);
  }
}

function checkedRow(p: LinearPlan, x: Float64Array, xo: number, y: Float64Array, yo: number, ev: LayerEvents): void {
  const K = p.perChannel, w = p.w;
  for (let n = 0; n < p.channels; n++) {
    let acc = accStart(p, n, ev);
    const wo = n * K;
    for (let k = 0; k < K; k++) acc = accAdd(p, n, acc, w[wo + k]! * x[xo + k]!, ev);
    y[yo + n] = acc;
  }
}
