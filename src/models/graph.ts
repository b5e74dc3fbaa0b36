import type { ActivationSpec } from '../activations/float.js';
import type { DataOpNode } from './graph-data-ops.js';

export type * from './graph-data-ops.js';

/**
 * The network graph: helu-sim's typed representation of a float network,
 * shared by every importer (ONNX, TensorFlow.js, native JSON), the trainer's
 * exporter, the float inference engine and the integer simulator built on it.
 *
 * Conventions every consumer relies on:
 * - Shapes are PER SAMPLE. Every runtime tensor carries an implicit leading
 *   batch dimension that no shape lists: an ONNX tensor [N, C, H, W] is the
 *   graph shape [C, H, W]. Batched data is row-major, batch outermost: sample
 *   n of a tensor of per-sample size S occupies [n*S, (n+1)*S).
 * - Image tensors are NCHW (per sample [C, H, W]), as in ONNX and PyTorch.
 *   Importers of channels-last models insert Transpose nodes.
 * - Every node has exactly one output tensor, named `output`, unique in the
 *   graph. `inputs` name runtime tensors (graph inputs or node outputs).
 *   Constants live in the node's `weights`, as float64 (an importer widens
 *   float32 initializers exactly), each with its own shape.
 * - buildGraph (shapes.ts) sorts nodes topologically, infers every tensor's
 *   shape and rejects mismatches with a UserError naming the node; a Graph
 *   value is always checked.
 */

/** A constant tensor: row-major float64 data and its shape (no batch dimension). */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A runtime tensor's name and per-sample shape. */
export interface TensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface NodeBase {
  /** Unique node name (from the source model, or generated). */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly output: string;
}

/**
 * ONNX Gemm on a batched input A [K]: Y = alpha * (A . op(B)) + beta * C,
 * op(B) = B^T when transB = 1 (B is [N, K], the PyTorch Linear layout) and B
 * when transB = 0 (B is [K, N], the Keras Dense layout). C (optional) is
 * broadcast to [N] (shape [], [1], [N] or [1, N]). transA is always 0: a
 * transposed batched input would mix samples. The float engine sums the K
 * products in increasing k, then applies alpha, then adds beta * C.
 */
export interface GemmNode extends NodeBase {
  readonly op: 'Gemm';
  readonly attrs: { readonly transA: 0; readonly transB: 0 | 1; readonly alpha: number; readonly beta: number };
  readonly weights: { readonly B: Tensor; readonly C?: Tensor };
}

/**
 * ONNX MatMul, per sample. Either one runtime input A ([..., M, K] or [K])
 * times the constant weights.B ([K, P]), or two runtime inputs A [..., M, K]
 * and B [..., K, P] with equal leading dimensions (no broadcasting).
 */
export interface MatMulNode extends NodeBase {
  readonly op: 'MatMul';
  readonly weights: { readonly B?: Tensor };
}

/**
 * Elementwise Add/Sub/Mul/Div with numpy broadcasting of the per-sample shapes
 * (aligned from the right). Either two runtime inputs (residual Add), or one
 * runtime input and one constant: weights.B is the right operand (x - B,
 * x / B), weights.A the left operand (A - x, A / x). Normalization inside the
 * graph (raw pixels * 1/16) is a Mul with a constant.
 */
export interface BinaryNode extends NodeBase {
  readonly op: 'Add' | 'Sub' | 'Mul' | 'Div';
  readonly weights: { readonly A?: Tensor; readonly B?: Tensor };
}

/** Spatial attributes shared by Conv and the pools. pads = [top, left, bottom, right] (ONNX order). */
export interface Window2D {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
}

/**
 * 2-D convolution (cross-correlation, as ONNX Conv and every framework):
 * input [C, H, W], weights.W [M, C/group, kh, kw], optional weights.B [M],
 * output [M, OH, OW] with OH = floor((H + top + bottom - dh*(kh-1) - 1)/sh) + 1.
 * group = C = M is depthwise. Zero padding. Sum over (c, i, j) in that order,
 * bias added after the sum.
 */
export interface ConvNode extends NodeBase {
  readonly op: 'Conv';
  readonly attrs: Window2D & { readonly group: number };
  readonly weights: { readonly W: Tensor; readonly B?: Tensor };
}

/**
 * MaxPool / AveragePool over [C, H, W]. Padding never wins a max (it is
 * -infinity). AveragePool divides by the kernel area when countIncludePad
 * (clipped to the padded extent, PyTorch's rule when ceilMode makes a window
 * overhang), else by the number of in-image positions. ceilMode rounds the
 * output size up but drops a last window that would start inside the
 * bottom/right padding. AveragePool has dilations 1.
 */
