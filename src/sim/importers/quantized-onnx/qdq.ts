import { UserError } from '../../../errors.js';
import type { FusedActivation } from '../../quantize/affine/types.js';
import type { ImportContext, Pending, QConst, Value } from './context.js';
import { convPending, densePending } from './linear.js';
import { addPads, pad, paddedInput } from './float-glue.js';
import { constant } from './params.js';
import type { NodeView } from './read.js';
import { intAttr, windowOf } from './window.js';

/*
 * QDQ models: QuantizeLinear / DequantizeLinear pairs around float ops
 * (the pairs themselves: edges.ts). A
 * float op whose runtime inputs are DequantizeLinear outputs of quantized
 * tensors, and whose constants are DequantizeLinear outputs of quantized
 * initializers, becomes a layer once the QuantizeLinear of its result gives
 * the output quantization (onnxruntime fuses the same groups into QLinear
 * kernels). Data movement (MaxPool, Flatten, Reshape, Transpose) keeps the
 * codes and their quant.
 */

type Handler = (ctx: ImportContext, v: NodeView) => void;

/** A runtime operand of a QDQ float op: the quantized tensor behind a DequantizeLinear. */
function dqTensor(ctx: ImportContext, v: NodeView, i: number): string {
  return ctx.tensorOf(v, v.inputs[i]!, ['dq'], `input ${i}`);
}

function wdq(ctx: ImportContext, v: NodeView, i: number, what: string): QConst {
  const val = ctx.values.get(v.inputs[i]!);
  if (val?.kind === 'wdq') return val.c;
  if (ctx.consts.has(v.inputs[i]!))
    throw new UserError(
      `node '${v.name}' (${v.op}): ${what} '${v.inputs[i]}' is a float constant; a QDQ model quantizes it (DequantizeLinear of an int8/uint8 initializer, int32 for a bias)`,
    );
  throw new UserError(`node '${v.name}' (${v.op}): ${what} '${v.inputs[i]}' must be the DequantizeLinear of a constant`);
}

/**
 * An int32 bias must be at the accumulator's scale: zero point 0, scale
 * float32(s_x * s_w[c]) within float32 rounding (onnxruntime's fused kernels
 * add the int32 codes as they are).
 */
function biasCodes(ctx: ImportContext, v: NodeView, b: QConst | undefined, x: string, w: QConst): number[] | undefined {
  if (!b) return undefined;
  if (b.quant.type !== 'int32') throw new UserError(`node '${v.name}' (${v.op}): the bias must be int32 (got ${b.quant.type})`);
  const sx = ctx.info(x).quant.scale[0]!;
  b.codes.forEach((_, c) => {
    const s = b.quant.scale.length === 1 ? b.quant.scale[0]! : b.quant.scale[c]!;
    const sw = w.quant.scale.length === 1 ? w.quant.scale[0]! : w.quant.scale[c]!;
    const want = Math.fround(sx * sw);
    if (Math.abs(s - want) > want * 2 ** -20 || b.quant.zeroPoint.some((z) => z !== 0)) {
      throw new UserError(
        `node '${v.name}' (${v.op}): bias scale ${s} (channel ${c}) must equal input scale * weight scale = ${want} with zero point 0`,
      );
    }
  });
  return b.codes;
}

const conv: Handler = (ctx, v) => {
  const { tensor: x, pads } = paddedInput(ctx, v);
  const w = wdq(ctx, v, 1, 'weights');
  const b = v.inputs[2] ? wdq(ctx, v, 2, 'bias') : undefined;
  const layer = convPending(ctx, v, x, w, biasCodes(ctx, v, b, x, w)) as Pending & { pads: [number, number, number, number] };
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { ...layer, pads: addPads(layer.pads, pads) } as Pending });
};

