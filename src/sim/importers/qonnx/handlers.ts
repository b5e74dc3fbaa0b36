import { UserError } from '../../../errors.js';
import { formatToString, fracBits, parseFormat } from '../../../fixedpoint/format.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import { channelBounds } from '../../quantize/exactness.js';
import { circuitIdentity } from '../../quantize/quantize.js';
import type { IntLayer, WeightQuant } from '../../quantize/model.js';
import { pow2Quant } from '../../quantize/quant.js';
import { transpose2 } from '../quantized-onnx/params.js';
import type { NodeView } from '../quantized-onnx/read.js';
import { intAttr, windowOf } from '../quantized-onnx/window.js';
import type { QonnxContext, QValue } from './context.js';
import { intRange, quantCode, quantFormat, quantSpec, roundingOf, type QuantSpec } from './quant.js';

/*
 * QONNX nodes onto pow2 layers. A Quant fixes the format of what it reads:
 * the model input, a constant (its codes computed here by the spec formula),
 * or the pending layer before it (its output format). Conv / MatMul / Gemm
 * accumulate exactly (fraction bits F_w + F_x, a width that holds the worst
 * case); a float op with no Quant after it keeps that exact format.
 */

type Pend = Extract<QValue, { kind: 'pend' }>;
type W = Extract<QValue, { kind: 'w' }>;
export type Handler = (ctx: QonnxContext, v: NodeView) => void;

