import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { AffineQuant } from '../../quantize/model.js';
import type { ImportContext, Pending, Value } from './context.js';
import { codesOf, constant, quantOf, sameQuant } from './params.js';
import type { NodeView } from './read.js';
import { intAttr } from './window.js';

/*
 * QuantizeLinear and DequantizeLinear: the edges of quantized tensors. A
 * QuantizeLinear gives the graph input its quantization, finishes the layer
 * a QDQ float op (or an integer op's rescale) started, or requantizes a
 * dequantized tensor; a DequantizeLinear views a quantized tensor or
 * constant as real values.
 */

/** QuantizeLinear: quantizes the graph input, finishes a pending layer, or requantizes a dequantized tensor. */
export function quantizeLinear(ctx: ImportContext, v: NodeView): void {
  const val = ctx.value(v, v.inputs[0], 'input');
  const out = v.outputs[0]!;
  const q = quantOf(ctx, v, v.inputs[1]!, v.inputs[2] || undefined, 'output');
  if (q.type === 'int32') throw new UserError(`node '${v.name}' (QuantizeLinear): runtime tensors must be int8 or uint8`);
  switch (val.kind) {
    case 'raw':
      if (
        ctx.inputQuant &&
        (!sameQuant(ctx.inputQuant, q) || JSON.stringify([val.shape, val.steps]) !== JSON.stringify([ctx.inputShape, ctx.inputSteps]))
      ) {
        throw new UserError(`node '${v.name}' (QuantizeLinear): the input is quantized twice, with different parameters or normalization`);
      }
      ctx.inputQuant = q;
      ctx.inputShape = val.shape;
      ctx.inputSteps = val.steps;
      ctx.tensors.set(ctx.graph.input.name, { shape: val.shape, quant: q });
      ctx.values.set(out, { kind: 'q', tensor: ctx.graph.input.name });
      return;
    case 'float':
      ctx.formats.add('QDQ');
      ctx.emit(val.layer, out, q, v);
      return;
    case 'acc':
      return finishRescale(ctx, v, val, q);
    case 'dq':
      if (sameQuant(ctx.info(val.tensor).quant, q)) ctx.values.set(out, { kind: 'q', tensor: val.tensor });
      else ctx.emit({ name: v.name, op: 'concat', inputs: [val.tensor], axis: 0 } as Pending, out, q, v);
      return;
    default:
      throw new UserError(`node '${v.name}' (QuantizeLinear): cannot quantize '${v.inputs[0]}' (${val.kind})`);
  }
}

function finishRescale(ctx: ImportContext, v: NodeView, val: Extract<Value, { kind: 'acc' }>, q: AffineQuant): void {
  if (!val.float || !val.scale)
    throw new UserError(`node '${v.name}' (QuantizeLinear): the integer product must be cast to float and multiplied by its scale first`);
  ctx.formats.add('QOperator');
  const rescale = { scale: val.scale, ...(val.bias ? { bias: val.bias } : {}) };
  ctx.emit({ ...val.layer, rescale } as Pending, v.outputs[0]!, q, v);
}

/** DequantizeLinear: of a constant (weights, bias) or of a quantized runtime tensor. */
export function dequantizeLinear(ctx: ImportContext, v: NodeView): void {
  const [x, s, z] = v.inputs;
  const out = v.outputs[0]!;
  if (ctx.consts.has(x!)) {
    const c = codesOf(ctx, v, x!, 'quantized constant');
    const axis = intAttr(v, 'axis', 1);
    const channels = c.shape.length > 0 ? (c.shape[axis < 0 ? axis + c.shape.length : axis] ?? 1) : 1;
    const quant = quantOf(ctx, v, s!, z || undefined, 'constant', channels, constant(ctx, v, x!, 'constant').elemType);
    if (quant.scale.length > 1) quant.axis = axis < 0 ? axis + c.shape.length : axis;
    if (sizeOf(c.shape) !== c.codes.length) throw new Error('internal: constant size');
    ctx.values.set(out, { kind: 'wdq', c: { shape: c.shape, codes: c.codes, quant } });
    return;
  }
  const t = ctx.tensorOf(v, x!, ['q'], 'input');
  const q = quantOf(ctx, v, s!, z || undefined, 'input', 1, ctx.info(t).quant.type === 'int8' ? 3 : 2);
  if (!sameQuant(ctx.info(t).quant, q))
    throw new UserError(
      `node '${v.name}' (DequantizeLinear): scale/zero point differ from those of the QuantizeLinear that produced '${x}'`,
    );
  ctx.values.set(out, { kind: 'dq', tensor: t });
}
