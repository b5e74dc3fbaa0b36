import { activationToString, isElementwiseSpec, type ActivationSpec } from '../../activations/float.js';
import { UserError } from '../../errors.js';
import type { Graph, GraphNode, Tensor } from '../graph.js';
import { shapeOf } from '../graph.js';
import { ATTR_TYPE, onnx, floatTensorProto, int64TensorProto, type OnnxTypes } from './proto.js';
import { ACTIVATION_MARK } from './patterns.js';
import { TRAINED_ACTIVATION_KEY } from './import.js';

type NodeProto = OnnxTypes.INodeProto;
type Attr = OnnxTypes.IAttributeProto;

/** Opset of exported models: 17 (GELU is written in its Erf form, which every runtime of opset >= 13 runs). */
export const EXPORT_OPSET = 17;
const IR_VERSION = 8;

const T = ATTR_TYPE;
const aInt = (name: string, i: number): Attr => ({ name, type: T.INT, i });
const aInts = (name: string, ints: readonly number[]): Attr => ({ name, type: T.INTS, ints: [...ints] });
const aFloat = (name: string, f: number): Attr => ({ name, type: T.FLOAT, f });

/** Collects nodes and initializers; names derived from graph node names, made unique. */
class Writer {
  readonly nodes: NodeProto[] = [];
  readonly inits: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();

  name(base: string): string {
    let n = base;
    for (let k = 1; this.used.has(n); k++) n = `${base}_${k}`;
    this.used.add(n);
    return n;
  }

  weight(base: string, t: Tensor): string {
    const n = this.name(base);
    this.inits.push(floatTensorProto(n, t));
    return n;
  }

  ints(base: string, v: readonly number[]): string {
    const n = this.name(base);
    this.inits.push(int64TensorProto(n, v));
    return n;
  }

  node(op: string, inputs: string[], output: string, name: string, attribute: Attr[] = [], docString?: string): void {
    this.nodes.push({ opType: op, input: inputs, output: [output], name: this.name(name), attribute, ...(docString ? { docString } : {}) });
  }
}

const scalar = (v: number): Tensor => ({ shape: [], data: Float64Array.of(v) });

/** Writes one activation as ONNX ops; the first node carries the helu-sim activation mark. */
function writeActivation(w: Writer, n: GraphNode, spec: ActivationSpec): void {
  const x = n.inputs[0]!,
    y = n.output,
    mark = ACTIVATION_MARK + activationToString(spec);
  const tmp = (s: string): string => w.name(`${y}__${s}`);
  if (isElementwiseSpec(spec))
    throw new UserError(
      `node '${n.name}': the elementwise unit '${spec.kind}' is not written as an ONNX activation (network activations are)`,
    );
  switch (spec.kind) {
    case 'helu':
    case 'relu':
      return w.node('Relu', [x], y, n.name, [], mark);
    case 'leakyrelu':
      return w.node('LeakyRelu', [x], y, n.name, [aFloat('alpha', spec.alpha)], mark);
    case 'elu':
      return w.node('Elu', [x], y, n.name, [aFloat('alpha', spec.alpha)], mark);
    case 'sigmoid':
      return w.node('Sigmoid', [x], y, n.name, [], mark);
    case 'tanh':
      return w.node('Tanh', [x], y, n.name, [], mark);
    case 'hardswish':
      return w.node('HardSwish', [x], y, n.name, [], mark);
    case 'hardsigmoid':
      return w.node('HardSigmoid', [x], y, n.name, [aFloat('alpha', 1 / 6), aFloat('beta', 0.5)], mark);
    case 'relu6':
    case 'clamp': {
      const [lo, hi] = spec.kind === 'relu6' ? [0, 6] : [spec.min, spec.max];
      return w.node('Clip', [x, w.weight(`${n.name}.min`, scalar(lo)), w.weight(`${n.name}.max`, scalar(hi))], y, n.name, [], mark);
    }
    case 'silu': {
      const s = tmp('sigmoid');
      w.node('Sigmoid', [x], s, `${n.name}_sigmoid`, [], mark);
      return w.node('Mul', [x, s], y, n.name);
    }
    case 'gelu': {
      // PyTorch's form: x / sqrt2 -> Erf -> + 1 -> * x -> * 0.5.
      const [d, e, a, m] = ['div', 'erf', 'add', 'mul'].map(tmp) as [string, string, string, string];
      w.node('Div', [x, w.weight(`${n.name}.sqrt2`, scalar(Math.SQRT2))], d, `${n.name}_div`, [], mark);
      w.node('Erf', [d], e, `${n.name}_erf`);
      w.node('Add', [e, w.weight(`${n.name}.one`, scalar(1))], a, `${n.name}_add`);
      w.node('Mul', [x, a], m, `${n.name}_mul`);
      return w.node('Mul', [m, w.weight(`${n.name}.half`, scalar(0.5))], y, n.name);
    }
  }
}

