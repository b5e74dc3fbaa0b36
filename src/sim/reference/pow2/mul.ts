import type { RefKernel } from '../kernel.js';
import { broadcastSource } from '../broadcast.js';
import { quantizeReal, type RealFormat } from './real.js';

/**
 * Product of two reals on dyadic grids (exact in float64: the two codes
 * together have at most 53 significant bits), the second broadcast to the
 * first's shape, quantized into the output format.
 */
export function mulReal(shape: readonly number[], bShape: readonly number[], outF: RealFormat): RefKernel {
  const src = broadcastSource(shape, bShape);
  const n = src.length,
    nb = bShape.reduce((a, d) => a * d, 1);
  return (ins, batch, ev) => {
    const a = ins[0]!,
      b = ins[1]!,
      y = new Float64Array(batch * n);
    for (let s = 0; s < batch; s++) for (let i = 0; i < n; i++) y[s * n + i] = quantizeReal(a[s * n + i]! * b[s * nb + src[i]!]!, outF, ev);
    return y;
  };
}