export interface PoolNode extends NodeBase {
  readonly op: 'MaxPool' | 'AveragePool';
  readonly attrs: Window2D & { readonly ceilMode: boolean; readonly countIncludePad: boolean };
}

/** [C, H, W] -> [C, 1, 1], the mean over each channel (sum, then divide by H*W). */
export interface GlobalAveragePoolNode extends NodeBase {
  readonly op: 'GlobalAveragePool';
}

/** Any per-sample shape -> [size] (ONNX Flatten with axis 1). Data unchanged. */
export interface FlattenNode extends NodeBase {
  readonly op: 'Flatten';
}

/** Per-sample reshape to attrs.shape (fully resolved: no 0 or -1). Data unchanged. */
export interface ReshapeNode extends NodeBase {
  readonly op: 'Reshape';
  readonly attrs: { readonly shape: readonly number[] };
}

/** Per-sample axis permutation: output dim i is input dim perm[i]. */
export interface TransposeNode extends NodeBase {
  readonly op: 'Transpose';
  readonly attrs: { readonly perm: readonly number[] };
}

/**
 * Inference BatchNormalization over axis 0 (channels) of [C, ...]:
 * y = (x - mean) / sqrt(var + epsilon) * scale + bias, evaluated in that order.
 */
export interface BatchNormNode extends NodeBase {
  readonly op: 'BatchNormalization';
  readonly attrs: { readonly epsilon: number };
  readonly weights: { readonly scale: Tensor; readonly bias: Tensor; readonly mean: Tensor; readonly var: Tensor };
}

/** Concatenation of runtime inputs along per-sample axis attrs.axis (>= 0). */
export interface ConcatNode extends NodeBase {
  readonly op: 'Concat';
  readonly attrs: { readonly axis: number };
}

/**
 * Softmax along per-sample axis attrs.axis: exp(x - max) / sum(exp(x - max)).
 * With attrs.log (ONNX LogSoftmax): (x - max) - log(sum(exp(x - max))).
 */
export interface SoftmaxNode extends NodeBase {
  readonly op: 'Softmax';
  readonly attrs: { readonly axis: number; readonly log?: boolean };
}

/**
 * Elementwise activation (activations/float.ts defines each exactly). A HeLU
 * node has kind 'helu': its inference is ReLU's, and the kind records that the
 * network was trained with HeLU.
 */
export interface ActivationNode extends NodeBase {
  readonly op: 'Activation';
  readonly attrs: { readonly activation: ActivationSpec };
}

export type GraphNode =
  | GemmNode
  | MatMulNode
  | BinaryNode
  | ConvNode
  | PoolNode
  | GlobalAveragePoolNode
  | FlattenNode
  | ReshapeNode
  | TransposeNode
  | BatchNormNode
  | ConcatNode
  | SoftmaxNode
  | ActivationNode
  | DataOpNode;

export type OpKind = GraphNode['op'];

export const OP_KINDS: readonly OpKind[] = [
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Conv',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Flatten',
  'Reshape',
  'Transpose',
  'BatchNormalization',
  'Concat',
  'Softmax',
  'Activation',
];

/** What a loader produces; buildGraph checks it and turns it into a Graph. */
export interface GraphDef {
  readonly name: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly string[];
  readonly nodes: readonly GraphNode[];
  /** Free-form string metadata (ONNX metadata_props); 'trainedActivation' is the one helu-sim reads. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** A checked graph: nodes in topological order, the shape of every tensor. */
export interface Graph extends GraphDef {
  /** Per-sample shape of every runtime tensor (graph inputs and node outputs). */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
}

/** Number of elements of a shape (1 for a scalar []). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Per-sample shape of a tensor of a checked graph (throws on an unknown name: a bug, not user input). */
export function shapeOf(g: Graph, name: string): readonly number[] {
  const s = g.shapes.get(name);
  if (s === undefined) throw new Error(`internal: no tensor '${name}' in graph '${g.name}'`);
  return s;
}

/** The graph's single input (UserError-free: loaders reject graphs without exactly one). */
export function graphInput(g: Graph): TensorInfo {
  return g.inputs[0]!;
}

export function tensor(shape: readonly number[], data: ArrayLike<number>): Tensor {
  return { shape: [...shape], data: Float64Array.from(data) };
}
