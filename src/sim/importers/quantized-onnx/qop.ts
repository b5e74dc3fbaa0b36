import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { ImportContext, Pending } from './context.js';
import { checkInputQuant, convPending, densePending } from './linear.js';
import { codesOf, constant, quantOf } from './params.js';
import type { NodeView } from './read.js';
import { intAttr, windowOf } from './window.js';

/*
 * QOperator nodes: operators on quantized tensors that carry their own
 * scales and zero points (QLinearConv, QLinearMatMul, QGemm, QLinearAdd,
 * QLinearConcat, the QLinear pools), and MatMulInteger / ConvInteger whose
 * int32 result is rescaled by float ops before a QuantizeLinear.
 */

type Handler = (ctx: ImportContext, v: NodeView) => void;

/** Weights with their quant; per-channel scales run along `axis` of the weight tensor. */
function weightsOf(ctx: ImportContext, v: NodeView, w: string, scale: string, zp: string | undefined, axis: number) {
  const c = codesOf(ctx, v, w, 'weights');
  if (c.type === 'int32') throw new UserError(`node '${v.name}' (${v.op}): weights must be int8 or uint8`);
  const elem = constant(ctx, v, w, 'weights').elemType;
  const quant = quantOf(ctx, v, scale, zp || undefined, 'weight', c.shape[axis] ?? 1, elem);
  if (quant.scale.length > 1) quant.axis = axis;
  return { shape: c.shape, codes: c.codes, quant };
}

function biasOf(ctx: ImportContext, v: NodeView, name: string | undefined): number[] | undefined {
  if (!name) return undefined;
  const b = codesOf(ctx, v, name, 'bias');
  if (b.type !== 'int32') throw new UserError(`node '${v.name}' (${v.op}): bias must be int32`);
  return b.codes;
}

function inputTensor(ctx: ImportContext, v: NodeView, i: number, scale: string, zp: string): string {
  const t = ctx.tensorOf(v, v.inputs[i]!, ['q'], 'input');
  checkInputQuant(ctx, v, t, quantOf(ctx, v, scale, zp || undefined, 'input', 1, ctx.info(t).quant.type === 'int8' ? 3 : 2), 'input');
  return t;
}

const qlinearConv: Handler = (ctx, v) => {
  const [, xs, xz, w, ws, wz, ys, yz, b] = v.inputs;
  const x = inputTensor(ctx, v, 0, xs!, xz!);
  const weights = weightsOf(ctx, v, w!, ws!, wz, 0);
  ctx.emit(convPending(ctx, v, x, weights, biasOf(ctx, v, b)), v.outputs[0]!, quantOf(ctx, v, ys!, yz, 'output'), v);
};

const qlinearMatMul: Handler = (ctx, v) => {
  const [, as, az, b, bs, bz, ys, yz] = v.inputs;
  const a = inputTensor(ctx, v, 0, as!, az!);
  const weights = weightsOf(ctx, v, b!, bs!, bz, 1);
  ctx.emit(densePending(ctx, v, a, weights, false), v.outputs[0]!, quantOf(ctx, v, ys!, yz, 'output'), v);
};

const qgemm: Handler = (ctx, v) => {
  const [, as, az, b, bs, bz, c, ys, yz] = v.inputs;
  if (intAttr(v, 'transA', 0) !== 0) throw new UserError(`node '${v.name}' (QGemm): transA = 1 is not supported`);
  const alpha = v.attrs.get('alpha') ?? 1;
  if (alpha !== 1) throw new UserError(`node '${v.name}' (QGemm): alpha ${String(alpha)} is not supported (only 1)`);
  if (!ys) throw new UserError(`node '${v.name}' (QGemm): a float output (no y_scale) is not supported`);
  const a = inputTensor(ctx, v, 0, as!, az!);
  const transB = intAttr(v, 'transB', 0) === 1;
  const weights = weightsOf(ctx, v, b!, bs!, bz, transB ? 0 : 1);
  ctx.emit(densePending(ctx, v, a, weights, transB, biasOf(ctx, v, c)), v.outputs[0]!, quantOf(ctx, v, ys, yz, 'output'), v);
};

/** A constant operand in per-sample form: a leading batch dimension of 1 (full rank) is dropped. */
function perSampleShape(shape: number[], runtimeRank: number): number[] {
  return shape.length === runtimeRank + 1 ? (shape[0] === 1 ? shape.slice(1) : shape) : shape;
}

const qlinearAdd: Handler = (ctx, v) => {
  const [A, as, az, B, bs, bz, cs, cz] = v.inputs;
  const out = quantOf(ctx, v, cs!, cz, 'output');
  const constA = ctx.consts.has(A!),
    constB = ctx.consts.has(B!);
  if (constA && constB) throw new UserError(`node '${v.name}' (QLinearAdd): both operands are constants`);
  if (!constA && !constB) {
    const a = inputTensor(ctx, v, 0, as!, az!);
    const b = inputTensor(ctx, v, 3, bs!, bz!);
    ctx.emit({ name: v.name, op: 'add', inputs: [a, b] } as Pending, v.outputs[0]!, out, v);
    return;
  }
  const [ci, cs2, cz2, xi] = constA ? [A!, as!, az, 3] : [B!, bs!, bz, 0];
  const x = inputTensor(ctx, v, xi, v.inputs[xi + 1]!, v.inputs[xi + 2]!);
  const c = codesOf(ctx, v, ci, 'constant operand');
  const cq = quantOf(ctx, v, cs2, cz2 || undefined, 'constant operand', 1, constant(ctx, v, ci, 'constant').elemType);
  const shape = perSampleShape(c.shape, ctx.info(x).shape.length);
  if (sizeOf(shape) !== c.codes.length)
    throw new UserError(`node '${v.name}' (QLinearAdd): constant shape [${c.shape.join(',')}] does not broadcast per sample`);
  const layer = {
    name: v.name,
    op: 'add',
    inputs: [x],
    constant: { shape, codes: c.codes, quant: cq, ...(constA ? { first: true } : {}) },
  };
  ctx.emit(layer as Pending, v.outputs[0]!, out, v);
};

