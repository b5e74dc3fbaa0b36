import type * as OnnxProto from 'onnx-proto';
import { UserError } from '../../errors.js';
import { lazyRequire } from '../../lazy.js';
import type { Tensor } from '../graph.js';
import { checkedElementCount } from '../../limits.js';
import { markInteger } from './int-tensors.js';

const onnxProto = lazyRequire<typeof OnnxProto>('onnx-proto');

/** The ONNX protobuf namespace, loaded on first use (onnx-proto's generated protobufjs code takes ~0.1 s to load). */
export const onnx: typeof OnnxProto.onnx = new Proxy({} as typeof OnnxProto.onnx, { get: (_t, k) => Reflect.get(onnxProto().onnx, k) });
export type { onnx as OnnxTypes } from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

/** ONNX AttributeProto.AttributeType codes helu-sim writes and adapts (onnx.proto), usable without loading onnx-proto. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** ONNX TensorProto.DataType codes helu-sim reads. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** protobufjs decodes int64 as Long objects (with the `long` package present) or numbers. */
export function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** IEEE half to double (exact). */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function readRaw(raw: Uint8Array, type: number, n: number, name: string): Float64Array {
  const width: Record<number, number> = {
    [DT.FLOAT]: 4,
    [DT.DOUBLE]: 8,
    [DT.INT32]: 4,
    [DT.INT64]: 8,
    [DT.UINT8]: 1,
    [DT.INT8]: 1,
    [DT.BOOL]: 1,
    [DT.FLOAT16]: 2,
  };
  const w = width[type];
  if (w === undefined)
    throw new UserError(`tensor '${name}': data type ${type} is not supported (float, double, float16, int8/uint8/int32/int64, bool)`);
  if (raw.byteLength !== w * n) throw new UserError(`tensor '${name}': raw data has ${raw.byteLength} bytes, expected ${w * n}`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case DT.FLOAT:
        out[i] = dv.getFloat32(4 * i, true);
        break;
      case DT.DOUBLE:
        out[i] = dv.getFloat64(8 * i, true);
        break;
      case DT.INT32:
        out[i] = dv.getInt32(4 * i, true);
        break;
      case DT.INT64:
        out[i] = Number(dv.getBigInt64(8 * i, true));
        break;
      case DT.UINT8:
      case DT.BOOL:
        out[i] = dv.getUint8(i);
        break;
      case DT.INT8:
        out[i] = dv.getInt8(i);
        break;
      case DT.FLOAT16:
        out[i] = halfToNumber(dv.getUint16(2 * i, true));
        break;
    }
  }
  return out;
}

/** How many values a TensorProto holds in the typed field its data type uses (-1 for an unsupported type). */
function typedCount(t: O.ITensorProto, type: number): number {
  if (type === DT.FLOAT) return t.floatData?.length ?? 0;
  if (type === DT.DOUBLE) return t.doubleData?.length ?? 0;
  if (type === DT.INT64) return t.int64Data?.length ?? 0;
  if (type === DT.FLOAT16 || type === DT.INT32 || type === DT.INT8 || type === DT.UINT8 || type === DT.BOOL)
    return t.int32Data?.length ?? 0;
  return -1;
}

/** A TensorProto as a float64 Tensor (exact for every supported type; int64 beyond 2^53 is rounded). */
export function tensorFromProto(t: O.ITensorProto): Tensor {
  const name = t.name ?? '';
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0)
    throw new UserError(`tensor '${name}': external data files are not supported; save the model with weights inside the .onnx file`);
  const shape = (t.dims ?? []).map(num);
  // Sizes are checked against the ceiling and against the values present before anything is allocated.
  const n = checkedElementCount(`tensor '${name}'`, shape);
  const type = t.dataType ?? 0;
  const typed = t.rawData && t.rawData.length > 0 ? -1 : typedCount(t, type);
  if (typed >= 0 && typed !== n) throw new UserError(`tensor '${name}': ${typed} values for shape [${shape.join(',')}]`);
  let data: Float64Array;
  if (t.rawData && t.rawData.length > 0) data = readRaw(t.rawData, type, n, name);
  else if (type === DT.FLOAT) data = Float64Array.from(t.floatData ?? []);
  else if (type === DT.DOUBLE) data = Float64Array.from(t.doubleData ?? []);
  else if (type === DT.INT64) data = Float64Array.from((t.int64Data ?? []).map(num));
  else if (type === DT.FLOAT16) data = Float64Array.from((t.int32Data ?? []).map(halfToNumber));
  else if (type === DT.INT32 || type === DT.INT8 || type === DT.UINT8 || type === DT.BOOL) data = Float64Array.from(t.int32Data ?? []);
  else throw new UserError(`tensor '${name}': data type ${type} is not supported (float, double, float16, int8/uint8/int32/int64, bool)`);
  if (data.length !== n) throw new UserError(`tensor '${name}': ${data.length} values for shape [${shape.join(',')}]`);
  return type === DT.FLOAT || type === DT.DOUBLE || type === DT.FLOAT16 ? { shape, data } : markInteger({ shape, data });
}

/** A float32 TensorProto (raw little-endian data) of a tensor; values are rounded to float32. */
export function floatTensorProto(name: string, t: Tensor): O.ITensorProto {
  const raw = new Uint8Array(4 * t.data.length);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < t.data.length; i++) dv.setFloat32(4 * i, t.data[i]!, true);
  return { name, dims: [...t.shape], dataType: DT.FLOAT, rawData: raw };
}

/** An int64 TensorProto (shape constants for Reshape and friends). */
export function int64TensorProto(name: string, values: readonly number[]): O.ITensorProto {
  const raw = new Uint8Array(8 * values.length);
  const dv = new DataView(raw.buffer);
  values.forEach((v, i) => dv.setBigInt64(8 * i, BigInt(v), true));
  return { name, dims: [values.length], dataType: DT.INT64, rawData: raw };
}

export type AttrValue = number | number[] | string | Tensor | undefined;

/** Reads the attributes of a node into plain values (ints and floats as numbers, strings decoded). */
export function readAttributes(node: O.INodeProto): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  const T = onnx.AttributeProto.AttributeType;
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    switch (a.type) {
      case T.FLOAT:
        out.set(name, a.f ?? 0);
        break;
      case T.INT:
        out.set(name, num(a.i));
        break;
      case T.STRING:
        out.set(name, new TextDecoder().decode(a.s ?? new Uint8Array()));
        break;
      case T.FLOATS:
        out.set(name, [...(a.floats ?? [])]);
        break;
      case T.INTS:
        out.set(name, (a.ints ?? []).map(num));
        break;
      case T.TENSOR:
        out.set(name, tensorFromProto(a.t ?? {}));
        break;
      default:
        out.set(name, undefined);
    }
  }
  return out;
}
