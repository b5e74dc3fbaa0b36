import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { sizeOf } from '../../../models/graph.js';
import type { DenseLayer, LayerEvents } from '../../model.js';
import type { AffineLayer, AffineParams } from '../types.js';
import { gemmNT } from './gemm.js';
import type { Kernel } from './kernel.js';
import { finish } from './outstage.js';
import { accStep, planLinear, type LinearPlan } from './stage.js';

/*
 * Dense on int8/uint8 codes: for each row x of the input ([..., K]) and each
 * output n, acc = bias[n] + sum_k (x[k] - zx) * (w[n,k] - zw[n]). Every
 * product is exact (|.| <= 255 * 255) and, on the fast path (the worst-case
 * sum fits the accumulator), so is every partial sum in a double, whatever
 * the order (gemm.ts); otherwise each step, bias first and k increasing, goes
 * through the accumulator's overflow mode.
 */

function dotSteps(xs: Int32Array, p: LinearPlan, n: number, k: number, ev: LayerEvents): number {
  let acc = accStep(p.bias[n]!, p, ev);
  for (let i = 0, o = n * k; i < k; i++) acc = accStep(acc + xs[i]! * p.wz[o + i]!, p, ev);
  return acc;
}

export function denseKernel(
  l: AffineLayer & DenseLayer, inShape: readonly number[], inP: AffineParams, outP: AffineParams, scheme: RequantScheme,
): Kernel {
  const p = planLinear(l, inP, outP, scheme);
  const [n, k] = [p.channels, p.perChannel];
  const rowsPerSample = sizeOf(inShape) / k;
  return ([x], batch, ev) => {
    const rows = rowsPerSample * batch;
    const xs = new Int32Array(rows * k);
    for (let i = 0; i < xs.length; i++) xs[i] = x![i]! - inP.zeroPoint;
    const acc = new Float64Array(rows * n);
    if (p.exact) gemmNT(xs, rows, p.wz, n, k, p.bias, acc, n, 1);
    else for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) acc[r * n + j] = dotSteps(xs.subarray(r * k, (r + 1) * k), p, j, k, ev);
    const y = new Int32Array(rows * n);
    for (let i = 0; i < y.length; i++) y[i] = finish(p.requant[i % n]!(acc[i]!), p.range, ev);
    return y;
  };
}
