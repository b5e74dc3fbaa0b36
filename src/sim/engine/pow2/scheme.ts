import { UserError } from '../../../errors.js';
import { applyOverflowNumber } from '../../../fixedpoint/number.js';
import { fracBits } from '../../../fixedpoint/format.js';
import { quantizeArray } from '../../../fixedpoint/batch.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import { sizeOf } from '../../../models/graph.js';
import { fieldError } from '../../quantize/fields.js';
import { channelBounds } from '../../quantize/exactness.js';
import type { AddLayer, ConvLayer, DenseLayer, LayerEvents, Pow2Model, TensorQuant } from '../../quantize/model.js';
import { FormatTable, maxAbsCode } from '../../quantize/quant.js';
import { accChannel, countEvent } from '../accumulate.js';
import type { Kernel } from '../kernel.js';
import type { Averager, Convert, LinearOperands, Scheme } from '../scheme.js';
import { fitsI16 } from '../wasm/narrow.js';
import { activationKernel, activationTable } from './activation.js';
import { pow2MulKernel } from './mul.js';
import { pow2ArithKernel } from './arith.js';
import { divRoundNumber, narrower, narrowOne, narrowRun, rangeOf } from './narrow.js';

/*
 * The pow2 scheme: every tensor one fixed-point format (value = code * 2^-F),
 * weights per tensor or per output channel, accumulators named per channel
 * (quantize/model.ts, Pow2Accumulator). No zero points; every narrowing is
 * the target format's rounding then its overflow mode.
 */

function linear(formats: FormatTable, l: DenseLayer | ConvLayer, inQ: TensorQuant, path: string): LinearOperands {
  const inFmt = formats.format(inQ, `${path}.in`);
  const channels = l.weights.shape[0]!;
  const per = sizeOf(l.weights.shape) / channels;
  const wf = formats.channels(l.weights.quant, channels, `${path}.weights.quant`);
  if (l.acc.kind !== 'pow2') fieldError(`${path}.acc.kind`, `must be 'pow2' in a pow2 model, got '${l.acc.kind}'`);
  const accF = formats.channels(l.acc, channels, `${path}.acc`);
  const outF = formats.format(l.out, `${path}.out`);
  const bias = new Float64Array(channels);
  if (l.bias) bias.set(l.bias);
  const bounds = Float64Array.from(channelBounds(l.weights.codes, per, wf, inFmt, accF, l.bias), (b) => b.bound);
  const acc = accF.map((a, m) => accChannel(a, fracBits(wf[m]!) + fracBits(inFmt) - fracBits(a)));
  const out = accF.map((a) => narrower(fracBits(a), outF));
  const uniform = out.every((o) => o.shift === out[0]!.shift);
  return {
    w: Float64Array.from(l.weights.codes),
    bias,
    xOffset: 0,
    maxX: maxAbsCode(inFmt),
    acc,
    bounds,
    narrow: { shifts: out.map((o) => o.shift), to: outF },
    channelRun: (m, src, s, dst, d, n, ev) => narrowRun(out[m]!, src, s, dst, d, n, ev),
    interleaved: (src, dst, ev) => {
      if (uniform) narrowRun(out[0]!, src, 0, dst, 0, src.length, ev);
      else for (let i = 0; i < src.length; i++) dst[i] = narrowOne(out[i % channels]!, src[i]!, ev);
    },
  };
}

/**
 * Average of an exact integer window sum at F_in into the output format:
 * sum * 2^(F_out - F_in) / divisor, rounded with the output's rounding mode by
 * exact integer division (divRoundNumber), then the output's overflow mode.
 */
function averageStage(inFmt: FixedFormat, outFmt: FixedFormat) {
  const d = fracBits(outFmt) - fracBits(inFmt);
  return { up: 2 ** Math.max(d, 0), down: 2 ** Math.max(-d, 0), to: outFmt };
}

function averager(inFmt: FixedFormat, outFmt: FixedFormat): Averager {
  const { up, down } = averageStage(inFmt, outFmt);
  const { lo, hi } = rangeOf(outFmt);
  return {
    xOffset: 0,
    finish: (sum, divisor, ev) => {
      const q = divRoundNumber(sum * up, divisor * down, outFmt.rounding);
      if (q >= lo && q <= hi) return q;
      countEvent(ev, outFmt);
      return applyOverflowNumber(q, outFmt);
    },
  };
}

