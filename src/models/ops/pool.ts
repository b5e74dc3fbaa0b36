import type { PoolNode } from '../graph.js';
import type { Kernel } from './kernel.js';

/**
 * MaxPool and AveragePool over [C, H, W]. Per output (oh, ow) the window
 * starts at (oh*sh - top, ow*sw - left); taps outside the image are skipped.
 * Average: the in-image sum (row-major tap order) divided by the divisor:
 * countIncludePad: (min(hs+kh, H+bottom) - hs) * (min(ws+kw, W+right) - ws),
 * i.e. the kernel area clipped to the padded extent; else the number of
 * in-image taps.
 */
export function poolKernel(node: PoolNode, inShape: readonly number[], outShape: readonly number[]): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = outShape as [number, number, number];
  const {
    kernel: [KH, KW],
    strides: [SH, SW],
    pads: [PT, PL, PB, PR],
    dilations: [DH, DW],
    countIncludePad,
  } = node.attrs;
  const isMax = node.op === 'MaxPool';
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C * OH * OW);
    for (let p = 0; p < batch * C; p++) {
      const xo = p * H * W;
      const yo = p * OH * OW;
      for (let oh = 0; oh < OH; oh++) {
        const hs = oh * SH - PT;
        for (let ow = 0; ow < OW; ow++) {
          const ws = ow * SW - PL;
          let acc = isMax ? -Infinity : 0;
          let taps = 0;
          for (let i = 0; i < KH; i++) {
            const h = hs + i * DH;
            if (h < 0 || h >= H) continue;
            for (let j = 0; j < KW; j++) {
              const c = ws + j * DW;
              if (c < 0 || c >= W) continue;
              const v = x[xo + h * W + c]!;
              if (isMax) acc = v > acc || Number.isNaN(v) ? v : acc;
              else acc += v;
              taps++;
            }
          }
          if (!isMax) {
            const div = countIncludePad ? (Math.min(hs + KH, H + PB) - hs) * (Math.min(ws + KW, W + PR) - ws) : taps;
            acc = acc / div;
          }
          y[yo + oh * OW + ow] = acc;
        }
      }
    }
    return y;
  };
}

/** [C, H, W] -> [C, 1, 1]: the sum of each plane in memory order, divided by H*W. */
export function globalAveragePoolKernel(inShape: readonly number[]): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const plane = H * W;
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      let acc = 0;
      for (let i = p * plane, e = i + plane; i < e; i++) acc += x[i]!;
      y[p] = acc / plane;
    }
    return y;
  };
}