const gemm: Handler = (ctx, v) => {
  if (intAttr(v, 'transA', 0) !== 0) throw new UserError(`node '${v.name}' (Gemm): transA = 1 is not supported`);
  for (const k of ['alpha', 'beta']) {
    const a = v.attrs.get(k);
    if (a !== undefined && a !== 1) throw new UserError(`node '${v.name}' (Gemm): ${k} ${String(a)} is not supported (only 1)`);
  }
  const x = dqTensor(ctx, v, 0);
  const w = wdq(ctx, v, 1, 'weights');
  const b = v.inputs[2] ? wdq(ctx, v, 2, 'bias') : undefined;
  const transB = intAttr(v, 'transB', 0) === 1;
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: densePending(ctx, v, x, w, transB, biasCodes(ctx, v, b, x, w)) });
};

const matmul: Handler = (ctx, v) => {
  const x = dqTensor(ctx, v, 0);
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: densePending(ctx, v, x, wdq(ctx, v, 1, 'weights'), false) });
};

/** Add: of two dequantized tensors, of one and a dequantized constant, or an int32 bias onto a pending MatMul/Conv. */
const add: Handler = (ctx, v) => {
  const vals = v.inputs.map((i) => ctx.values.get(i));
  const pend = vals.findIndex((x) => x?.kind === 'float');
  if (pend >= 0) {
    const p = (vals[pend] as Extract<Value, { kind: 'float' }>).layer as Pending & { bias?: number[]; weights: QConst };
    const b = wdq(ctx, v, 1 - pend, 'bias');
    if ((p.op !== 'dense' && p.op !== 'conv') || p.bias || p.activation)
      throw new UserError(`node '${v.name}' (Add): adds a constant to '${p.name}', which is not a MatMul/Conv without bias`);
    const bias = biasCodes(ctx, v, b, p.inputs[0]!, p.weights);
    ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { ...p, bias } as Pending });
    return;
  }
  if (vals.every((x) => x?.kind === 'dq')) {
    ctx.values.set(v.outputs[0]!, {
      kind: 'float',
      layer: { name: v.name, op: 'add', inputs: [dqTensor(ctx, v, 0), dqTensor(ctx, v, 1)] } as Pending,
    });
    return;
  }
  const ci = vals[0]?.kind === 'wdq' ? 0 : 1;
  const c = wdq(ctx, v, ci, 'constant operand');
  const x = dqTensor(ctx, v, 1 - ci);
  const rank = ctx.info(x).shape.length;
  const shape = c.shape.length === rank + 1 && c.shape[0] === 1 ? c.shape.slice(1) : c.shape;
  const constant = { shape, codes: c.codes, quant: c.quant, ...(ci === 0 ? { first: true } : {}) };
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { name: v.name, op: 'add', inputs: [x], constant } as Pending });
};

/** Relu / Clip(0, 6): fused into a pending layer; on a dequantized tensor an activation layer. */
function fusable(act: FusedActivation, text: string): Handler {
  return (ctx, v) => {
    const val = ctx.value(v, v.inputs[0], 'input');
    if (val.kind === 'float' && !val.layer.activation && ['dense', 'conv', 'add'].includes(val.layer.op)) {
      ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { ...val.layer, activation: act } as Pending });
    } else if (val.kind === 'acc' && val.float && !val.layer.activation) {
      ctx.values.set(v.outputs[0]!, { ...val, layer: { ...val.layer, activation: act } as Pending });
    } else activationOn(ctx, v, text);
  };
}

function activationOn(ctx: ImportContext, v: NodeView, text: string): void {
  const x = dqTensor(ctx, v, 0);
  const layer = {
    name: v.name,
    op: 'activation',
    inputs: [x],
    activation: text,
    in: ctx.info(x).quant,
    circuit: { name: '', gates: 0, depth: 0, transistors: 0 },
  };
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: layer as unknown as Pending });
}