const qlinearConcat: Handler = (ctx, v) => {
  const [ys, yz, ...rest] = v.inputs;
  if (rest.length < 3 || rest.length % 3 !== 0)
    throw new UserError(
      `node '${v.name}' (QLinearConcat): needs y_scale, y_zero_point, then (tensor, scale, zero point) triples, at least one; got ${v.inputs.length} inputs`,
    );
  const inputs: string[] = [];
  for (let i = 0; i + 2 < rest.length; i += 3) inputs.push(inputTensor(ctx, v, i + 2, rest[i + 1]!, rest[i + 2]!));
  const rank = ctx.info(inputs[0]!).shape.length + 1;
  let axis = intAttr(v, 'axis', 1);
  if (axis < 0) axis += rank;
  if (axis < 1 || axis >= rank) throw new UserError(`node '${v.name}' (QLinearConcat): axis ${axis} must be a non-batch axis`);
  ctx.emit({ name: v.name, op: 'concat', inputs, axis: axis - 1 } as Pending, v.outputs[0]!, quantOf(ctx, v, ys!, yz, 'output'), v);
};

function poolAttrs(v: NodeView, x: number[]) {
  if (intAttr(v, 'channels_last', 0) !== 0) throw new UserError(`node '${v.name}' (${v.op}): channels_last is not supported`);
  return { ...windowOf(v, x), ceilMode: intAttr(v, 'ceil_mode', 0) === 1, countIncludePad: intAttr(v, 'count_include_pad', 0) === 1 };
}

const qlinearAvgPool: Handler = (ctx, v) => {
  const [, xs, xz, ys, yz] = v.inputs;
  const x = inputTensor(ctx, v, 0, xs!, xz!);
  ctx.emit(
    { name: v.name, op: 'avgpool', inputs: [x], ...poolAttrs(v, ctx.info(x).shape) } as Pending,
    v.outputs[0]!,
    quantOf(ctx, v, ys!, yz, 'output'),
    v,
  );
};

const qlinearGlobalAvgPool: Handler = (ctx, v) => {
  const [, xs, xz, ys, yz] = v.inputs;
  if (intAttr(v, 'channels_last', 0) !== 0) throw new UserError(`node '${v.name}' (${v.op}): channels_last is not supported`);
  const x = inputTensor(ctx, v, 0, xs!, xz!);
  ctx.emit({ name: v.name, op: 'globalavgpool', inputs: [x] } as Pending, v.outputs[0]!, quantOf(ctx, v, ys!, yz, 'output'), v);
};

/** MatMulInteger / ConvInteger: the int32 accumulator; its zero points must match the producer's. */
function integerOp(conv: boolean): Handler {
  return (ctx, v) => {
    const [xn, w, xz, wz] = v.inputs;
    const x = ctx.tensorOf(v, xn!, ['q'], 'input');
    const xq = ctx.info(x).quant;
    const zx = xz ? constant(ctx, v, xz, 'input zero point').tensor.data[0]! : 0;
    if (zx !== xq.zeroPoint[0])
      throw new UserError(`node '${v.name}' (${v.op}): input zero point ${zx} differs from the producer's ${xq.zeroPoint[0]}`);
    const c = codesOf(ctx, v, w!, 'weights');
    if (c.type === 'int32') throw new UserError(`node '${v.name}' (${v.op}): weights must be int8 or uint8`);
    const channels = conv ? c.shape[0]! : (c.shape[1] ?? 1);
    const zw = wz ? Array.from(constant(ctx, v, wz, 'weight zero point').tensor.data) : [0];
    const quant = {
      kind: 'affine' as const,
      type: c.type,
      scale: zw.map(() => 1),
      zeroPoint: zw,
      ...(zw.length > 1 ? { axis: conv ? 0 : 1 } : {}),
    };
    if (zw.length !== 1 && zw.length !== channels)
      throw new UserError(`node '${v.name}' (${v.op}): ${zw.length} weight zero points for ${channels} channels`);
    const weights = { shape: c.shape, codes: c.codes, quant };
    const layer = conv ? convPending(ctx, v, x, weights) : densePending(ctx, v, x, weights, false);
    ctx.values.set(v.outputs[0]!, { kind: 'acc', layer, float: false });
  };
}

export const QOP_HANDLERS: Record<string, Handler> = {
  QLinearConv: qlinearConv,
  QLinearMatMul: qlinearMatMul,
  QGemm: qgemm,
  QLinearAdd: qlinearAdd,
  QLinearConcat: qlinearConcat,
  QLinearAveragePool: qlinearAvgPool,
  QLinearGlobalAveragePool: qlinearGlobalAvgPool,
  MatMulInteger: integerOp(false),
  ConvInteger: integerOp(true),
};
