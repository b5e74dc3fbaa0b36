import { fracBits } from '../../fixedpoint/format.js';
import { applyOverflowNumber, shiftRightRoundNumber } from '../../fixedpoint/number.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import { channelBounds } from '../exactness.js';
import type { ConvLayer, DenseLayer, LayerEvents } from '../model.js';
import { channelFormats, pow2Format } from '../quant.js';
import { countEvent, narrower, rangeOf, type Narrower } from './narrow.js';

/**
 * What dense and conv share: weights and biases as doubles holding the exact
 * codes, and per output channel the accumulator and the output narrowing.
 *
 * `exact` is true when the layer can skip every per-addition check: each
 * channel's products are already at the accumulator LSB (F_acc = F_w + F_x)
 * and its worst case |bias| + sum |w| * max|x| lies inside the accumulator's
 * kept range, so no partial sum can overflow. Otherwise the checked path
 * applies the accumulator's semantics (model.ts, Pow2Accumulator) to the bias
 * and to every product.
 */
export interface LinearPlan {
  readonly w: Float64Array;
  readonly bias: Float64Array;
  readonly channels: number;
  readonly perChannel: number;
  readonly exact: boolean;
  /** Product shift per channel: F_w + F_x - F_acc (rounded right when positive). */
  readonly prodShift: Int32Array;
  readonly acc: readonly FixedFormat[];
  readonly accLo: Float64Array;
  readonly accHi: Float64Array;
  /** Accumulator code -> output code, per channel. */
  readonly out: readonly Narrower[];
}

export function linearPlan(l: DenseLayer | ConvLayer, inFmt: FixedFormat, path: string): LinearPlan {
  const channels = l.weights.shape[0]!;
  const perChannel = sizeOf(l.weights.shape) / channels;
  const wf = channelFormats(l.weights.quant, channels, `${path}.weights.quant`);
  const acc = channelFormats({ kind: 'pow2', formats: (l.acc as { formats: string[] }).formats }, channels, `${path}.acc`);
  const outF = pow2Format(l.out, `${path}.out`);
  const bias = new Float64Array(channels);
  if (l.bias) bias.set(l.bias);
  const bounds = channelBounds(l.weights.codes, perChannel, wf, inFmt, acc, l.bias);
  const prodShift = Int32Array.from(wf, (f, m) => fracBits(f) + fracBits(inFmt) - fracBits(acc[m]!));
  const ranges = acc.map(rangeOf);
  const exact = bounds.every((b, m) => prodShift[m] === 0 && -b.bound >= ranges[m]!.lo && b.bound <= ranges[m]!.hi);
  return {
    w: Float64Array.from(l.weights.codes), bias, channels, perChannel, exact, prodShift, acc,
    accLo: Float64Array.from(ranges, (r) => r.lo), accHi: Float64Array.from(ranges, (r) => r.hi),
    out: acc.map((a) => narrower(fracBits(a), outF)),
  };
}

/** The accumulator's start value for channel m: the bias code through the overflow mode. */
export function accStart(p: LinearPlan, m: number, ev: LayerEvents): number {
  const b = p.bias[m]!;
  if (b < p.accLo[m]! || b > p.accHi[m]!) {
    countEvent(ev, p.acc[m]!);
    return applyOverflowNumber(b, p.acc[m]!);
  }
  return b;
}

/**
 * One checked accumulation step of channel m: the product rounded to the
 * accumulator LSB (accumulator's rounding mode), added, then the overflow
 * mode when the sum leaves the kept range (one event).
 */
export function accAdd(p: LinearPlan, m: number, acc: number, product: number, ev: LayerEvents): number {
  const s = p.prodShift[m]!;
  const f = p.acc[m]!;
  const v = acc + (s === 0 ? product : shiftRightRoundNumber(product, s, f.rounding));
  if (v < p.accLo[m]! || v > p.accHi[m]!) {
    countEvent(ev, f);
    return applyOverflowNumber(v, f);
  }
  return v;
}
