import { fieldError } from '../../quantize/fields.js';
import { fracBits } from '../../../fixedpoint/format.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { ArithLayer, ElementFn } from '../../quantize/model-arith.js';
import type { FormatTable } from '../../quantize/quant.js';
import type { TensorQuant } from '../../quantize/model.js';
import { accChannel } from '../accumulate.js';
import { broadcastKernel, matMulKernel } from '../arith.js';
import type { Kernel } from '../kernel.js';
import { narrower, narrowOne } from './narrow.js';

/** Two aligned integers (same LSB) -> the exact result of fn, as an integer at that LSB (comparisons: 0 or 1 at F = 0). */
export const ALIGNED: Record<ElementFn, (a: number, b: number) => number> = {
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  sub: (a, b) => a - b,
  equal: (a, b) => +(a === b),
  greater: (a, b) => +(a > b),
  less: (a, b) => +(a < b),
  greaterorequal: (a, b) => +(a >= b),
  lessorequal: (a, b) => +(a <= b),
};

const isCompare = (fn: ElementFn): boolean => fn !== 'min' && fn !== 'max' && fn !== 'sub';

/**
 * pow2 kernels of the arithmetic layers (quantize/model-arith.ts): operands
 * aligned to F = max(F_a, F_b) by exact factors 2^(F - F_x); min / max / sub
 * narrowed from F, comparisons' 0 / 1 narrowed from F = 0; Where narrows the
 * chosen operand from its own format; matmul sums exact products at
 * F_a + F_b in its accumulator and narrows the sum.
 */
export function pow2ArithKernel(
  l: ArithLayer,
  shapes: readonly (readonly number[])[],
  ins: readonly TensorQuant[],
  formats: FormatTable,
  path: string,
): Kernel {
  const fs: FixedFormat[] = ins.map((q, k) => formats.format(q, `${path}.inputs[${k}]`));
  const out = formats.format(l.out, `${path}.out`);
  if (l.op === 'matmul') {
    if (l.acc.kind !== 'pow2') fieldError(`${path}.acc.kind`, `must be 'pow2' in a pow2 model, got '${l.acc.kind}'`);
    const [acc] = formats.channels(l.acc, 1, `${path}.acc`);
    const nw = narrower(fracBits(acc!), out);
    return matMulKernel(shapes[0]!, shapes[1]!, { za: 0, zb: 0, acc: accChannel(acc!), out: (v, ev) => narrowOne(nw, v, ev) + 0 });
  }
  if (l.op === 'where') {
    const [nx, ny] = [narrower(fracBits(fs[1]!), out), narrower(fracBits(fs[2]!), out)];
    return broadcastKernel(l.shape, shapes, ([c, x, y], ev) => (c !== 0 ? narrowOne(nx, x!, ev) : narrowOne(ny, y!, ev)));
  }
  const F = Math.max(...fs.map(fracBits));
  const [ua, ub] = fs.map((f) => 2 ** (F - fracBits(f))) as [number, number];
  const g = ALIGNED[l.fn];
  const nw = narrower(isCompare(l.fn) ? 0 : F, out);
  // + 0: a difference of equal codes may be -0 in doubles; the code is 0
  return broadcastKernel(l.shape, shapes, ([a, b], ev) => narrowOne(nw, g(a! * ua, b! * ub), ev) + 0);
}