/** The add's alignment: a (F_a) and b (F_b) brought to F = max(F_a, F_b) by exact factors ua, ub. */
function addAlign(fa: FixedFormat, fb: FixedFormat): { F: number; ua: number; ub: number } {
  const F = Math.max(fracBits(fa), fracBits(fb));
  return { F, ua: 2 ** (F - fracBits(fa)), ub: 2 ** (F - fracBits(fb)) };
}

/** Residual add: a (F_a) and b (F_b) aligned to F = max(F_a, F_b) by exact left shifts, added exactly, narrowed into the output. */
function addKernel(fa: FixedFormat, fb: FixedFormat, out: FixedFormat, size: number): Kernel {
  const { F, ua, ub } = addAlign(fa, fb);
  const nw = narrower(F, out);
  return ([a, b], batch, ev) => {
    const s = new Float64Array(batch * size);
    for (let i = 0; i < s.length; i++) s[i] = a![i]! * ua + b![i]! * ub;
    const y = new Float64Array(s.length);
    narrowRun(nw, s, 0, y, 0, s.length, ev);
    return y;
  };
}

/** Formats whose codes mean the same values under the same modes: a conversion between them is the identity. */
const sameFormat = (a: FixedFormat, b: FixedFormat) =>
  a.width === b.width && a.intBits === b.intBits && a.signed === b.signed && a.overflow === b.overflow && a.rounding === b.rounding;

/** The pow2 scheme of a model; `formats` is the compiled model's table (every format text parsed once). */
export function pow2Scheme(m: Pow2Model, formats: FormatTable = new FormatTable()): Scheme {
  const inFmt = formats.format(m.input.quant, 'input.quant');
  const fmt = (q: TensorQuant, path: string) => formats.format(q, path);
  return {
    inputFormat: inFmt,
    quantizeInput(v: Float64Array, ev: LayerEvents) {
      const codes = new Float64Array(v.length);
      const overflows = quantizeArray(v, inFmt, codes);
      if (overflows > 0) countEvent(ev, inFmt, overflows);
      return codes;
    },
    checkInputCodes(codes) {
      const { lo, hi } = rangeOf(inFmt);
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        if (!Number.isInteger(c) || c < lo || c > hi)
          throw new UserError(
            `input code ${c} at index ${i} is not a code of ${m.input.quant.kind === 'pow2' ? m.input.quant.format : 'the input format'}`,
          );
      }
    },
    fitsInt32: (q) => {
      const f = fmt(q, 'tensor');
      return f.signed ? f.width <= 32 : f.width <= 31;
    },
    linear: (l, inQ, path) => linear(formats, l, inQ, path),
    convert(from, to, path): Convert {
      const a = fmt(from, `${path}.in`),
        b = fmt(to, `${path}.out`);
      if (sameFormat(a, b)) return undefined;
      const nw = narrower(fracBits(a), b);
      return (v, ev) => narrowOne(nw, v, ev);
    },
    convertStage(from, to) {
      const a = fmt(from, 'in'),
        b = fmt(to, 'out');
      return sameFormat(a, b) ? 'same' : { shifts: [fracBits(a) - fracBits(b)], to: b };
    },
    averager: (inQ, outQ) => averager(fmt(inQ, 'in'), fmt(outQ, 'out')),
    averageStage: (inQ, outQ) => averageStage(fmt(inQ, 'in'), fmt(outQ, 'out')),
    addStage(ins, outQ) {
      if (ins.length !== 2) return undefined;
      const to = fmt(outQ, 'out');
      const { F, ua, ub } = addAlign(fmt(ins[0]!, 'in'), fmt(ins[1]!, 'in'));
      return { ua, ub, narrow: { shifts: [F - fracBits(to)], to } };
    },
    add: (l: AddLayer, shapes, ins, path) =>
      addKernel(fmt(ins[0]!, `${path}.in`), fmt(ins[1]!, `${path}.in`), fmt(l.out, `${path}.out`), sizeOf(shapes[0]!)),
    mul: (l, shapes, ins, path) =>
      pow2MulKernel(fmt(ins[0]!, `${path}.in`), fmt(ins[1]!, `${path}.in`), fmt(l.out, `${path}.out`), shapes[0]!, shapes[1]!),
    arith: (l, shapes, ins, path) => pow2ArithKernel(l, shapes, ins, formats, path),
    activation: (l, inQ, outQ, mode) => activationKernel(l, fmt(inQ, 'in'), fmt(outQ, 'out'), mode),
    i16Codes: (q) => fitsI16(fmt(q, 'tensor')),
    activationTable: (l, inQ, outQ, mode) => activationTable(l, fmt(inQ, 'in'), fmt(outQ, 'out'), mode),
  };
}
