import type { PoolLayer } from '../quantize/model.js';
import { forWindow, poolGeometry, poolLoop } from './geometry.js';
import type { Kernel } from './kernel.js';
import type { Averager, Convert } from './scheme.js';

/** MaxPool: the largest code of the window (padding never wins), converted into the output's quantization when it differs. */
export function maxPoolKernel(l: PoolLayer, inShape: readonly number[], convert: Convert): Kernel {
  const w = poolGeometry(l, inShape);
  return ([x], batch, ev) =>
    poolLoop(w, batch, (base, oy, ox) => {
      let m = -Infinity;
      forWindow(w, oy, ox, (at) => {
        const v = x![base + at]!;
        if (v > m) m = v;
      });
      return convert ? convert(m, ev) : m;
    });
}

/** AveragePool: the exact sum of (x - xOffset) over the window's in-image taps, then the scheme's average (geometry.ts: divisor). */
export function avgPoolKernel(l: PoolLayer, inShape: readonly number[], avg: Averager): Kernel {
  const w = poolGeometry(l, inShape);
  return ([x], batch, ev) =>
    poolLoop(w, batch, (base, oy, ox) => {
      let s = 0;
      const n = forWindow(w, oy, ox, (at) => {
        s += x![base + at]! - avg.xOffset;
      });
      return avg.finish(s, n, ev);
    });
}

/** [C, H, W] -> [C, 1, 1]: the exact plane sum of (x - xOffset), averaged over H * W. */
export function globalAvgPoolKernel(inShape: readonly number[], avg: Averager): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const plane = H * W;
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      let s = -avg.xOffset * plane;
      for (let i = p * plane, e = i + plane; i < e; i++) s += x![i]!;
      y[p] = avg.finish(s, plane, ev);
    }
    return y;
  };
}
