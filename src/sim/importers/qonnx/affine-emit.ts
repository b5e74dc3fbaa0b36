import { UserError } from '../../../errors.js';
import type { OnnxTypes } from '../../../models/onnx/proto.js';
import type { NodeView } from '../quantized-onnx/read.js';

/*
 * What the affine QONNX rewrite (affine.ts) emits: ONNX initializers and
 * nodes of the equivalent QDQ graph, with the scale each quantized output has.
 */

export const T = { float: 1, uint8: 2, int8: 3, int32: 6 } as const;

export function fail(v: NodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

export function init(name: string, type: keyof typeof T, dims: number[], values: ArrayLike<number>): OnnxTypes.ITensorProto {
  const width = type === 'float' || type === 'int32' ? 4 : 1;
  const raw = new Uint8Array(width * values.length);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (type === 'float') dv.setFloat32(4 * i, x, true);
    else if (type === 'int32') dv.setInt32(4 * i, x, true);
    else if (type === 'int8') dv.setInt8(i, x);
    else dv.setUint8(i, x);
  }
  return { name, dims, dataType: T[type], rawData: raw };
}

/** What the rewrite knows of a Quant output: its scale(s) (for biases). */
export type Scales = Map<string, number[]>;

export interface Out {
  nodes: OnnxTypes.INodeProto[];
  inits: OnnxTypes.ITensorProto[];
  scales: Scales;
  /** Runtime tensors on the grid of one scale: the zero point and type of the quantization that put them there. */
  grids: Map<string, { zp: number; type: 'int8' | 'uint8' }>;
}

/** QuantizeLinear + DequantizeLinear of `x` into `out` at one scale and zero point, 8-bit type. */
export function qdqPair(x: string, out: string, name: string, scale: number, z: number, type: 'int8' | 'uint8', o: Out): void {
  o.inits.push(init(`${out}__scale`, 'float', [], [scale]), init(`${out}__zp`, type, [], [z]));
  o.nodes.push({ opType: 'QuantizeLinear', name: `${name}__q`, input: [x, `${out}__scale`, `${out}__zp`], output: [`${out}__q`] });
  o.nodes.push({ opType: 'DequantizeLinear', name, input: [`${out}__q`, `${out}__scale`, `${out}__zp`], output: [out] });
}

/** DequantizeLinear of one int8 code at `scale` (zero point 0) into `name`: a constant operand of an Add. */
export function scalarDq(name: string, node: string, code: number, scale: number, o: Out): void {
  o.inits.push(
    init(`${name}__codes`, 'int8', [], [code]),
    init(`${name}__scale`, 'float', [], [scale]),
    init(`${name}__zp`, 'int8', [], [0]),
  );
  o.nodes.push({ opType: 'DequantizeLinear', name: node, input: [`${name}__codes`, `${name}__scale`, `${name}__zp`], output: [name] });
}

/**
 * `x` as the output of a DequantizeLinear: itself when one produces it, else
 * (a value its grid was carried to through Flatten, MaxPool, Relu, ...) a
 * QuantizeLinear/DequantizeLinear pair at its scale, zero point and type, which
 * changes no value.
 */
export function dequantized(x: string, node: string, o: Out): string | undefined {
  if (o.nodes.some((n) => n.opType === 'DequantizeLinear' && n.output?.[0] === x)) return x;
  const s = o.scales.get(x),
    q = o.grids.get(x);
  if (s?.length !== 1 || !q) return undefined;
  qdqPair(x, `${x}__grid`, `${node}__grid`, s[0]!, q.zp, q.type, o);
  return `${x}__grid`;
}