function fail(v: NodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

/** A constant's codes under a Quant (per channel along the parameter axis). */
function quantizeConst(v: NodeView, q: QuantSpec, data: ArrayLike<number>, shape: number[]): W {
  const axis = q.axis ?? 0;
  const channels = q.scales.length;
  if (channels > 1 && shape[axis] !== channels) fail(v, `${channels} scales for axis ${axis} of [${shape.join(',')}]`);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const [lo, hi] = intRange(q);
  const formats = q.scales.map((_, c) => quantFormat(v, q, c, true));
  const codes = Array.from(data, (x, i) => {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    return quantCode(x, q.scales[c]!, 0, lo, hi, q.rounding);
  });
  return { kind: 'w', shape, codes, formats, axis };
}

const quant: Handler = (ctx, v) => {
  const q = quantSpec(v, ctx.consts);
  const out = v.outputs[0]!;
  const x = ctx.value(v, 0);
  if (x.kind === 'w') {
    const c = ctx.consts.get(v.inputs[0]!);
    if (!c || x.formats.length) fail(v, `input '${v.inputs[0]}' is quantized twice`);
    ctx.values.set(out, quantizeConst(v, q, c.tensor.data, [...c.tensor.shape]));
    return;
  }
  if (q.scales.length !== 1) fail(v, 'per-channel scales on a runtime tensor are not supported (runtime tensors have one format)');
  const f = quantFormat(v, q);
  if (x.kind === 'raw') {
    if (ctx.inputFormat) fail(v, 'the model input is quantized twice');
    ctx.inputFormat = f;
    ctx.formats.set(ctx.graph.input.name, f);
    ctx.shapes.set(ctx.graph.input.name, ctx.graph.input.shape);
    ctx.values.set(out, { kind: 't', tensor: ctx.graph.input.name });
  } else if (x.kind === 'pend') finish(ctx, v, x, out, f);
  else if (formatToString(ctx.fmt(x.tensor)) === formatToString(f)) ctx.values.set(out, x);
  else ctx.emit({ name: v.name, op: 'concat', inputs: [x.tensor], axis: 0 } as Pend['layer'], out, f, v);
};

/** A pending layer gets its output format: an activation records its circuit. */
function finish(ctx: QonnxContext, v: NodeView, p: Pend, out: string, f: FixedFormat): string {
  const l = p.layer as IntLayer;
  if (l.op === 'activation') {
    const inF = ctx.fmt(l.inputs[0]!);
    return ctx.emit(
      { ...l, in: pow2Quant(inF), circuit: circuitIdentity({ spec: l.activation } as never, inF, f) } as Pend['layer'],
      out,
      f,
      v,
    );
  }
  return ctx.emit(l, out, f, v);
}

/** The exact format of a pending dense/conv (its accumulator) or add, for a result no Quant follows. */
export function exactFormat(ctx: QonnxContext, p: Pend): FixedFormat {
  const l = p.layer as IntLayer;
  if (l.op === 'dense' || l.op === 'conv') {
    // one format holding every channel's accumulator exactly: the finest LSB, the largest integer part
    const fs = (l.acc as { formats: string[] }).formats.map(parseFormat);
    const F = Math.max(...fs.map(fracBits));
    const I = Math.max(...fs.map((f) => f.intBits));
    return { ...fs[0]!, width: I + F, intBits: I };
  }
  if (l.op === 'activation') return ctx.fmt(l.inputs[0]!);
  throw new UserError(`layer '${l.name}' (${l.op}) has no Quant after it to give its output format`);
}

/** Emits a pending value with its exact format (when a runtime tensor is needed and no Quant came). */
export function settle(ctx: QonnxContext, v: NodeView, name: string): string {
  const val = ctx.values.get(name);
  if (val?.kind !== 'pend') return ctx.tensor(v, 0);
  return finish(ctx, v, val, `${name}`, exactFormat(ctx, val));
}

/**
 * Accumulator of channel c: Fs[c] fraction bits (at least F_w + F_x, so products
 * are exact; more when the bias needs them), the width of the worst case
 * |bias| + sum |w| * max|x| plus a sign bit, so SAT never acts.
 */
function accOf(codes: number[], wf: FixedFormat[], inF: FixedFormat, Fs: number[], bias?: number[]): { formats: string[]; bound: number } {
  const per = codes.length / wf.length;
  const probe = Fs.map((F): FixedFormat => ({ signed: true, width: 53, intBits: 53 - F, rounding: 'RND_CONV', overflow: 'SAT' }));
  const worst = Math.max(1, ...channelBounds(codes, per, wf, inF, probe, bias).map((b) => b.bound));
  const width = Math.max(2, Math.floor(Math.log2(worst)) + 2);
  const acc = Fs.map((F) => formatToString({ signed: true, width, intBits: width - F, rounding: 'RND_CONV', overflow: 'SAT' }));
  return { formats: acc.every((a) => a === acc[0]) ? [acc[0]!] : acc, bound: worst };
}

interface LinearData {
  wf: FixedFormat[];
  inF: FixedFormat;
}
const LINEAR = new WeakMap<object, LinearData>();

function linear(ctx: QonnxContext, v: NodeView, x: string, w: W, codes: number[], shape: number[], fields: Record<string, unknown>): Pend {
  if (!w.formats.length) fail(v, `weights '${v.inputs[1]}' must be quantized by a Quant (or BipolarQuant)`);
  const M = shape[0]!;
  const inF = ctx.fmt(x);
  const wf = w.formats.length === 1 ? new Array<FixedFormat>(M).fill(w.formats[0]!) : w.formats;
  if (wf.length !== M) fail(v, `per-channel weight formats must run along the output channels (${M}), got ${wf.length}`);
  const texts = wf.map(formatToString);
  const quant: WeightQuant = texts.every((t) => t === texts[0]) ? pow2Quant(wf[0]!) : { kind: 'pow2-channel', axis: 0, formats: texts };
  const acc = accOf(
    codes,
    wf,
    inF,
    wf.map((f) => fracBits(f) + fracBits(inF)),
  );
  const layer = { name: v.name, inputs: [x], ...fields, weights: { shape, codes, quant }, acc: { kind: 'pow2', ...acc } };
  LINEAR.set(layer, { wf, inF });
  return { kind: 'pend', layer: layer as unknown as Pend['layer'], bare: true };
}

function weightsOf(ctx: QonnxContext, v: NodeView, i: number): W {
  const w = ctx.value(v, i);
  if (w.kind !== 'w') fail(v, `input '${v.inputs[i]}' must be constant weights`);
  return w;
}

const matmul: Handler = (ctx, v) => {
  const x = settle(ctx, v, v.inputs[0]!);
  const w = weightsOf(ctx, v, 1);
  const transB = v.op === 'Gemm' && intAttr(v, 'transB', 0) === 1;
  if (w.shape.length !== 2) fail(v, `the weight matrix must be 2-D; got [${w.shape.join(',')}]`);
  const [r, c] = w.shape as [number, number];
  if (w.formats.length > 1 && w.axis !== (transB ? 0 : 1)) fail(v, 'per-channel weight scales must run along the output axis');
  const codes = transB ? w.codes : transpose2(w.codes, r, c);
  const p = linear(ctx, v, x, w, codes, transB ? [r, c] : [c, r], { op: 'dense' });
  ctx.values.set(v.outputs[0]!, p);
  if (v.op === 'Gemm' && v.inputs[2]) addBias(ctx, v, p, 2);
};

const conv: Handler = (ctx, v) => {
  const x = settle(ctx, v, v.inputs[0]!);
  const w = weightsOf(ctx, v, 1);
  if (w.shape.length !== 4) fail(v, `weights must be [M, C/group, kh, kw]; got [${w.shape.join(',')}]`);
  if (w.formats.length > 1 && w.axis !== 0) fail(v, 'per-channel weight scales must run along axis 0 (output channels)');
  const win = windowOf(v, ctx.shapes.get(x)!, [w.shape[2]!, w.shape[3]!]);
  const p = linear(ctx, v, x, w, w.codes, w.shape, { op: 'conv', ...win, group: intAttr(v, 'group', 1) });
  ctx.values.set(v.outputs[0]!, p);
  if (v.inputs[2]) addBias(ctx, v, p, 2);
};

/** The fewest fraction bits >= F on which real value r is an integer. */
function gridBits(v: NodeView, r: number, F: number): number {
  for (let k = F; k <= F + 40; k++) if (Number.isSafeInteger(r * 2 ** k)) return k;
  fail(v, `bias ${r} is not on any fixed-point grid within 40 bits of the accumulator's`);
}

/** A bias onto a pending dense/conv: the accumulator gains fraction bits until every bias value lies exactly on its grid. */
function addBias(ctx: QonnxContext, v: NodeView, p: Pend, i: number): void {
  const b = ctx.value(v, i);
  if (b.kind !== 'w') fail(v, `bias '${v.inputs[i]}' must be a constant`);
  const l = p.layer as IntLayer & { weights: { codes: number[] } };
  const { wf, inF } = LINEAR.get(p.layer)!;
  const M = wf.length;
  const real = b.formats.length ? b.codes.map((q, k) => q * 2 ** -fracBits(b.formats[b.formats.length === 1 ? 0 : k]!)) : b.codes;
  if (real.length !== M && real.length !== 1) fail(v, `bias has ${real.length} values for ${M} outputs`);
  const r = (c: number) => real[real.length === 1 ? 0 : c]!;
  const Fs = wf.map((f, c) => gridBits(v, r(c), fracBits(f) + fracBits(inF)));
  const bias = Fs.map((F, c) => r(c) * 2 ** F);
  const layer = { ...l, bias, acc: { kind: 'pow2', ...accOf(l.weights.codes, wf, inF, Fs, bias) } };
  ctx.values.set(v.outputs[0]!, { kind: 'pend', layer: layer as unknown as Pend['layer'] });
}

const add: Handler = (ctx, v) => {
  const [a, b] = [ctx.values.get(v.inputs[0]!), ctx.values.get(v.inputs[1]!)];
  const bare = [a, b].findIndex((x) => x?.kind === 'pend' && x.bare);
  if (bare >= 0) return addBias(ctx, { ...v, inputs: [v.inputs[bare]!, v.inputs[1 - bare]!] }, [a, b][bare] as Pend, 1);
  const inputs = [settle(ctx, v, v.inputs[0]!), settle(ctx, { ...v, inputs: [v.inputs[1]!] }, v.inputs[1]!)];
  ctx.values.set(v.outputs[0]!, { kind: 'pend', layer: { name: v.name, op: 'add', inputs } as Pend['layer'] });
};

const relu: Handler = (ctx, v) => {
  const x = settle(ctx, v, v.inputs[0]!);
  ctx.values.set(v.outputs[0]!, {
    kind: 'pend',
    layer: { name: v.name, op: 'activation', inputs: [x], activation: 'relu' } as Pend['layer'],
  });
};

function pool(op: 'maxpool' | 'avgpool' | 'globalavgpool'): Handler {
  return (ctx, v) => {
    const x = settle(ctx, v, v.inputs[0]!);
    const win =
      op === 'globalavgpool'
        ? {}
        : {
            ...windowOf(v, ctx.shapes.get(x)!),
            ceilMode: intAttr(v, 'ceil_mode', 0) === 1,
            countIncludePad: intAttr(v, 'count_include_pad', 0) === 1,
          };
    const layer = { name: v.name, op, inputs: [x], ...win } as Pend['layer'];
    if (op === 'maxpool') ctx.emit(layer, v.outputs[0]!, ctx.fmt(x), v);
    else ctx.values.set(v.outputs[0]!, { kind: 'pend', layer });
  };
}

const flatten: Handler = (ctx, v) => {
  const x = settle(ctx, v, v.inputs[0]!);
  if (intAttr(v, 'axis', 1) !== 1) fail(v, 'only axis 1 is supported');
  ctx.emit({ name: v.name, op: 'flatten', inputs: [x] } as Pend['layer'], v.outputs[0]!, ctx.fmt(x), v);
};

/** BipolarQuant: constants only, codes +1 (x >= 0) and -1 on fixed<2, 2 - F> for a scale 2^-F. */
const bipolar: Handler = (ctx, v) => {
  const c = ctx.consts.get(v.inputs[0]!);
  if (!c) fail(v, 'a bipolar (sign) activation is not supported; BipolarQuant applies to constant weights here');
  const s = ctx.consts.get(v.inputs[1] ?? '');
  if (!s || s.tensor.data.length !== 1) fail(v, 'scale must be a scalar constant');
  const spec: QuantSpec = { bits: 2, signed: true, narrow: false, rounding: 'ROUND', scales: [s.tensor.data[0]!], zeroPoints: [0] };
  const codes = Array.from(c.tensor.data, (x) => (x >= 0 ? 1 : -1));
  ctx.values.set(v.outputs[0]!, { kind: 'w', shape: [...c.tensor.shape], codes, formats: [quantFormat(v, spec, 0, true)], axis: 0 });
};

/**
 * Trunc (v1: X, scale, zeropt, in_bitwidth, out_bitwidth; v2 adds out_scale
 * before out_bitwidth): the input's codes divided by 2^k, then clamped and
 * rounded (FLOOR by default) to out_bitwidth bits: a conversion into the
 * format with k fewer fraction bits.
 */
const trunc: Handler = (ctx, v) => {
  const x = settle(ctx, v, v.inputs[0]!);
  const inF = ctx.fmt(x);
  const num = (i: number, what: string): number => {
    const c = ctx.consts.get(v.inputs[i] ?? '');
    if (!c || c.tensor.data.length !== 1) fail(v, `${what} must be a scalar constant`);
    return c.tensor.data[0]!;
  };
  const scale = num(1, 'scale');
  if (scale !== 2 ** -fracBits(inF) || num(2, 'zeropt') !== 0)
    fail(v, `scale ${scale} and zero point must be those of the input's format ${formatToString(inF)}`);
  const v2 = v.inputs.length >= 6;
  const outBits = num(v2 ? 5 : 4, 'out_bitwidth');
  const outScale = v2 ? num(4, 'out_scale') : scale * 2 ** (num(3, 'in_bitwidth') - outBits);
  const spec: QuantSpec = {
    bits: outBits,
    signed: (v.attrs.get('signed') ?? (inF.signed ? 1 : 0)) === 1,
    narrow: (v.attrs.get('narrow') ?? 0) === 1,
    rounding: roundingOf(v, 'FLOOR'),
    scales: [outScale],
    zeroPoints: [0],
  };
  ctx.emit({ name: v.name, op: 'concat', inputs: [x], axis: 0 } as Pend['layer'], v.outputs[0]!, quantFormat(v, spec), v);
};

export const QONNX_HANDLERS: Record<string, Handler> = {
  Quant: quant,
  IntQuant: quant,
  BipolarQuant: bipolar,
  Trunc: trunc,
  MatMul: matmul,
  Gemm: matmul,
  Conv: conv,
  Add: add,
  Relu: relu,
  MaxPool: pool('maxpool'),
  AveragePool: pool('avgpool'),
  GlobalAveragePool: pool('globalavgpool'),
  Flatten: flatten,
};
