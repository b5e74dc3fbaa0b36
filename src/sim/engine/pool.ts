import { applyOverflowNumber } from '../../fixedpoint/number.js';
import { fracBits } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { LayerEvents, PoolLayer } from '../model.js';
import type { IntKernel } from './kernel.js';
import { countEvent, divRoundNumber, rangeOf } from './narrow.js';

/**
 * Average of an exact integer window sum at fraction bits F_in into the output
 * format: sum * 2^(F_out - F_in) / divisor, rounded with the output's rounding
 * mode by exact integer division (divRoundNumber), then the output's overflow
 * mode (one event when out of range).
 */
export function averager(inFmt: FixedFormat, outFmt: FixedFormat): (sum: number, divisor: number, ev: LayerEvents) => number {
  const d = fracBits(outFmt) - fracBits(inFmt);
  const up = 2 ** Math.max(d, 0), down = 2 ** Math.max(-d, 0);
  const { lo, hi } = rangeOf(outFmt);
  return (sum, divisor, ev) => {
    const q = divRoundNumber(sum * up, divisor * down, outFmt.rounding);
    if (q >= lo && q <= hi) return q;
    countEvent(ev, outFmt);
    return applyOverflowNumber(q, outFmt);
  };
}

/**
 * MaxPool and AveragePool over [C, H, W]. The window of output (oh, ow) starts
 * at (oh*sh - top, ow*sw - left); out-of-image taps are skipped (padding never
 * wins a max). Average divisor: countIncludePad ? kernel area clipped to the
 * padded extent : number of in-image taps. Maxpool keeps the input's codes.
 */
export function poolKernel(l: PoolLayer, inFmt: FixedFormat, outFmt: FixedFormat, inShape: readonly number[]): IntKernel {
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = l.shape as [number, number, number];
  const [KH, KW] = l.kernel, [SH, SW] = l.strides, [PT, PL, PB, PR] = l.pads, [DH, DW] = l.dilations;
  const isMax = l.op === 'maxpool';
  const avg = averager(inFmt, outFmt);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C * OH * OW);
    for (let p = 0; p < batch * C; p++) {
      const xo = p * H * W, yo = p * OH * OW;
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
              if (isMax) acc = v > acc ? v : acc;
              else acc += v;
              taps++;
            }
          }
          if (!isMax) {
            const div = l.countIncludePad ? (Math.min(hs + KH, H + PB) - hs) * (Math.min(ws + KW, W + PR) - ws) : taps;
            acc = avg(acc, div, ev);
          }
          y[yo + oh * OW + ow] = acc;
        }
      }
    }
    return y;
  };
}

/** [C, H, W] -> [C, 1, 1]: the exact plane sum divided by H*W (averager's rounding). */
export function globalAvgPoolKernel(inFmt: FixedFormat, outFmt: FixedFormat, inShape: readonly number[]): IntKernel {
  const [C, H, W] = inShape as [number, number, number];
  const plane = H * W;
  const avg = averager(inFmt, outFmt);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      let s = 0;
      for (let i = p * plane, e = i + plane; i < e; i++) s += x[i]!;
      y[p] = avg(s, plane, ev);
    }
    return y;
  };
}