function writeNode(w: Writer, g: Graph, n: GraphNode): void {
  const x = n.inputs[0]!;
  switch (n.op) {
    case 'Gemm': {
      const ins = [x, w.weight(`${n.name}.B`, n.weights.B), ...(n.weights.C ? [w.weight(`${n.name}.C`, n.weights.C)] : [])];
      return w.node('Gemm', ins, n.output, n.name, [
        aInt('transB', n.attrs.transB),
        aFloat('alpha', n.attrs.alpha),
        aFloat('beta', n.attrs.beta),
      ]);
    }
    case 'MatMul':
      return w.node('MatMul', n.weights.B ? [x, w.weight(`${n.name}.B`, n.weights.B)] : [...n.inputs], n.output, n.name);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div': {
      const { A, B } = n.weights;
      const ins = A ? [w.weight(`${n.name}.A`, A), x] : B ? [x, w.weight(`${n.name}.B`, B)] : [...n.inputs];
      return w.node(n.op, ins, n.output, n.name);
    }
    case 'Conv': {
      const a = n.attrs;
      const ins = [x, w.weight(`${n.name}.W`, n.weights.W), ...(n.weights.B ? [w.weight(`${n.name}.B`, n.weights.B)] : [])];
      return w.node('Conv', ins, n.output, n.name, [
        aInts('kernel_shape', a.kernel),
        aInts('strides', a.strides),
        aInts('pads', a.pads),
        aInts('dilations', a.dilations),
        aInt('group', a.group),
      ]);
    }
    case 'MaxPool':
    case 'AveragePool': {
      const a = n.attrs;
      const attrs = [
        aInts('kernel_shape', a.kernel),
        aInts('strides', a.strides),
        aInts('pads', a.pads),
        aInt('ceil_mode', a.ceilMode ? 1 : 0),
      ];
      if (n.op === 'MaxPool') attrs.push(aInts('dilations', a.dilations));
      else attrs.push(aInt('count_include_pad', a.countIncludePad ? 1 : 0));
      return w.node(n.op, [x], n.output, n.name, attrs);
    }
    case 'GlobalAveragePool':
      return w.node('GlobalAveragePool', [x], n.output, n.name);
    case 'Flatten':
      return w.node('Flatten', [x], n.output, n.name, [aInt('axis', 1)]);
    case 'Reshape':
      return w.node('Reshape', [x, w.ints(`${n.name}.shape`, [-1, ...n.attrs.shape])], n.output, n.name);
    case 'Transpose':
      return w.node('Transpose', [x], n.output, n.name, [aInts('perm', [0, ...n.attrs.perm.map((p) => p + 1)])]);
    case 'BatchNormalization': {
      const k = n.weights;
      const ins = [
        x,
        w.weight(`${n.name}.scale`, k.scale),
        w.weight(`${n.name}.bias`, k.bias),
        w.weight(`${n.name}.mean`, k.mean),
        w.weight(`${n.name}.var`, k.var),
      ];
      return w.node('BatchNormalization', ins, n.output, n.name, [aFloat('epsilon', n.attrs.epsilon)]);
    }
    case 'Concat':
      return w.node('Concat', [...n.inputs], n.output, n.name, [aInt('axis', n.attrs.axis + 1)]);
    case 'Softmax':
      return w.node('Softmax', [x], n.output, n.name, [aInt('axis', n.attrs.axis + 1)]);
    case 'Activation':
      return writeActivation(w, n, n.attrs.activation);
  }
  void g;
}

function valueInfo(name: string, shape: readonly number[]): OnnxTypes.IValueInfoProto {
  const dim = [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))];
  return { name, type: { tensorType: { elemType: 1, shape: { dim } } } };
}

/**
 * Encodes a graph as an ONNX model (opset 17, IR 8, float32 weights: float64
 * weights are rounded to float32 here), batch dimension symbolic 'N'.
 * Activations carry a 'helu-sim:activation=...' docString and the model's
 * metadata_props keep the graph metadata (trainedActivation among them), so a
 * HeLU model re-imports as HeLU.
 */
export function exportOnnx(g: Graph): Uint8Array {
  const w = new Writer();
  for (const i of g.inputs) w.name(i.name);
  for (const n of g.nodes) w.name(n.output);
  for (const n of g.nodes) writeNode(w, g, n);
  const graph: OnnxTypes.IGraphProto = {
    name: g.name,
    node: w.nodes,
    initializer: w.inits,
    input: g.inputs.map((i) => valueInfo(i.name, i.shape)),
    output: g.outputs.map((o) => valueInfo(o, shapeOf(g, o))),
  };
  const metadataProps = Object.entries(g.metadata).map(([key, value]) => ({ key, value }));
  const model: OnnxTypes.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'helu-sim',
    graph,
    metadataProps,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export { TRAINED_ACTIVATION_KEY };
