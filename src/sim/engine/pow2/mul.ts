import { fracBits } from '../../../fixedpoint/format.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { Kernel } from '../kernel.js';
import { mulKernel } from '../mul.js';
import { narrower, narrowOne } from './narrow.js';

/**
 * pow2 product: codes a (F_a) and b (F_b) multiply exactly to a code at
 * F_a + F_b (|a b| < 2^53: the model's validator bounds W_a + W_b), narrowed
 * into the output format (its rounding, then overflow; one event per value
 * outside its range).
 */
export function pow2MulKernel(
  fa: FixedFormat,
  fb: FixedFormat,
  out: FixedFormat,
  shape: readonly number[],
  bShape: readonly number[],
): Kernel {
  const nw = narrower(fracBits(fa) + fracBits(fb), out);
  // + 0: a negative code times 0 is -0 in doubles; the code is 0
  return mulKernel(shape, bShape, (a, b, ev) => narrowOne(nw, a * b, ev) + 0);
}
