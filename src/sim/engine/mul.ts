import { sizeOf } from '../../models/graph.js';
import type { LayerEvents } from '../quantize/model.js';
import { broadcastIndex } from './affine/add.js';
import type { Kernel } from './kernel.js';

/**
 * Elementwise product of two code tensors, b broadcast to a's per-sample
 * shape (quantize/model.ts, MulLayer): y[i] = finish(a[i], b[idx(i)]) where
 * `finish` is the scheme's exact product and narrowing of one pair of codes.
 */
export function mulKernel(
  shape: readonly number[],
  bShape: readonly number[],
  finish: (a: number, b: number, ev: LayerEvents) => number,
): Kernel {
  const n = sizeOf(shape),
    nb = sizeOf(bShape);
  const idx = nb === n ? undefined : broadcastIndex(shape, bShape);
  return ([a, b], batch, ev) => {
    const y = new Float64Array(batch * n);
    for (let s = 0; s < batch; s++) {
      const o = s * n,
        ob = s * nb;
      if (idx === undefined) for (let i = 0; i < n; i++) y[o + i] = finish(a![o + i]!, b![o + i]!, ev);
      else for (let i = 0; i < n; i++) y[o + i] = finish(a![o + i]!, b![ob + idx[i]!]!, ev);
    }
    return y;
  };
}
