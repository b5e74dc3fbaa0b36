import { UserError } from '../errors.js';
import type { Graph, GraphNode } from './graph.js';
import { graphInput, shapeOf, sizeOf } from './graph.js';
import type { Kernel, Prep } from './ops/kernel.js';
import { PREP32, PREP64 } from './ops/kernel.js';
import { gemmKernel, matMulKernel } from './ops/linear.js';
import { convKernel } from './ops/conv.js';
import { poolKernel, globalAveragePoolKernel } from './ops/pool.js';
import { binaryKernel, activationKernel } from './ops/elementwise.js';
import { softmaxKernel, transposeKernel, concatKernel, batchNormKernel } from './ops/misc.js';
import { unaryKernel } from './ops/unary.js';
import { binaryFnKernel, preluKernel, whereKernel } from './ops/broadcast.js';
import { constantKernel, gatherKernel, padKernel, reduceKernel } from './ops/data.js';

/**
 * Float inference engine.
 *
 * float64 (the reference): every operation in IEEE float64, constants as
 * stored (float32 initializers widened exactly), in the orders each node type
 * documents (graph.ts).
 *
 * float32: the same kernels, with float32 rounding at exactly these points:
 * (1) the input batch is rounded to float32 once; (2) every constant is
 * rounded to float32 once when the graph is compiled; (3) every element of
 * every node's output is rounded to float32 once (Math.fround) after the node
 * computed it in float64. So an op's internal arithmetic (a dot product's
 * accumulation, softmax's sum, BatchNorm's chain) is float64 and rounded once,
 * which is at least as accurate as a float32 runtime; results agree with
 * onnxruntime's float32 to about 1e-6 relative. Reshape and Flatten pass data
 * through unchanged.
 */
export type Precision = 'float64' | 'float32';

export interface RunOptions {
  precision?: Precision;
  /** Also return every tensor (graph input and every node output), batched. */
  intermediates?: boolean;
}

export interface FloatRunResult<T extends Float64Array | Float32Array> {
  /** The first graph output, batch x size(outputShape), row-major. */
  output: T;
  /** Every graph output by name. */
  outputs: Map<string, T>;
  /** With `intermediates`: every tensor of the graph by name (graph input included). */
  tensors?: Map<string, T>;
}

interface Step {
  node: GraphNode;
  kernel: Kernel;
  inputs: string[];
  passThrough: boolean;
}

const plans = new WeakMap<Graph, Partial<Record<Precision, Step[]>>>();

function compileNode(g: Graph, node: GraphNode, prep: Prep): Kernel {
  const ins = node.inputs.map((i) => shapeOf(g, i));
  const out = shapeOf(g, node.output);
  switch (node.op) {
    case 'Gemm':
      return gemmKernel(node, prep);
    case 'MatMul':
      return matMulKernel(node, ins, prep);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return binaryKernel(node, ins, out, prep);
    case 'Conv':
      return convKernel(node, ins[0]!, out, prep);
    case 'MaxPool':
    case 'AveragePool':
      return poolKernel(node, ins[0]!, out);
    case 'GlobalAveragePool':
      return globalAveragePoolKernel(ins[0]!);
    case 'Flatten':
    case 'Reshape':
      return (xs) => xs[0]!;
    case 'Transpose':
      return transposeKernel(ins[0]!, node.attrs.perm);
    case 'BatchNormalization':
      return batchNormKernel(node, ins[0]!, prep);
    case 'Concat':
      return concatKernel(ins, node.attrs.axis);
    case 'Softmax':
      return softmaxKernel(ins[0]!, node.attrs.axis, node.attrs.log === true);
    case 'Activation':
      return activationKernel(node.attrs.activation);
    case 'Unary':
      return unaryKernel(node.attrs.fn);
    case 'Binary':
      return binaryFnKernel(node, ins, out, prep);
    case 'Where':
      return whereKernel(node, ins, out, prep);
    case 'PRelu':
      return preluKernel(node, ins[0]!, prep);
    case 'Pad':
      return padKernel(node, ins[0]!, out, prep);
    case 'Gather':
      return gatherKernel(node, ins[0]!, out);
    case 'Reduce':
      return reduceKernel(node, ins[0]!, out);
    case 'Constant':
      return constantKernel(node.weights.value, prep);
  }
}

