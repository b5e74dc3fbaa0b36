import type { LayerEvents } from '../quantize/model.js';
import { broadcastSource } from './broadcast.js';
import type { RefKernel } from './kernel.js';

/**
 * A reference kernel of an elementwise layer whose operands broadcast to
 * `shape` (numpy, equal ranks): y[i] = f(each operand at its source of i),
 * every operand advancing by its own per-sample size.
 */
export function broadcastRef(
  shape: readonly number[],
  shapes: readonly (readonly number[])[],
  f: (v: number[], ev: LayerEvents) => number,
): RefKernel {
  const srcs = shapes.map((s) => broadcastSource(shape, s));
  const n = srcs[0]!.length;
  const sizes = shapes.map((s) => s.reduce((p, d) => p * d, 1));
  return (xs, batch, ev) => {
    const y = new Float64Array(batch * n);
    for (let s = 0; s < batch; s++)
      for (let i = 0; i < n; i++)
        y[s * n + i] = f(
          xs.map((x, k) => x[s * sizes[k]! + srcs[k]![i]!]!),
          ev,
        );
    return y;
  };
}
