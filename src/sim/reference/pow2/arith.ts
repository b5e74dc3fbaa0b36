import type { ArithLayer, ElementFn } from '../../quantize/model-arith.js';
import type { RefKernel } from '../kernel.js';
import { broadcastRef, matMulRef } from '../arith-broadcast.js';
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

export function arithReal(l: ArithLayer, shapes: readonly (readonly number[])[], out: RealFormat): RefKernel {
  if (l.op === 'matmul') {
    // products of two dyadic reals, summed through the accumulator format (exact: see above)
    const acc = realFormat((l.acc as { formats: string[] }).formats[0]!);
    return matMulRef(
      shapes[0]!,
      shapes[1]!,
      (x, y) => x * y,
      (s, ev) => overflowReal(s, acc, ev),
      (s, ev) => quantizeReal(s, out, ev),
    );
  }
  if (l.op === 'where') return broadcastRef(l.shape, shapes, ([c, x, y], ev) => quantizeReal(c !== 0 ? x! : y!, out, ev));
  const f = REAL[l.fn];
  return broadcastRef(l.shape, shapes, ([a, b], ev) => quantizeReal(f(a!, b!), out, ev));
}
