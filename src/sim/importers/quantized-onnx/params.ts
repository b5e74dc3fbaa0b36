import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { AffineQuant } from '../../quantize/model.js';
import { AFFINE_RANGE, isFloat32Scale } from '../../quantize/affine/types.js';
import type { ImportContext, QConst } from './context.js';
import { ELEM, type Const, type NodeView } from './read.js';

/*
 * Scales, zero points and quantized constants of ONNX quantization nodes.
 * Scales are float32 tensors; a zero point's element type (uint8 / int8 /
 * int32) is the quantized type, uint8 when the zero point is omitted (ONNX).
 */

export function constant(ctx: ImportContext, v: NodeView, name: string | undefined, what: string): Const {
  const c = name ? ctx.consts.get(name) : undefined;
  if (!c) throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name ?? ''}' must be a constant (initializer or Constant node)`);
  return c;
}

export function typeOfElem(elem: number, v: NodeView, what: string): 'int8' | 'uint8' | 'int32' {
  if (elem === ELEM.INT8) return 'int8';
  if (elem === ELEM.UINT8) return 'uint8';
  if (elem === ELEM.INT32) return 'int32';
  throw new UserError(`node '${v.name}' (${v.op}): ${what} has element type ${elem}; accepted: int8, uint8 (and int32 for biases)`);
}

function scales(ctx: ImportContext, v: NodeView, name: string, what: string): number[] {
  const c = constant(ctx, v, name, `${what} scale`);
  const s = Array.from(c.tensor.data);
  s.forEach((x) => {
    if (!isFloat32Scale(x)) throw new UserError(`node '${v.name}' (${v.op}): ${what} scale ${x} must be a positive finite float32`);
  });
  return s;
}

/** Quant of a scale/zero-point pair; `channels` > 1 allows per-channel (one entry per channel); `elemType`: the quantized tensor's type, which a given zero point must have. */
export function quantOf(
  ctx: ImportContext,
  v: NodeView,
  scaleName: string,
  zpName: string | undefined,
  what: string,
  channels = 1,
  elemType?: number,
): AffineQuant {
  const s = scales(ctx, v, scaleName, what);
  const zpc = zpName ? constant(ctx, v, zpName, `${what} zero point`) : undefined;
  const type = typeOfElem(zpc?.elemType ?? elemType ?? ELEM.UINT8, v, `${what} zero point`);
  if (zpc && elemType !== undefined && zpc.elemType !== elemType) {
    // ONNX: the zero point has the quantized tensor's type (T2 of QLinearMatMul/QLinearConv, T of DequantizeLinear)
    throw new UserError(
      `node '${v.name}' (${v.op}): ${what} zero point is ${type} but the ${what} is ${typeOfElem(elemType, v, what)}; the zero point must have the tensor's type`,
    );
  }
  const zp = zpc ? Array.from(zpc.tensor.data) : s.map(() => 0);
  if (zp.length !== s.length)
    throw new UserError(`node '${v.name}' (${v.op}): ${what} has ${s.length} scales but ${zp.length} zero points`);
  if (s.length !== 1 && s.length !== channels)
    throw new UserError(
      `node '${v.name}' (${v.op}): ${what} has ${s.length} scales; expected 1${channels > 1 ? ` or ${channels}` : ''} (per tensor${channels > 1 ? ' or per channel' : ''})`,
    );
  const [lo, hi] = AFFINE_RANGE[type];
  zp.forEach((z) => {
    if (!Number.isInteger(z) || z < lo || z > hi)
      throw new UserError(`node '${v.name}' (${v.op}): ${what} zero point ${z} is outside ${type}`);
  });
  return s.length === 1 ? { kind: 'affine', type, scale: s, zeroPoint: zp } : { kind: 'affine', type, scale: s, zeroPoint: zp, axis: 0 };
}

/** A quantized constant (its codes as integers of its element type). */
export function codesOf(
  ctx: ImportContext,
  v: NodeView,
  name: string,
  what: string,
): { shape: number[]; codes: number[]; type: 'int8' | 'uint8' | 'int32' } {
  const c = constant(ctx, v, name, what);
  return { shape: [...c.tensor.shape], codes: Array.from(c.tensor.data), type: typeOfElem(c.elemType, v, what) };
}

/** True when two per-tensor quants are equal (type, scale, zero point). */
export function sameQuant(a: AffineQuant, b: AffineQuant): boolean {
  return (
    a.type === b.type &&
    a.scale.length === b.scale.length &&
    a.scale.every((s, i) => s === b.scale[i]) &&
    a.zeroPoint.every((z, i) => z === b.zeroPoint[i])
  );
}

/** Transposes a row-major [R, C] code array to [C, R]. */
export function transpose2(codes: readonly number[], rows: number, cols: number): number[] {
  const out = new Array<number>(codes.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = codes[r * cols + c]!;
  return out;
}

/** Checks that a constant's codes fill its shape. */
export function qconst(shape: number[], codes: number[], quant: AffineQuant): QConst {
  if (codes.length !== sizeOf(shape)) throw new Error(`internal: ${codes.length} codes for shape [${shape.join(',')}]`);
  return { shape, codes, quant };
}
