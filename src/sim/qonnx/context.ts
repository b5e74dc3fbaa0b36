import { UserError } from '../../errors.js';
import type { AffineQuant, IntLayer } from '../quantize/model.js';
import { layerShape } from '../quantize/shapes.js';
import type { AffineLayer } from '../quantize/affine/types.js';
import type { Const, NodeView, OnnxQuantGraph } from './read.js';

/** A layer waiting for its output quantization (the QuantizeLinear that follows a QDQ float op, or an integer op's rescale). */
export type Pending = Omit<AffineLayer, 'output' | 'shape' | 'out'> & { out?: AffineQuant };

/** A dequantized constant (weights, bias, constant operand): codes, their quant, shape. */
export interface QConst {
  shape: number[];
  codes: number[];
  quant: AffineQuant;
}

/**
 * What an ONNX tensor name denotes during the import:
 * raw   the float graph input;
 * q     a quantized runtime tensor of the integer model (codes);
 * dq    the DequantizeLinear of such a tensor (QDQ float view; real values);
 * float a QDQ float op's result, a layer waiting for its QuantizeLinear;
 * acc   MatMulInteger / ConvInteger int32 result, then its float rescale ops;
 * wdq   the DequantizeLinear of a constant.
 */
export type Value =
  | { kind: 'raw' }
  | { kind: 'q'; tensor: string }
  | { kind: 'dq'; tensor: string }
  | { kind: 'float'; layer: Pending }
  | { kind: 'acc'; layer: Pending; float: boolean; scale?: number[]; bias?: number[] }
  | { kind: 'wdq'; c: QConst };

export interface TensorInfo { shape: number[]; quant: AffineQuant }

export class ImportContext {
  readonly values = new Map<string, Value>();
  readonly tensors = new Map<string, TensorInfo>();
  readonly layers: IntLayer[] = [];
  inputQuant: AffineQuant | undefined;
  readonly formats = new Set<'QDQ' | 'QOperator'>();
  readonly droppedSoftmax: string[] = [];
  private readonly layerNames = new Set<string>();

  constructor(readonly graph: OnnxQuantGraph) {
    this.values.set(graph.input.name, { kind: 'raw' });
  }

  get consts(): ReadonlyMap<string, Const> {
    return this.graph.consts;
  }

  value(v: NodeView, name: string | undefined, what: string): Value {
    const r = name ? this.values.get(name) : undefined;
    if (r) return r;
    if (name && this.consts.has(name)) throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name}' is a constant; a runtime tensor is expected here`);
    throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name ?? ''}' is not produced by any supported node`);
  }

  /** The quantized runtime tensor behind a q or dq value. */
  tensorOf(v: NodeView, name: string, kinds: readonly ('q' | 'dq')[], what: string): string {
    const val = this.value(v, name, what);
    if ((val.kind === 'q' || val.kind === 'dq') && kinds.includes(val.kind)) return val.tensor;
    const expected = kinds.map((k) => (k === 'q' ? 'a quantized tensor' : 'a DequantizeLinear output')).join(' or ');
    throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name}' must be ${expected}`);
  }

  info(tensor: string): TensorInfo {
    const t = this.tensors.get(tensor);
    if (!t) throw new Error(`internal: no tensor '${tensor}'`);
    return t;
  }

  layerName(base: string): string {
    let n = base;
    for (let k = 1; this.layerNames.has(n); k++) n = `${base}_${k}`;
    this.layerNames.add(n);
    return n;
  }

  /** Finishes a pending layer: output tensor `output` with quant `out`; returns the tensor name. */
  emit(p: Pending, output: string, out: AffineQuant, node: NodeView): string {
    const ins = p.inputs.map((i) => this.info(i).shape);
    const layer = { ...p, name: this.layerName(p.name), output, out } as AffineLayer;
    const shape = layer.op === 'add' && ins.length === 1 ? [...ins[0]!] : layerShapeOf(layer, ins, node);
    const full = { ...layer, shape } as IntLayer;
    this.layers.push(full);
    this.tensors.set(output, { shape, quant: out });
    this.values.set(output, { kind: 'q', tensor: output });
    return output;
  }
}

function layerShapeOf(l: AffineLayer, ins: number[][], node: NodeView): number[] {
  try {
    return layerShape({ ...l, shape: [] } as IntLayer, ins, `node '${node.name}' (${node.op})`);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`node '${node.name}' (${node.op}): ${e.message.replace(/^integer model: field /, '')}`);
    throw e;
  }
}
