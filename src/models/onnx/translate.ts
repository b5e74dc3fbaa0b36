import { UserError } from '../../errors.js';
import { parseActivation } from '../../activations/float.js';
import type { Window2D } from '../graph.js';
import { sizeOf } from '../graph.js';
import { samePads } from '../window.js';
import type { OnnxNodeView, TranslateContext } from './context.js';
import { BATCH } from './fold.js';
import { ACTIVATION_MARK, FUSED_OP } from './patterns.js';
import { activation, clip, gelu, hardSigmoid } from './activations.js';
import {
  BINARY_OPS,
  REDUCE_OPS,
  UNARY_OPS,
  binaryFn,
  cast,
  expand,
  flatten,
  perSampleConstant,
  prelu,
  reduce,
  softmax,
  sumMean,
  unary,
  where,
} from './translate-math.js';
import { concat, gatherData, pad, resize, slice, split } from './translate-data.js';
import { conv1d, pool1d } from './translate-1d.js';
import type { BinaryFn, UnaryFn } from '../graph.js';

function bad(v: OnnxNodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

const int = (v: OnnxNodeView, k: string, def: number): number => (v.attrs.get(k) as number | undefined) ?? def;
const ints = (v: OnnxNodeView, k: string): number[] | undefined => v.attrs.get(k) as number[] | undefined;

function window(v: OnnxNodeView, inShape: readonly number[], kernel: readonly number[], dilationsAllowed: boolean): Window2D {
  if (kernel.length !== 2) bad(v, `only 2-D windows are supported, got kernel_shape [${kernel}]`);
  const strides = ints(v, 'strides') ?? [1, 1];
  const dilations = ints(v, 'dilations') ?? [1, 1];
  if (!dilationsAllowed && dilations.some((d) => d !== 1)) bad(v, 'dilations other than 1 are not supported here');
  const autoPad = (v.attrs.get('auto_pad') as string | undefined) ?? 'NOTSET';
  let pads = ints(v, 'pads') ?? [0, 0, 0, 0];
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const lower = autoPad === 'SAME_LOWER';
    const [t, b] = samePads(inShape[1]!, kernel[0]!, strides[0]!, dilations[0]!, lower);
    const [l, r] = samePads(inShape[2]!, kernel[1]!, strides[1]!, dilations[1]!, lower);
    pads = [t, l, b, r];
  } else if (autoPad !== 'NOTSET') bad(v, `auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  if (strides.length !== 2 || pads.length !== 4 || dilations.length !== 2)
    bad(v, 'strides, pads and dilations must describe 2 spatial axes');
  return {
    kernel: [kernel[0]!, kernel[1]!],
    strides: [strides[0]!, strides[1]!],
    pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!],
    dilations: [dilations[0]!, dilations[1]!],
  };
}

function conv(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  if (x.length === 2) return conv1d(v, ctx, conv);
  const W = ctx.constant(v, v.inputs[1], 'weight');
  const B = ctx.optionalConstant(v, v.inputs[2], 'bias');
  if (W.shape.length !== 4 || x.length !== 3)
    bad(v, `only 2-D convolution is supported (input [N,C,H,W], weight [M,C/g,kh,kw]); got weight [${W.shape}]`);
  const win = window(v, x, ints(v, 'kernel_shape') ?? W.shape.slice(2), true);
  ctx.emit({
    op: 'Conv',
    name: v.name,
    inputs: [v.inputs[0]!],
    output: v.output,
    attrs: { ...win, group: int(v, 'group', 1) },
    weights: B ? { W, B } : { W },
  });
}

function pool(v: OnnxNodeView, ctx: TranslateContext, op: 'MaxPool' | 'AveragePool'): void {
  const x = ctx.runtime(v, v.inputs[0]);
  if (x.length === 2) return pool1d(v, ctx, (w, c) => pool(w, c, op));
  if (x.length !== 3) bad(v, `only 1-D and 2-D pooling is supported, input [${x}]`);
  const kernel = ints(v, 'kernel_shape');
  if (!kernel) bad(v, 'kernel_shape is required');
  const win = window(v, x, kernel, op === 'MaxPool' || (ints(v, 'dilations') ?? [1, 1]).every((d) => d === 1));
  const attrs = { ...win, ceilMode: int(v, 'ceil_mode', 0) === 1, countIncludePad: int(v, 'count_include_pad', 0) === 1 };
  ctx.emit({ op, name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs });
}

function gemm(v: OnnxNodeView, ctx: TranslateContext): void {
  ctx.runtime(v, v.inputs[0]);
  if (int(v, 'transA', 0) !== 0) bad(v, 'transA = 1 on the batched input is not supported (it would mix samples)');
  const B = ctx.constant(v, v.inputs[1], 'weight B');
  const C = ctx.optionalConstant(v, v.inputs[2], 'bias C');
  const attrs = {
    transA: 0 as const,
    transB: int(v, 'transB', 0) === 1 ? (1 as const) : (0 as const),
    alpha: (v.attrs.get('alpha') as number | undefined) ?? 1,
    beta: (v.attrs.get('beta') as number | undefined) ?? 1,
  };
  ctx.emit({ op: 'Gemm', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs, weights: C ? { B, C } : { B } });
}

/**
 * MatMul: a constant 2-D right operand (or one with leading 1s) is the
 * layer's weights; any other constant operand becomes a Constant node and the
 * product one of two per-sample tensors with broadcast leading dimensions.
 */
function matMul(v: OnnxNodeView, ctx: TranslateContext): void {
  const [a, b] = v.inputs as [string, string];
  const rank = Math.max(ctx.shapes.get(a)?.length ?? 0, ctx.shapes.get(b)?.length ?? 0);
  if (!ctx.isRuntime(a) && !ctx.isRuntime(b)) ctx.runtime(v, a);
  if (ctx.isRuntime(a) && !ctx.isRuntime(b)) {
    const B = ctx.constant(v, b, 'right operand');
    if (B.shape.length >= 2 && B.shape.slice(0, -2).every((d) => d === 1)) {
      return ctx.emit({
        op: 'MatMul',
        name: v.name,
        inputs: [a],
        output: v.output,
        weights: { B: { shape: B.shape.slice(-2), data: B.data } },
      });
    }
  }
  const operand = (t: string): string => {
    if (ctx.isRuntime(t)) return t;
    const out = ctx.freshTensor(t);
    ctx.emit({
      op: 'Constant',
      name: ctx.uniqueName(`${v.name}_const`),
      inputs: [],
      output: out,
      weights: { value: perSampleConstant(v, ctx.constant(v, t, 'operand'), rank) },
    });
    return out;
  };
  ctx.emit({ op: 'MatMul', name: v.name, inputs: [operand(a), operand(b)], output: v.output, weights: {} });
}

function binary(v: OnnxNodeView, ctx: TranslateContext, op: 'Add' | 'Sub' | 'Mul' | 'Div'): void {
  const [a, b] = v.inputs as [string, string];
  if (ctx.isRuntime(a) && ctx.isRuntime(b)) return ctx.emit({ op, name: v.name, inputs: [a, b], output: v.output, weights: {} });
  const rt = ctx.isRuntime(a) ? a : b;
  const rank = ctx.runtime(v, rt).length;
  const c = perSampleConstant(v, ctx.constant(v, rt === a ? b : a, 'operand'), rank);
  ctx.emit({ op, name: v.name, inputs: [rt], output: v.output, weights: rt === a ? { B: c } : { A: c } });
}

/** Reshape with the batch entry of the target recognized (0, -1, the Shape sentinel or a static batch size). */
function reshapeTo(v: OnnxNodeView, ctx: TranslateContext, target: readonly number[], allowZero: boolean): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const [first, ...rest] = target;
  if (first === undefined || rest.includes(BATCH)) bad(v, `target shape [${target}] must keep the batch dimension first`);
  const resolved = rest.map((d, i) => (d === 0 && !allowZero ? x[i]! : d));
  const known = resolved.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const minus = resolved.filter((d) => d === -1).length;
  if (minus > 1 || (minus === 1 && first === -1)) bad(v, `target shape [${target}] has more than one -1`);
  const shape = resolved.map((d) => (d === -1 ? sizeOf(x) / known : d));
  if (!Number.isInteger(sizeOf(x) / known) || sizeOf(shape) !== sizeOf(x))
    bad(v, `target shape [${target}] would move data between samples (per-sample size ${sizeOf(x)})`);
  ctx.emit({ op: 'Reshape', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { shape } });
}

function squeezeLike(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const axesT = v.inputs[1] ? ctx.constant(v, v.inputs[1], 'axes') : undefined;
  const raw = axesT ? [...axesT.data] : ints(v, 'axes');
  const full = [1, ...x];
  if (v.op === 'Unsqueeze') {
    const rank = full.length + (raw?.length ?? 0);
    const axes = (raw ?? []).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
    if (axes.includes(0)) bad(v, 'cannot insert an axis before the batch axis');
    for (const a of axes) full.splice(a, 0, 1);
  } else {
    const axes = raw ? raw.map((a) => (a < 0 ? a + full.length : a)) : full.flatMap((d, i) => (i > 0 && d === 1 ? [i] : []));
    if (axes.includes(0) || axes.some((a) => full[a] !== 1))
      bad(v, `cannot squeeze axes [${raw}] of [N,${x}] (the batch axis, or an axis whose size is not 1)`);
    for (const a of [...axes].sort((p, q) => q - p)) full.splice(a, 1);
  }
  ctx.emit({ op: 'Reshape', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { shape: full.slice(1) } });
}

/**
 * ReduceMean over the spatial axes of an image tensor, as converters write
 * global average pooling: axes {2,3} of NCHW become GlobalAveragePool; axes
 * {1,2} of a channels-last [N,H,W,C] tensor become Transpose to NCHW, then
 * GlobalAveragePool; then a Reshape when keepdims = 0 (or to restore [1,1,C]).
 * Any other per-sample axes: a Reduce node.
 */
function reduceMean(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const raw = v.inputs[1] ? [...ctx.constant(v, v.inputs[1], 'axes').data] : (ints(v, 'axes') ?? []);
  if (raw.length === 0) return reduce(v, ctx);
  const axes = raw
    .map((a) => (a < 0 ? a + x.length + 1 : a))
    .sort((p, q) => p - q)
    .join(',');
  const keep = int(v, 'keepdims', 1) === 1;
  if (x.length !== 3 || (axes !== '2,3' && axes !== '1,2')) return reduce(v, ctx);
  let cur = v.inputs[0]!;
  const C = axes === '2,3' ? x[0]! : x[2]!;
  if (axes === '1,2') {
    const t = ctx.freshTensor(v.output);
    ctx.emit({ op: 'Transpose', name: ctx.uniqueName(`${v.name}_nchw`), inputs: [cur], output: t, attrs: { perm: [2, 0, 1] } });
    cur = t;
  }
  const needsReshape = !keep || axes === '1,2';
  const g = needsReshape ? ctx.freshTensor(v.output) : v.output;
  ctx.emit({ op: 'GlobalAveragePool', name: needsReshape ? ctx.uniqueName(`${v.name}_gap`) : v.name, inputs: [cur], output: g });
  if (needsReshape)
    ctx.emit({
      op: 'Reshape',
      name: v.name,
      inputs: [g],
      output: v.output,
      attrs: { shape: !keep ? [C] : axes === '1,2' ? [1, 1, C] : [C, 1, 1] },
    });
}

/** Ops helu-sim translates, for the error message. */
export const SUPPORTED_OPS = [
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Conv',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Flatten',
  'Reshape',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'BatchNormalization',
  'Concat',
  'Softmax',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Elu',
  'HardSigmoid',
  'HardSwish',
  'Clip',
  'Gelu',
  'Identity',
  'Dropout',
  'Constant',
  'LogSoftmax',
  'PRelu',
  'Pad',
  'Slice',
  'Split',
  'Gather',
  'Resize (nearest)',
  'Upsample (nearest)',
  'Expand',
  'Cast',
  'Where',
  'Sum',
  'Mean',
  ...UNARY_OPS,
  ...BINARY_OPS,
  ...REDUCE_OPS,
];

/** Translates one (non-constant) ONNX node into graph nodes. */
export function translateNode(v: OnnxNodeView, ctx: TranslateContext): void {
  const alpha = v.attrs.get('alpha') as number | undefined;
  switch (v.op) {
    case 'Gemm':
      return gemm(v, ctx);
    case 'MatMul':
      return matMul(v, ctx);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return binary(v, ctx, v.op);
    case 'Conv':
      return conv(v, ctx);
    case 'MaxPool':
    case 'AveragePool':
      return pool(v, ctx, v.op);
    case 'GlobalAveragePool':
      ctx.runtime(v, v.inputs[0]);
      return ctx.emit({ op: 'GlobalAveragePool', name: v.name, inputs: [v.inputs[0]!], output: v.output });
    case 'Flatten':
      return flatten(v, ctx);
    case 'Reshape':
      return reshapeTo(v, ctx, [...ctx.constant(v, v.inputs[1], 'shape').data], int(v, 'allowzero', 0) === 1);
    case 'Squeeze':
    case 'Unsqueeze':
      return squeezeLike(v, ctx);
    case 'Transpose': {
      const x = ctx.runtime(v, v.inputs[0]);
      const perm = ints(v, 'perm') ?? [...Array(x.length + 1).keys()].reverse();
      if (perm[0] !== 0) bad(v, `perm [${perm}] moves the batch axis`);
      return ctx.emit({
        op: 'Transpose',
        name: v.name,
        inputs: [v.inputs[0]!],
        output: v.output,
        attrs: { perm: perm.slice(1).map((p) => p - 1) },
      });
    }
    case 'BatchNormalization': {
      ctx.runtime(v, v.inputs[0]);
      if (int(v, 'training_mode', 0) !== 0) bad(v, 'training_mode = 1 is not supported (inference only)');
      const [scale, bias, mean, vr] = [1, 2, 3, 4].map((i) => ctx.constant(v, v.inputs[i], ['', 'scale', 'bias', 'mean', 'var'][i]!));
      const epsilon = (v.attrs.get('epsilon') as number | undefined) ?? 1e-5;
      return ctx.emit({
        op: 'BatchNormalization',
        name: v.name,
        inputs: [v.inputs[0]!],
        output: v.output,
        attrs: { epsilon },
        weights: { scale: scale!, bias: bias!, mean: mean!, var: vr! },
      });
    }
    case 'Concat':
      return concat(v, ctx);
    case 'Softmax':
    case 'LogSoftmax':
      return softmax(v, ctx);
    case 'Relu':
      return activation(v, ctx, { kind: 'relu' });
    case 'LeakyRelu':
      return activation(v, ctx, { kind: 'leakyrelu', alpha: alpha ?? 0.01 });
    case 'Sigmoid':
      return activation(v, ctx, { kind: 'sigmoid' });
    case 'Tanh':
      return activation(v, ctx, { kind: 'tanh' });
    case 'Elu':
      return activation(v, ctx, { kind: 'elu', alpha: alpha ?? 1 });
    case 'HardSwish':
      return activation(v, ctx, { kind: 'hardswish' });
    case 'HardSigmoid':
      return hardSigmoid(v, ctx);
    case 'Clip':
      return clip(v, ctx);
    case 'Gelu':
      return gelu(v, ctx);
    case 'ReduceMean':
      return reduceMean(v, ctx);
    case 'Cast':
      return cast(v, ctx);
    case 'Where':
      return where(v, ctx);
    case 'PRelu':
      return prelu(v, ctx);
    case 'Sum':
    case 'Mean':
      return sumMean(v, ctx);
    case 'Expand':
      return expand(v, ctx);
    case 'Pad':
      return pad(v, ctx);
    case 'Slice':
      return slice(v, ctx);
    case 'Split':
      return split(v, ctx);
    case 'Gather':
      return gatherData(v, ctx);
    case 'Resize':
      return resize(v, ctx);
    case FUSED_OP:
      return activation(v, ctx, parseActivation(v.proto.docString!.slice(ACTIVATION_MARK.length)));
    case 'Dropout':
      if ((v.inputs[2] ? ctx.constant(v, v.inputs[2], 'training_mode').data[0] : 0) !== 0)
        bad(v, 'training_mode = true is not supported (inference only)');
      ctx.runtime(v, v.inputs[0]);
      return ctx.setAlias(v.output, v.inputs[0]!);
    case 'Identity':
      ctx.runtime(v, v.inputs[0]);
      return ctx.setAlias(v.output, v.inputs[0]!);
  }
  if (UNARY_OPS.has(v.op)) return unary(v, ctx, v.op as UnaryFn);
  if (BINARY_OPS.has(v.op)) return binaryFn(v, ctx, v.op as BinaryFn);
  if (REDUCE_OPS.has(v.op)) return reduce(v, ctx);
  throw new UserError(`unsupported ONNX op '${v.op}' (node '${v.name}'); supported: ${SUPPORTED_OPS.join(', ')}`);
}
