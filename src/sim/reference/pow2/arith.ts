import type { ArithLayer, ElementFn } from '../../quantize/model-arith.js';
import type { RefKernel } from '../kernel.js';
import { broadcastRef } from '../arith-broadcast.js';
import { overflowReal, quantizeReal, realFormat, type RealFormat } from './real.js';

/*
 * The pow2 reference of the arithmetic layers (quantize/model-arith.ts) on
 * real values: every operand value is a dyadic real, min / max / difference /
 * comparison / product of two of them and the sums of a matmul row are exact
 * in float64 (the model validator keeps them below 2^52 LSBs), so the only
 * rounding is the output quantization (and the accumulator's overflow mode
 * after each addition of a matmul).
 */

const REAL: Record<ElementFn, (a: number, b: number) => number> = {
  min: (a, b) => (a < b ? a : b),
  max: (a, b) => (a > b ? a : b),
  sub: (a, b) => a - b,
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  greaterorequal: (a, b) => (a >= b ? 1 : 0),
  lessorequal: (a, b) => (a <= b ? 1 : 0),
};

/** Each [M, K] x [K, N] pair of a sample: row-by-column sums, k increasing, through the accumulator format. */
function matMulReal(a: readonly number[], b: readonly number[], acc: RealFormat, out: RealFormat): RefKernel {
  const r = a.length;
  const [M, K, N] = [a[r - 2]!, a[r - 1]!, b[r - 1]!];
  const mats = a.slice(0, -2).reduce((p, d) => p * d, 1);
  return ([A, B], batch, ev) => {
    const y = new Float64Array(batch * mats * M * N);
    for (let t = 0; t < batch * mats; t++)
      for (let m = 0; m < M; m++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s = overflowReal(s + A![t * M * K + m * K + k]! * B![t * K * N + k * N + j]!, acc, ev);
          y[t * M * N + m * N + j] = quantizeReal(s, out, ev);
        }
    return y;
  };
}

export function arithReal(l: ArithLayer, shapes: readonly (readonly number[])[], out: RealFormat): RefKernel {
  if (l.op === 'matmul') return matMulReal(shapes[0]!, shapes[1]!, realFormat((l.acc as { formats: string[] }).formats[0]!), out);
  if (l.op === 'where') return broadcastRef(l.shape, shapes, ([c, x, y], ev) => quantizeReal(c !== 0 ? x! : y!, out, ev));
  const f = REAL[l.fn];
  return broadcastRef(l.shape, shapes, ([a, b], ev) => quantizeReal(f(a!, b!), out, ev));
}
