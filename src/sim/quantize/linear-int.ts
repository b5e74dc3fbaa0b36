import { UserError } from '../../errors.js';
import { formatToString, fracBits } from '../../fixedpoint/format.js';
import { quantizeNumber } from '../../fixedpoint/number.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { channelBounds, checkExactness } from './exactness.js';
import type { ConvLayer, DenseLayer, IntWeights } from './model.js';
import { pow2Quant } from './quant.js';
import { weightFormat, type AccChoice } from './choose.js';
import type { FConv, FDense } from './float-net.js';

/** What the exporter decided for one dense/conv layer's weights and accumulator. */
export interface LinearChoice {
  /** A user format for every weight, or undefined to derive from the weights. */
  weights?: FixedFormat;
  perChannel: boolean;
  bits: number;
  acc?: AccChoice;
}

/** Weight formats per output channel: the user's, or from max|w| (per channel or per tensor). */
function weightFormats(l: FDense | FConv, c: LinearChoice): FixedFormat[] {
  const M = l.op === 'dense' ? l.N : l.wShape[0];
  const per = l.W.length / M;
  if (c.weights) return new Array<FixedFormat>(M).fill(c.weights);
  const maxAbs = (from: number, to: number) => {
    let m = 0;
    for (let i = from; i < to; i++) m = Math.max(m, Math.abs(l.W[i]!));
    return m;
  };
  if (!c.perChannel) return new Array<FixedFormat>(M).fill(weightFormat(maxAbs(0, l.W.length), c.bits));
  return Array.from({ length: M }, (_, m) => weightFormat(maxAbs(m * per, (m + 1) * per), c.bits));
}

/** Bias codes at each channel's accumulator LSB, rounded half to even; UserError if one is not a safe integer. */
function biasCodes(l: FDense | FConv, accF: readonly number[]): number[] {
  return Array.from(l.b, (b, m) => {
    const f: FixedFormat = { signed: true, width: 53, intBits: 53 - accF[m]!, rounding: 'RND_CONV', overflow: 'SAT' };
    const code = quantizeNumber(b, f);
    if (Math.abs(code) >= 2 ** 52)
      throw new UserError(`layer '${l.name}': bias ${b} is too large for an accumulator with ${accF[m]} fraction bits`);
    return code;
  });
}

/**
 * Accumulator formats per channel. Default: fraction bits F_w + F_x (products
 * exact) and the width of the exact worst case max over channels of
 * |bias| + sum |w| * max|x| plus a sign bit — no overflow is possible. A user
 * width keeps that LSB; a user format is taken as written (its LSB, overflow
 * mode and rounding of products finer than it).
 */
function accFormats(
  l: FDense | FConv,
  wf: FixedFormat[],
  inFmt: FixedFormat,
  codes: number[],
  c: LinearChoice,
  per: number,
): { formats: FixedFormat[]; bias: number[] } {
  const Fp = wf.map((f) => fracBits(f) + fracBits(inFmt));
  if (c.acc?.kind === 'format') {
    const f = c.acc.format;
    return {
      formats: wf.map(() => f),
      bias: biasCodes(
        l,
        wf.map(() => fracBits(f)),
      ),
    };
  }
  const bias = biasCodes(l, Fp);
  let width = c.acc?.kind === 'width' ? c.acc.width : 0;
  if (!width) {
    const probe = Fp.map((F): FixedFormat => ({ signed: true, width: 53, intBits: 53 - F, rounding: 'RND_CONV', overflow: 'SAT' }));
    const bounds = channelBounds(codes, per, wf, inFmt, probe, bias);
    const worst = Math.max(1, ...bounds.map((b) => b.bound));
    width = Math.max(2, Math.floor(Math.log2(worst)) + 2);
  }
  return { formats: Fp.map((F) => ({ signed: true, width, intBits: width - F, rounding: 'RND_CONV', overflow: 'SAT' })), bias };
}

/** The integer weights, bias and accumulator of a dense or conv layer; UserError when float64 could not be exact. */
export function linearToInt(
  l: FDense | FConv,
  inFmt: FixedFormat,
  c: LinearChoice,
): Pick<DenseLayer | ConvLayer, 'weights' | 'bias' | 'acc'> {
  const wf = weightFormats(l, c);
  const M = wf.length,
    per = l.W.length / M;
  const codes = Array.from(l.W, (w, i) => quantizeNumber(w, wf[Math.floor(i / per)]!));
  const { formats, bias } = accFormats(l, wf, inFmt, codes, c, per);
  const bounds = channelBounds(codes, per, wf, inFmt, formats, bias);
  checkExactness(l.name, bounds, codes, per, wf, inFmt, formats);
  const texts = formats.map(formatToString);
  const uniformW = wf.every((f) => formatToString(f) === formatToString(wf[0]!));
  const shape = l.op === 'dense' ? [l.N, l.K] : [...l.wShape];
  const weights: IntWeights = {
    shape,
    codes,
    quant: uniformW ? pow2Quant(wf[0]!) : { kind: 'pow2-channel', axis: 0, formats: wf.map(formatToString) },
  };
  return {
    weights,
    bias: bias.some((b) => b !== 0) ? bias : undefined,
    acc: {
      kind: 'pow2',
      formats: texts.every((t) => t === texts[0]) ? [texts[0]!] : texts,
      bound: Math.max(0, ...bounds.map((b) => b.bound)),
    },
  };
}
