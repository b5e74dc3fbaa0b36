import type { PoolLayer } from '../../quantize/model.js';
import type { RefKernel } from '../kernel.js';
import { divideReal, overflowReal, quantizeReal, type RealFormat } from './real.js';

/**
 * Pools in reals. Max: the largest in-image value of the window. Average: the
 * exact sum of the in-image values divided by the divisor (countIncludePad:
 * kernel area clipped to the padded extent; else the in-image count), rounded
 * onto the output grid by divideReal, then the output's overflow mode.
 */
export function poolReal(l: PoolLayer, inShape: readonly number[], outF: RealFormat): RefKernel {
  const [C, H, W] = inShape as [number, number, number];
  const w = poolWindows(l, H, W);
  const Q = w.divisor.length;
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C * Q);
    for (let p = 0; p < batch * C; p++) {
      const base = p * H * W;
      for (let q = 0; q < Q; q++) {
        let max = -Infinity,
          sum = 0;
        for (let t = w.start[q]!; t < w.start[q + 1]!; t++) {
          const v = x[base + w.offsets[t]!]!;
          max = Math.max(max, v);
          sum += v;
        }
        y[p * Q + q] = l.op === 'maxpool' ? max : overflowReal(divideReal(sum, w.divisor[q]!, outF), outF, ev);
      }
    }
    return y;
  };
}

/**
 * Each output position's window: the in-image offsets it reads inside a
 * plane (offsets[start[q] .. start[q + 1])), in (i, j) order, and its
 * average divisor (countIncludePad: the kernel area clipped to the padded
 * extent; else the in-image count).
 */
export function poolWindows(l: PoolLayer, H: number, W: number): { offsets: Int32Array; start: Int32Array; divisor: Float64Array } {
  const [, OH, OW] = l.shape as [number, number, number];
  const offsets: number[] = [],
    start = [0],
    divisor: number[] = [];
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) {
      const top = oh * l.strides[0] - l.pads[0],
        left = ow * l.strides[1] - l.pads[1];
      for (let i = 0; i < l.kernel[0]; i++)
        for (let j = 0; j < l.kernel[1]; j++) {
          const h = top + i * l.dilations[0],
            c = left + j * l.dilations[1];
          if (h >= 0 && h < H && c >= 0 && c < W) offsets.push(h * W + c);
        }
      const area = (Math.min(top + l.kernel[0], H + l.pads[2]) - top) * (Math.min(left + l.kernel[1], W + l.pads[3]) - left);
      divisor.push(l.countIncludePad ? area : offsets.length - start[start.length - 1]!);
      start.push(offsets.length);
    }
  }
  return { offsets: Int32Array.from(offsets), start: Int32Array.from(start), divisor: Float64Array.from(divisor) };
}

/** Global average: each plane's exact sum divided by H*W onto the output grid. */
export function globalAvgReal(inShape: readonly number[], outF: RealFormat): RefKernel {
  const [C, H, W] = inShape as [number, number, number];
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      const sum = x.subarray(p * H * W, (p + 1) * H * W).reduce((s, v) => s + v, 0);
      y[p] = overflowReal(divideReal(sum, H * W, outF), outF, ev);
    }
    return y;
  };
}

/** Sum of two reals (exact: both on dyadic grids within 53 bits), quantized into the output. */
export function addReal(outF: RealFormat): RefKernel {
  return (ins, _batch, ev) => {
    const a = ins[0]!,
      b = ins[1]!,
      y = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) y[i] = quantizeReal(a[i]! + b[i]!, outF, ev);
    return y;
  };
}
