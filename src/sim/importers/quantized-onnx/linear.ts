import { UserError } from '../../../errors.js';
import type { AffineQuant, IntAccumulator } from '../../quantize/model.js';
import type { ImportContext, Pending, QConst } from './context.js';
import { sameQuant, transpose2 } from './params.js';
import type { NodeView } from './read.js';
import { intAttr, windowOf } from './window.js';

/** ONNX: products never overflow, accumulation may wrap only in 32 bits. */
export const ACC32: IntAccumulator = { kind: 'int', bits: 32, overflow: 'WRAP' };

/** The operand's quant must be the tensor's own (the node reads the codes with the parameters they were written with). */
export function checkInputQuant(ctx: ImportContext, v: NodeView, tensor: string, q: AffineQuant, what: string): void {
  if (!sameQuant(ctx.info(tensor).quant, q)) {
    const t = ctx.info(tensor).quant;
    throw new UserError(
      `node '${v.name}' (${v.op}): ${what} scale/zero point (${q.scale[0]}, ${q.zeroPoint[0]}) differ from those its producer wrote (${t.scale[0]}, ${t.zeroPoint[0]})`,
    );
  }
}

/** Conv layer over tensor x with weights [M, C/group, kh, kw]. */
export function convPending(ctx: ImportContext, v: NodeView, x: string, w: QConst, bias?: number[]): Pending {
  if (w.quant.scale.length > 1 && (w.quant.axis ?? 0) !== 0)
    throw new UserError(`node '${v.name}' (${v.op}): per-channel weight scales must run along axis 0 (output channels)`);
  if (w.shape.length !== 4)
    throw new UserError(`node '${v.name}' (${v.op}): weights must be [M, C/group, kh, kw]; got [${w.shape.join(',')}]`);
  const win = windowOf(v, ctx.info(x).shape, [w.shape[2]!, w.shape[3]!]);
  if (bias && bias.length !== w.shape[0])
    throw new UserError(`node '${v.name}' (${v.op}): bias has ${bias.length} values for ${w.shape[0]} output channels`);
  return {
    name: v.name,
    op: 'conv',
    inputs: [x],
    ...win,
    group: intAttr(v, 'group', 1),
    weights: { shape: w.shape, codes: w.codes, quant: w.quant },
    ...(bias ? { bias } : {}),
    acc: ACC32,
  } as Pending;
}

/**
 * Dense layer over tensor a ([..., K]) with weights given as B [K, N] (MatMul
 * layout) or, with transB, [N, K]. Per-column scales of B are the layer's
 * per-output-channel scales.
 */
export function densePending(_ctx: ImportContext, v: NodeView, a: string, b: QConst, transB: boolean, bias?: number[]): Pending {
  if (b.shape.length !== 2) throw new UserError(`node '${v.name}' (${v.op}): the weight matrix must be 2-D; got [${b.shape.join(',')}]`);
  const [r, c] = b.shape as [number, number];
  const [n, k] = transB ? [r, c] : [c, r];
  const axis = transB ? 0 : 1;
  if (b.quant.scale.length > 1 && b.quant.axis !== axis) {
    throw new UserError(
      `node '${v.name}' (${v.op}): per-channel weight scales must run along the output axis (${axis} of [${b.shape.join(',')}]), got axis ${b.quant.axis}`,
    );
  }
  const codes = transB ? b.codes : transpose2(b.codes, r, c);
  if (bias && bias.length !== n && bias.length !== 1)
    throw new UserError(`node '${v.name}' (${v.op}): bias has ${bias.length} values for ${n} outputs`);
  const full = bias && bias.length === 1 ? new Array<number>(n).fill(bias[0]!) : bias;
  return {
    name: v.name,
    op: 'dense',
    inputs: [a],
    weights: { shape: [n, k], codes, quant: outputAxis(b.quant) },
    ...(full ? { bias: full } : {}),
    acc: ACC32,
  } as Pending;
}

/** The weight quant with per-channel scales on axis 0 of the [N, K] / [M, ...] layer weights. */
function outputAxis(q: AffineQuant): AffineQuant {
  const { axis: _axis, ...rest } = q;
  return q.scale.length > 1 ? { ...rest, axis: 0 } : rest;
}
