import { lookup, UserError } from '../../errors.js';
import {
  normalizeActivation,
  parseActivation,
  activationToString,
  type ActivationSpec,
  type PartialActivationSpec,
} from '../../activations/float.js';
import type { Graph, GraphNode, Tensor } from '../graph.js';
import { OP_KINDS, sizeOf } from '../graph.js';
import { buildGraph } from '../shapes.js';

/**
 * helu-sim's own model file: the graph as JSON, format 'helu-sim-graph',
 * version 1. Every node is { name, op, inputs, output, attrs?, weights? } with
 * the attrs of graph.ts; a weight is { shape, float64 } with the values as
 * base64 of little-endian IEEE doubles (exact), { shape, float32 } likewise
 * with IEEE singles (written when every value is a float32, as the weights
 * of an ONNX float model are: exact and half the size), or { shape, data: [numbers] }
 * when written by hand. Activation attrs hold the activation text
 * ('helu', 'leakyrelu:0.01', ...). The general tensor operations of imported
 * networks (Unary, Binary, Where, PRelu, Pad, Gather, Reduce, Constant) are
 * stored with their graph-data-ops.ts attrs and constants as well.
 */
export const NATIVE_FORMAT = 'helu-sim-graph';
export const NATIVE_VERSION = 1;

function encodeTensor(t: Tensor): { shape: number[]; float64: string } | { shape: number[]; float32: string } {
  const single = t.data.every((v) => Math.fround(v) === v || Number.isNaN(v));
  const w = single ? 4 : 8;
  const bytes = new Uint8Array(t.data.length * w);
  const dv = new DataView(bytes.buffer);
  if (single) t.data.forEach((v, i) => dv.setFloat32(4 * i, v, true));
  else t.data.forEach((v, i) => dv.setFloat64(8 * i, v, true));
  const base64 = Buffer.from(bytes).toString('base64');
  return single ? { shape: [...t.shape], float32: base64 } : { shape: [...t.shape], float64: base64 };
}

export function graphToJson(g: Graph): string {
  const nodes = g.nodes.map((n) => {
    const o: Record<string, unknown> = { name: n.name, op: n.op, inputs: n.inputs, output: n.output };
    if ('attrs' in n) o['attrs'] = n.op === 'Activation' ? { activation: activationToString(n.attrs.activation) } : n.attrs;
    if ('weights' in n)
      o['weights'] = Object.fromEntries(
        Object.entries(n.weights)
          .filter(([, t]) => t !== undefined)
          .map(([k, t]) => [k, encodeTensor(t as Tensor)]),
      );
    return o;
  });
  return (
    JSON.stringify({
      format: NATIVE_FORMAT,
      version: NATIVE_VERSION,
      name: g.name,
      inputs: g.inputs,
      outputs: g.outputs,
      metadata: g.metadata,
      nodes,
    }) + '\n'
  );
}

