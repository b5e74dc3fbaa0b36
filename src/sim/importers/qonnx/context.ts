import { UserError } from '../../../errors.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { IntLayer } from '../../quantize/model.js';
import { pow2Quant } from '../../quantize/quant.js';
import { layerShape } from '../../quantize/shapes.js';
import type { Const, NodeView, OnnxQuantGraph } from '../quantized-onnx/read.js';

/**
 * What an ONNX tensor name denotes while a QONNX graph is imported:
 * raw   the float graph input, before its Quant;
 * t     a fixed-point runtime tensor of the integer model;
 * w     a quantized constant: codes with one format per channel along `axis` (weights, biases);
 * pend  a layer whose output format the next Quant decides (Conv, MatMul, Add, pools, Relu);
 *       `bare` for a dense/conv without its bias Add yet.
 */
export type QValue =
  | { kind: 'raw' }
  | { kind: 't'; tensor: string }
  | { kind: 'w'; shape: number[]; codes: number[]; formats: FixedFormat[]; axis: number }
  | { kind: 'pend'; layer: Omit<IntLayer, 'output' | 'shape' | 'out'>; bare?: boolean };

export class QonnxContext {
  readonly values = new Map<string, QValue>();
  readonly formats = new Map<string, FixedFormat>();
  readonly shapes = new Map<string, number[]>();
  readonly layers: IntLayer[] = [];
  inputFormat: FixedFormat | undefined;

  constructor(readonly graph: OnnxQuantGraph) {
    this.values.set(graph.input.name, { kind: 'raw' });
  }

  get consts(): ReadonlyMap<string, Const> {
    return this.graph.consts;
  }

  value(v: NodeView, i: number): QValue {
    const name = v.inputs[i] ?? '';
    const r = this.values.get(name);
    if (r) return r;
    if (this.consts.has(name)) return this.constValue(v, i);
    throw new UserError(`node '${v.name}' (${v.op}): input '${name}' is not produced by any supported node`);
  }

  /** An unquantized float constant: accepted only where its use says so (a bias exactly on the accumulator grid). */
  private constValue(v: NodeView, i: number): QValue {
    const c = this.consts.get(v.inputs[i]!)!;
    return { kind: 'w', shape: [...c.tensor.shape], codes: Array.from(c.tensor.data), formats: [], axis: 0 };
  }

  /** The runtime tensor behind input i; UserError naming what it is instead. */
  tensor(v: NodeView, i: number): string {
    const val = this.value(v, i);
    if (val.kind === 't') return val.tensor;
    const what =
      val.kind === 'raw'
        ? 'the unquantized model input'
        : val.kind === 'w'
          ? 'a constant'
          : 'an unquantized result (a Quant must follow it)';
    throw new UserError(
      `node '${v.name}' (${v.op}): input '${v.inputs[i]}' is ${what}; a quantized tensor (the output of a Quant) is expected`,
    );
  }

  fmt(tensor: string): FixedFormat {
    return this.formats.get(tensor)!;
  }

  /** Finishes a layer with output format `out`; returns the tensor name. */
  emit(p: Omit<IntLayer, 'output' | 'shape' | 'out'>, output: string, out: FixedFormat, v: NodeView): string {
    const l = { ...p, output, out: pow2Quant(out), shape: [] } as unknown as IntLayer;
    let shape: number[];
    try {
      shape = layerShape(
        l,
        p.inputs.map((i) => this.shapes.get(i)!),
        `node '${v.name}' (${v.op})`,
      );
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`node '${v.name}' (${v.op}): ${e.message.replace(/^integer model: field /, '')}`);
      throw e;
    }
    this.layers.push({ ...l, shape });
    this.formats.set(output, out);
    this.shapes.set(output, shape);
    this.values.set(output, { kind: 't', tensor: output });
    return output;
  }
}
