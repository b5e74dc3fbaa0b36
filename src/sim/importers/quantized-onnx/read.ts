import { UserError } from '../../../errors.js';
import type { Tensor } from '../../../models/graph.js';
import { num, onnx, readAttributes, tensorFromProto, type AttrValue, type OnnxTypes } from '../../../models/onnx/proto.js';

/** ONNX element types the import reads. */
export const ELEM = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

/** A constant with its ONNX element type (zero points: int8 vs uint8 decides the tensor type). */
export interface Const {
  tensor: Tensor;
  elemType: number;
}

export interface NodeView {
  name: string;
  op: string;
  domain: string;
  /** Input names; '' for an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
}

export interface OnnxQuantGraph {
  name: string;
  input: { name: string; shape: number[]; elemType: number };
  outputs: string[];
  consts: Map<string, Const>;
  nodes: NodeView[];
  metadata: Record<string, string>;
  /** The file's producer_name ('pytorch' for torch.onnx exports). */
  producer: string;
}

function decode(bytes: Uint8Array, source: string): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UserError(`'${source}' is not a valid ONNX model (${(e as Error).message.split('\n')[0]})`);
  }
}

function constantNode(v: NodeView): Const {
  const t = v.attrs.get('value');
  if (t && typeof t === 'object' && !Array.isArray(t)) {
    const proto = v.attrs.get('__elem') as number | undefined;
    return { tensor: t, elemType: proto ?? ELEM.FLOAT };
  }
  const f = v.attrs.get('value_float');
  if (typeof f === 'number') return { tensor: { shape: [], data: Float64Array.of(f) }, elemType: ELEM.FLOAT };
  const i = v.attrs.get('value_int');
  if (typeof i === 'number') return { tensor: { shape: [], data: Float64Array.of(i) }, elemType: ELEM.INT64 };
  throw new UserError(`node '${v.name}' (Constant): only tensor, value_float and value_int constants are supported`);
}

function graphInput(g: OnnxTypes.IGraphProto, consts: ReadonlyMap<string, Const>, source: string): OnnxQuantGraph['input'] {
  const inputs = (g.input ?? []).filter((i) => !consts.has(i.name ?? ''));
  if (inputs.length !== 1) throw new UserError(`'${source}' has ${inputs.length} data inputs; helu-sim models take exactly one`);
  const i = inputs[0]!;
  const t = i.type?.tensorType;
  const dims = t?.shape?.dim ?? [];
  if (dims.length < 2) throw new UserError(`'${source}': input '${i.name}' must be [batch, ...]; got rank ${dims.length}`);
  const shape = dims.slice(1).map((d, k) => {
    const n = num(d.dimValue);
    if (!(n > 0))
      throw new UserError(
        `'${source}': input '${i.name}' dimension ${k + 1} must be a fixed size; only the batch dimension may be symbolic`,
      );
    return n;
  });
  return { name: i.name ?? 'input', shape, elemType: t?.elemType ?? 0 };
}

/** Decodes an ONNX model into constants (initializers, Constant nodes) and node views in file order. */
export function readQuantGraph(bytes: Uint8Array, source: string): OnnxQuantGraph {
  const model = decode(bytes, source);
  const g = model.graph;
  if (!g) throw new UserError(`'${source}' has no graph`);
  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name ?? '', { tensor: tensorFromProto(t), elemType: t.dataType ?? 0 });
  const names = new Set<string>();
  const nodes: NodeView[] = [];
  (g.node ?? []).forEach((n, k) => {
    const op = n.opType ?? '';
    let name = n.name || `${op}_${k}`;
    while (names.has(name)) name = `${name}_${k}`;
    names.add(name);
    const attrs = readAttributes(n);
    const valueAttr = (n.attribute ?? []).find((a) => a.name === 'value' && a.t);
    if (valueAttr?.t) attrs.set('__elem', valueAttr.t.dataType ?? ELEM.FLOAT);
    const v: NodeView = {
      name,
      op,
      domain: n.domain ?? '',
      inputs: (n.input ?? []).map((s) => s ?? ''),
      outputs: (n.output ?? []).map((s) => s ?? ''),
      attrs,
    };
    if (op === 'Constant') consts.set(v.outputs[0]!, constantNode(v));
    else nodes.push(v);
  });
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) metadata[p.key ?? ''] = p.value ?? '';
  return {
    name: g.name || source,
    input: graphInput(g, consts, source),
    outputs: (g.output ?? []).map((o) => o.name ?? ''),
    consts,
    nodes,
    metadata,
    producer: model.producerName ?? '',
  };
}

/** Operators whose presence marks a model as quantized (QDQ or QOperator). */
export const QUANT_OPS = new Set([
  'QuantizeLinear',
  'DequantizeLinear',
  'QLinearConv',
  'QLinearMatMul',
  'MatMulInteger',
  'ConvInteger',
  'QLinearAdd',
  'QGemm',
  'QLinearConcat',
  'QLinearAveragePool',
  'QLinearGlobalAveragePool',
  'DynamicQuantizeLinear',
]);

/** True when the ONNX model contains quantization operators (and should be imported as an integer model). */
export function isQuantizedOnnx(bytes: Uint8Array): boolean {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    return false;
  }
  return (model.graph?.node ?? []).some((n) => QUANT_OPS.has(n.opType ?? ''));
}
