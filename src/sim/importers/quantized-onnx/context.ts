import { UserError } from '../../../errors.js';
import type { AffineQuant, InputStep, IntLayer } from '../../quantize/model.js';
import { layerShape } from '../../quantize/shapes.js';
import type { AffineLayer } from '../../quantize/affine/types.js';
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
 * raw   the float graph input, its per-sample shape and the float32 steps applied so far;
 * q     a quantized runtime tensor of the integer model (codes);
 * dq    the DequantizeLinear of such a tensor (QDQ float view; real values);
 * float a QDQ float op's result, a layer waiting for its QuantizeLinear;
 * acc   MatMulInteger / ConvInteger int32 result, then its float rescale ops;
 * wdq   the DequantizeLinear of a constant;
 * padded a float Pad (with 0) of a dq value, folded into the Conv or AveragePool it feeds.
 */
export type Value =
  | { kind: 'raw'; shape: number[]; steps: InputStep[] }
  | { kind: 'q'; tensor: string }
  | { kind: 'dq'; tensor: string }
  | { kind: 'float'; layer: Pending }
  | { kind: 'acc'; layer: Pending; float: boolean; scale?: number[]; bias?: number[] }
  | { kind: 'wdq'; c: QConst }
  | { kind: 'padded'; tensor: string; pads: [number, number, number, number] };

export interface TensorInfo {
  shape: number[];
  quant: AffineQuant;
}

export class ImportContext {
  readonly values = new Map<string, Value>();
  readonly tensors = new Map<string, TensorInfo>();
  readonly layers: IntLayer[] = [];
  inputQuant: AffineQuant | undefined;
  /** The input's per-sample shape and float32 steps as its QuantizeLinear sees it (after float Reshape, Div...). */
  inputShape: number[] | undefined;
  inputSteps: InputStep[] = [];
  readonly formats = new Set<'QDQ' | 'QOperator'>();
  readonly droppedSoftmax: string[] = [];
  private readonly layerNames = new Set<string>();

  private readonly folded: Map<string, Const>;

  constructor(readonly graph: OnnxQuantGraph) {
    this.folded = new Map(graph.consts);
    this.values.set(graph.input.name, { kind: 'raw', shape: [...graph.input.shape], steps: [] });
  }

  /** Initializers, Constant nodes and the outputs of folded glue. */
  get consts(): ReadonlyMap<string, Const> {
    return this.folded;
  }

  addConst(name: string, c: Const): void {
    this.folded.set(name, c);
  }

  /** Per-sample shape of a runtime tensor (the raw input or a quantized tensor). */
  shapeOf(v: NodeView, name: string): number[] {
    const val = this.value(v, name, 'input');
    if (val.kind === 'raw') return val.shape;
    if (val.kind === 'q' || val.kind === 'dq') return this.info(val.tensor).shape;
    throw new UserError(`node '${v.name}' (${v.op}): the shape of '${name}' is not known at import`);
  }

  value(v: NodeView, name: string | undefined, what: string): Value {
    const r = name ? this.values.get(name) : undefined;
    if (r) return r;
    if (name && this.consts.has(name))
      throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name}' is a constant; a runtime tensor is expected here`);
    throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name ?? ''}' is not produced by any supported node`);
  }

  /** The quantized runtime tensor behind a q or dq value. */
  tensorOf(v: NodeView, name: string, kinds: readonly ('q' | 'dq')[], what: string): string {
    const val = this.value(v, name, what);
    if ((val.kind === 'q' || val.kind === 'dq') && kinds.includes(val.kind)) return val.tensor;
    if (val.kind === 'padded')
      throw new UserError(
        `node '${v.name}' (${v.op}): ${what} '${name}' comes from a Pad; a Pad is supported only before Conv and AveragePool`,
      );
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