function decodeTensor(where: string, raw: unknown): Tensor {
  const r = raw as { shape?: unknown; float64?: unknown; float32?: unknown; data?: unknown };
  if (!r || !Array.isArray(r.shape) || r.shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new UserError(`${where}: weight needs a 'shape' of non-negative integers`);
  let data: Float64Array;
  if (typeof r.float64 === 'string') {
    const b = Buffer.from(r.float64, 'base64');
    data = new Float64Array(b.length / 8);
    for (let i = 0; i < data.length; i++) data[i] = b.readDoubleLE(8 * i);
  } else if (typeof r.float32 === 'string') {
    const b = Buffer.from(r.float32, 'base64');
    data = new Float64Array(b.length / 4);
    for (let i = 0; i < data.length; i++) data[i] = b.readFloatLE(4 * i);
  } else if (Array.isArray(r.data) && r.data.every((v) => typeof v === 'number')) data = Float64Array.from(r.data as number[]);
  else throw new UserError(`${where}: weight needs 'float64' or 'float32' (base64) or 'data' (numbers)`);
  if (data.length !== sizeOf(r.shape as number[])) throw new UserError(`${where}: ${data.length} values for shape [${r.shape}]`);
  return { shape: r.shape as number[], data };
}

const num = (where: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  return v;
};
const nums = (where: string, v: unknown, len?: number): number[] => {
  if (!Array.isArray(v) || (len !== undefined && v.length !== len))
    throw new UserError(`${where}: expected ${len ?? 'an array of'} numbers, got ${JSON.stringify(v)}`);
  return v.map((x) => num(where, x));
};

/** Attributes by op, checked for type and arity (values are then checked by buildGraph). */
function decodeAttrs(where: string, op: string, a: Record<string, unknown>): Record<string, unknown> {
  const win = () => ({
    kernel: nums(`${where}.kernel`, a['kernel'], 2),
    strides: nums(`${where}.strides`, a['strides'], 2),
    pads: nums(`${where}.pads`, a['pads'], 4),
    dilations: nums(`${where}.dilations`, a['dilations'], 2),
  });
  switch (op) {
    case 'Gemm':
      return {
        transA: 0,
        transB: num(`${where}.transB`, a['transB']) ? 1 : 0,
        alpha: num(`${where}.alpha`, a['alpha'] ?? 1),
        beta: num(`${where}.beta`, a['beta'] ?? 1),
      };
    case 'Conv':
      return { ...win(), group: num(`${where}.group`, a['group'] ?? 1) };
    case 'MaxPool':
    case 'AveragePool':
      return { ...win(), ceilMode: a['ceilMode'] === true, countIncludePad: a['countIncludePad'] === true };
    case 'Reshape':
      return { shape: nums(`${where}.shape`, a['shape']) };
    case 'Transpose':
      return { perm: nums(`${where}.perm`, a['perm']) };
    case 'BatchNormalization':
      return { epsilon: num(`${where}.epsilon`, a['epsilon']) };
    case 'Concat':
    case 'Softmax':
      return { axis: num(`${where}.axis`, a['axis']) };
    case 'Unary':
    case 'Binary':
      return { fn: String(a['fn']) };
    case 'Pad':
      return { pads: nums(`${where}.pads`, a['pads']), value: num(`${where}.value`, a['value'] ?? 0) };
    case 'Gather':
      return { axis: num(`${where}.axis`, a['axis']), indices: nums(`${where}.indices`, a['indices']) };
    case 'Reduce':
      return { fn: String(a['fn']), axes: nums(`${where}.axes`, a['axes']), keepdims: a['keepdims'] === true };
    case 'Activation': {
      const v = a['activation'];
      if (typeof v === 'string') return { activation: parseActivation(v) };
      if (isObject(v) && typeof v['kind'] === 'string') return { activation: activationObject(`${where}.activation`, v) };
      throw new UserError(
        `${where}.activation: expected the activation text (e.g. 'helu', 'leakyrelu:0.01'), got ${JSON.stringify(v) ?? 'nothing'}`,
      );
    }
  }
  return {};
}

/** The object form { kind, alpha?, min?, max? } of an activation, checked field by field. */
function activationObject(where: string, v: Record<string, unknown>): ActivationSpec {
  const spec: PartialActivationSpec = { kind: parseActivation(String(v['kind'])).kind };
  for (const k of ['alpha', 'min', 'max'] as const) if (v[k] !== undefined) spec[k] = num(`${where}.${k}`, v[k]);
  return normalizeActivation(spec);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const HAS_ATTRS = new Set([
  'Gemm',
  'Conv',
  'MaxPool',
  'AveragePool',
  'Reshape',
  'Transpose',
  'BatchNormalization',
  'Concat',
  'Softmax',
  'Activation',
  'Unary',
  'Binary',
  'Pad',
  'Gather',
  'Reduce',
]);
const HAS_WEIGHTS = new Set([
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Conv',
  'BatchNormalization',
  'Binary',
  'Where',
  'PRelu',
  'Constant',
]);
const REQUIRED_WEIGHTS: Record<string, string[]> = {
  Gemm: ['B'],
  Conv: ['W'],
  BatchNormalization: ['scale', 'bias', 'mean', 'var'],
  PRelu: ['slope'],
  Constant: ['value'],
};
/** The general tensor operations of imported networks (graph-data-ops.ts), stored with their attrs and constants. */
const DATA_OPS: readonly string[] = ['Unary', 'Binary', 'Where', 'PRelu', 'Pad', 'Gather', 'Reduce', 'Constant'];

/** Parses a native model file's text into a checked graph. */
export function graphFromJson(text: string, source: string): Graph {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`'${source}' is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(j)) throw new UserError(`'${source}' is not a helu-sim graph (expected a JSON object)`);
  if (j['format'] !== NATIVE_FORMAT) throw new UserError(`'${source}' is not a helu-sim graph (format '${String(j['format'])}')`);
  if (j['version'] !== NATIVE_VERSION)
    throw new UserError(`'${source}': graph version ${String(j['version'])} is not supported (expected ${NATIVE_VERSION})`);
  const rawNodes = Array.isArray(j['nodes']) ? (j['nodes'] as Record<string, unknown>[]) : [];
  const nodes = rawNodes.map((r, i) => {
    if (!isObject(r)) throw new UserError(`'${source}' node ${i}: expected an object`);
    const where = `'${source}' node ${i} ('${String(r['name'])}')`;
    const op = String(r['op']);
    if (!(OP_KINDS as readonly string[]).includes(op) && !DATA_OPS.includes(op))
      throw new UserError(`${where}: unknown op '${op}'; accepted: ${[...OP_KINDS, ...DATA_OPS].join(', ')}`);
    const weights = Object.fromEntries(
      Object.entries((r['weights'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, decodeTensor(`${where} weight ${k}`, v)]),
    );
    for (const k of lookup(REQUIRED_WEIGHTS, op) ?? []) if (!weights[k]) throw new UserError(`${where}: ${op} needs weight '${k}'`);
    const inputs = Array.isArray(r['inputs']) ? (r['inputs'] as unknown[]).map(String) : [];
    const node: Record<string, unknown> = { op, name: String(r['name']), inputs, output: String(r['output']) };
    if (HAS_ATTRS.has(op)) node['attrs'] = decodeAttrs(where, op, (r['attrs'] ?? {}) as Record<string, unknown>);
    if (HAS_WEIGHTS.has(op)) node['weights'] = weights;
    return node as unknown as GraphNode;
  });
  const inputs = (Array.isArray(j['inputs']) ? j['inputs'] : []) as { name: string; shape: number[] }[];
  return buildGraph({
    name: String(j['name'] ?? source),
    inputs: inputs.map((i) => ({
      name: String(isObject(i) ? i.name : i),
      shape: nums(`'${source}' input`, isObject(i) ? i.shape : undefined),
    })),
    outputs: (Array.isArray(j['outputs']) ? j['outputs'] : []).map(String),
    nodes,
    metadata: (j['metadata'] ?? {}) as Record<string, string>,
  });
}