function clipBounds(ctx: ImportContext, v: NodeView): [number, number] {
  const lo = v.inputs[1] ? constant(ctx, v, v.inputs[1], 'min').tensor.data[0]! : ((v.attrs.get('min') as number | undefined) ?? -Infinity);
  const hi = v.inputs[2] ? constant(ctx, v, v.inputs[2], 'max').tensor.data[0]! : ((v.attrs.get('max') as number | undefined) ?? Infinity);
  return [lo, hi];
}

const clip: Handler = (ctx, v) => {
  const [lo, hi] = clipBounds(ctx, v);
  if (lo === 0 && hi === 6) return fusable('relu6', 'relu6')(ctx, v);
  if (lo === 0 && hi === Infinity) return fusable('relu', 'relu')(ctx, v);
  activationOn(ctx, v, `clamp:${lo}:${hi}`);
};

function floatAttr(v: NodeView, key: string, fallback: number): number {
  const a = v.attrs.get(key);
  return typeof a === 'number' ? a : fallback;
}

const ACTIVATIONS: Record<string, (v: NodeView) => string> = {
  Sigmoid: () => 'sigmoid',
  Tanh: () => 'tanh',
  LeakyRelu: (v) => `leakyrelu:${floatAttr(v, 'alpha', 0.01)}`,
  Elu: (v) => `elu:${floatAttr(v, 'alpha', 1)}`,
  HardSwish: () => 'hardswish',
  HardSigmoid: (v) => {
    if (Math.fround(floatAttr(v, 'alpha', 0.2)) !== Math.fround(1 / 6) || floatAttr(v, 'beta', 0.5) !== 0.5) {
      throw new UserError(`node '${v.name}' (HardSigmoid): only alpha = 1/6, beta = 0.5 (PyTorch's hardsigmoid) is supported`);
    }
    return 'hardsigmoid';
  },
};

/**
 * AveragePool, after a Pad or not: the Pad's zeros are elements of the
 * pooled tensor, so they count in every window (countIncludePad); the pool's
 * own pads may join them only when they count too.
 */
const avgPool: Handler = (ctx, v) => {
  const { tensor: x, pads } = paddedInput(ctx, v);
  const win = windowOf(v, ctx.info(x).shape);
  let countIncludePad = intAttr(v, 'count_include_pad', 0) === 1;
  if (pads) {
    if (!countIncludePad && win.pads.some((p) => p !== 0))
      throw new UserError(`node '${v.name}' (AveragePool): padding both by a Pad and by pads with count_include_pad 0 is not supported`);
    countIncludePad = true;
  }
  const attrs = { ...win, pads: addPads(win.pads, pads), ceilMode: intAttr(v, 'ceil_mode', 0) === 1, countIncludePad };
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { name: v.name, op: 'avgpool', inputs: [x], ...attrs } as Pending });
};

const globalAvgPool: Handler = (ctx, v) => {
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { name: v.name, op: 'globalavgpool', inputs: [dqTensor(ctx, v, 0)] } as Pending });
};

const concat: Handler = (ctx, v) => {
  const inputs = v.inputs.map((_, i) => dqTensor(ctx, v, i));
  const rank = ctx.info(inputs[0]!).shape.length + 1;
  let axis = intAttr(v, 'axis', 1);
  if (axis < 0) axis += rank;
  if (axis < 1 || axis >= rank) throw new UserError(`node '${v.name}' (Concat): axis ${axis} must be a non-batch axis`);
  ctx.values.set(v.outputs[0]!, { kind: 'float', layer: { name: v.name, op: 'concat', inputs, axis: axis - 1 } as Pending });
};

export const QDQ_HANDLERS: Record<string, Handler> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matmul,
  Add: add,
  Relu: fusable('relu', 'relu'),
  Clip: clip,
  AveragePool: avgPool,
  GlobalAveragePool: globalAvgPool,
  Pad: pad,
  Concat: concat,
  ...Object.fromEntries(
    Object.entries(ACTIVATIONS).map(([op, text]) => [op, (ctx: ImportContext, v: NodeView) => activationOn(ctx, v, text(v))]),
  ),
};