function plan(g: Graph, precision: Precision): Step[] {
  let cache = plans.get(g);
  if (!cache) plans.set(g, (cache = {}));
  const prep = precision === 'float32' ? PREP32 : PREP64;
  return (cache[precision] ??= g.nodes.map((node) => ({
    node,
    kernel: compileNode(g, node, prep),
    inputs: [...node.inputs],
    passThrough: node.op === 'Flatten' || node.op === 'Reshape',
  })));
}

function roundInPlace(a: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]!);
}

/**
 * Runs a batch through the graph. `input` holds `batch` samples of the
 * graph input's per-sample shape, row-major. Returns Float64Array tensors in
 * float64 mode and Float32Array tensors in float32 mode.
 */
export function runFloat(
  g: Graph,
  input: ArrayLike<number>,
  batch: number,
  opts: RunOptions & { precision: 'float32' },
): FloatRunResult<Float32Array>;
export function runFloat(
  g: Graph,
  input: ArrayLike<number>,
  batch: number,
  opts?: RunOptions & { precision?: 'float64' },
): FloatRunResult<Float64Array>;
export function runFloat(g: Graph, input: ArrayLike<number>, batch: number, opts?: RunOptions): FloatRunResult<Float64Array | Float32Array>;
export function runFloat(
  g: Graph,
  input: ArrayLike<number>,
  batch: number,
  opts: RunOptions = {},
): FloatRunResult<Float64Array | Float32Array> {
  const precision = opts.precision ?? 'float64';
  const inInfo = graphInput(g);
  const perSample = sizeOf(inInfo.shape);
  if (!Number.isInteger(batch) || batch < 0 || input.length !== batch * perSample) {
    throw new UserError(
      `input has ${input.length} values; model '${g.name}' expects ${batch} x ${perSample} (per-sample shape [${inInfo.shape.join(',')}])`,
    );
  }
  const x = Float64Array.from(input);
  if (precision === 'float32') roundInPlace(x);
  const values = new Map<string, Float64Array>([[inInfo.name, x]]);
  for (const step of plan(g, precision)) {
    const y = step.kernel(
      step.inputs.map((i) => values.get(i)!),
      batch,
    );
    if (precision === 'float32' && !step.passThrough) roundInPlace(y);
    values.set(step.node.output, y);
  }
  const conv = precision === 'float32' ? (a: Float64Array) => Float32Array.from(a) : (a: Float64Array) => a;
  const outputs = new Map(g.outputs.map((o) => [o, conv(values.get(o)!)]));
  const result: FloatRunResult<Float64Array | Float32Array> = { output: outputs.get(g.outputs[0]!)!, outputs };
  if (opts.intermediates) result.tensors = new Map([...values].map(([k, v]) => [k, conv(v)]));
  return result;
}

/** float64 reference inference; returns the first output. */
export function runFloat64(g: Graph, input: ArrayLike<number>, batch: number): Float64Array {
  return runFloat(g, input, batch, { precision: 'float64' }).output;
}

/** float32 inference (rounding points: see Precision); returns the first output. */
export function runFloat32(g: Graph, input: ArrayLike<number>, batch: number): Float32Array {
  return runFloat(g, input, batch, { precision: 'float32' }).output;
}

/** Multiply-accumulates of one sample through the graph (Gemm, MatMul, Conv), for throughput figures. */
export function macsPerSample(g: Graph): number {
  let macs = 0;
  for (const n of g.nodes) {
    const out = sizeOf(shapeOf(g, n.output));
    if (n.op === 'Gemm') macs += out * (n.attrs.transB ? n.weights.B.shape[1]! : n.weights.B.shape[0]!);
    else if (n.op === 'MatMul') {
      const a = shapeOf(g, n.inputs[0]!);
      macs += out * a[a.length - 1]!;
    } else if (n.op === 'Conv') {
      const w = n.weights.W.shape;
      macs += out * w[1]! * w[2]! * w[3]!;
    }
  }
  return macs;
}
