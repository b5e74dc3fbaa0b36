import { UserError } from '../../errors.js';
import type { ActivationSpec } from '../../activations/float.js';
import { isConstKind, type ConstKind } from '../../activations/elementwise.js';
import type { BatchNormNode, BinaryFn, BinaryFnNode, BinaryNode, Graph, GraphNode, Tensor } from '../../models/graph.js';
import { unaryKind } from '../../models/ops/unary.js';
import { graphInput, shapeOf, sizeOf } from '../../models/graph.js';
import { fuseTanhGelu } from '../../models/passes-gelu.js';
import { composeBinary, foldAfter, identityAffine, scaleLayer, type ElementAffine } from './affine-const.js';
import type { FDense, FConv, FLayer, FloatNet } from './float-net.js';
import { applyInputPlan, inputPlan } from './normalize.js';
import { lowerData } from './lower-data.js';
import { lowerBinaryFn, lowerMatMul, lowerWhere } from './lower-arith.js';

/** Gemm as dense: W = alpha * op(B) laid out [N, K]; b = beta * C broadcast to N (zeros without C). */
function gemmLayer(n: Extract<GraphNode, { op: 'Gemm' }>, shape: number[]): FDense {
  const B = n.weights.B;
  const [K, N] = n.attrs.transB ? [B.shape[1]!, B.shape[0]!] : [B.shape[0]!, B.shape[1]!];
  const W = new Float64Array(N * K);
  for (let o = 0; o < N; o++) for (let k = 0; k < K; k++) W[o * K + k] = n.attrs.alpha * B.data[n.attrs.transB ? o * K + k : k * N + o]!;
  const b = new Float64Array(N);
  const C = n.weights.C;
  if (C) for (let o = 0; o < N; o++) b[o] = n.attrs.beta * C.data[C.data.length === 1 ? 0 : o]!;
  return { op: 'dense', name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [], W, N, K, b };
}

/** MatMul by constant weights B [K, N] as dense (of two runtime tensors: lower-arith.ts). */
function matMulLayer(n: Extract<GraphNode, { op: 'MatMul' }>, B: Tensor, shape: number[]): FDense {
  const [K, N] = B.shape as [number, number];
  const W = new Float64Array(N * K);
  for (let o = 0; o < N; o++) for (let k = 0; k < K; k++) W[o * K + k] = B.data[k * N + o]!;
  return { op: 'dense', name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [], W, N, K, b: new Float64Array(N) };
}

function convLayer(n: Extract<GraphNode, { op: 'Conv' }>, shape: number[]): FConv {
  const a = n.attrs;
  const M = n.weights.W.shape[0]!;
  return {
    op: 'conv',
    name: n.name,
    inputs: [...n.inputs],
    output: n.output,
    shape,
    folded: [],
    W: Float64Array.from(n.weights.W.data),
    wShape: n.weights.W.shape as [number, number, number, number],
    b: n.weights.B ? Float64Array.from(n.weights.B.data) : new Float64Array(M),
    group: a.group,
    kernel: [...a.kernel],
    strides: [...a.strides],
    pads: [...a.pads],
    dilations: [...a.dilations],
  };
}

/** BatchNorm as an elementwise affine map over [C, ...]: s = scale / sqrt(var + eps), t = bias - mean * s. */
function batchNormAffine(n: BatchNormNode, shape: readonly number[]): ElementAffine {
  const a = identityAffine(sizeOf(shape));
  const C = shape[0]!,
    per = a.s.length / C;
  const w = n.weights;
  for (let c = 0; c < C; c++) {
    const s = w.scale.data[c]! / Math.sqrt(w.var.data[c]! + n.attrs.epsilon);
    const t = w.bias.data[c]! - w.mean.data[c]! * s;
    a.s.fill(s, c * per, (c + 1) * per);
    a.t.fill(t, c * per, (c + 1) * per);
  }
  return a;
}

interface Ctx {
  g: Graph;
  uses: Map<string, number>;
  layers: FLayer[];
  byOutput: Map<string, FLayer>;
  notes: Record<string, string>;
}

/** An elementwise affine node: folded into its producer when that is a dense/conv used only here, else a scale layer. */
function affineNode(c: Ctx, n: GraphNode, a: ElementAffine): FLayer | null {
  const src = c.byOutput.get(n.inputs[0]!);
  if (
    src &&
    (src.op === 'dense' || src.op === 'conv') &&
    c.uses.get(src.output) === 1 &&
    !c.g.outputs.includes(src.output) &&
    foldAfter(src, a)
  ) {
    c.byOutput.delete(src.output);
    src.output = n.output;
    src.folded.push(n.name);
    c.byOutput.set(src.output, src);
    return null;
  }
  return scaleLayer(n.name, n.inputs[0]!, n.output, shapeOf(c.g, n.output), a, [n.name]);
}

function softmaxNode(c: Ctx, n: Extract<GraphNode, { op: 'Softmax' }>): null {
  if (!c.g.outputs.includes(n.output) || c.uses.get(n.output) !== 1) {
    throw new UserError(
      `node '${n.name}': ${n.attrs.log ? 'LogSoftmax' : 'Softmax'} is supported only as the network's last operation (the integer model stops at its logits)`,
    );
  }
  c.notes.softmax = `'${n.name}' (${n.attrs.log ? 'LogSoftmax' : 'Softmax'}) not executed in integer: argmax is invariant under it; the integer model outputs its input '${n.inputs[0]}' (logits, where the float model's run prints ${n.attrs.log ? 'log-probabilities' : 'probabilities'})`;
  return null;
}

function lowerNode(c: Ctx, n: GraphNode): FLayer | null {
  const shape = [...shapeOf(c.g, n.output)];
  const base = { name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [] as string[] };
  switch (n.op) {
    case 'Gemm':
      return gemmLayer(n, shape);
    case 'MatMul':
      return n.weights.B ? matMulLayer(n, n.weights.B, shape) : lowerMatMul(c.g, n, shape);
    case 'Conv':
      return convLayer(n, shape);
    case 'MaxPool':
    case 'AveragePool':
      return {
        ...base,
        op: n.op === 'MaxPool' ? 'maxpool' : 'avgpool',
        kernel: [...n.attrs.kernel],
        strides: [...n.attrs.strides],
        pads: [...n.attrs.pads],
        dilations: [...n.attrs.dilations],
        ceilMode: n.attrs.ceilMode,
        countIncludePad: n.attrs.countIncludePad,
      };
    case 'GlobalAveragePool':
      return { ...base, op: 'globalavgpool' };
    case 'Flatten':
      return { ...base, op: 'flatten' };
    case 'Reshape':
      return { ...base, op: 'reshape' };
    case 'Transpose':
      return { ...base, op: 'transpose', perm: [...n.attrs.perm] };
    case 'Concat':
      return { ...base, op: 'concat', axis: n.attrs.axis };
    case 'Activation':
      return { ...base, op: 'activation', spec: n.attrs.activation };
    case 'Softmax':
      return softmaxNode(c, n);
    case 'BatchNormalization':
      return affineNode(c, n, batchNormAffine(n, shape));
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return binaryNode(c, n, shape);
    case 'Unary':
      return { ...base, op: 'activation', spec: { kind: unaryKind(n.attrs.fn) } as ActivationSpec };
    case 'Binary':
      if (n.inputs.length === 2) return lowerBinaryFn(c.g, n, n.attrs.fn, shape);
      return { ...base, op: 'activation', spec: constFnSpec(c, n, shape) };
    case 'Where':
      return lowerWhere(c.g, n, shape);
    case 'PRelu':
      return { ...base, op: 'activation', spec: { kind: 'leakyrelu', alpha: uniformConstant(n, n.weights.slope, 'slope') } };
    case 'Gather':
    case 'Reduce':
    case 'Constant':
    case 'Pad':
      return lowerData(n, shape);
    default: {
      // Every graph op is lowered today; an op added to the graph later is refused here until it is.
      const u = n as GraphNode;
      throw new UserError(`node '${u.name}': ${u.op}${fnOf(u)} is not supported by the integer simulator (float inference runs it)`);
    }
  }
}

/** ' <fn>' of a node with a function attribute (Unary, Binary, Reduce), else ''. */
const fnOf = (n: GraphNode): string => {
  const a = (n as { attrs?: { fn?: string } }).attrs;
  return a?.fn ? ` ${a.fn}` : '';
};

/** The value of a constant that is the same everywhere; else one line naming the node. */
function uniformConstant(n: GraphNode, t: Tensor, what: string): number {
  const v = t.data[0]!;
  if (!t.data.every((x) => x === v))
    throw new UserError(
      `node '${n.name}': ${n.op} with a ${what} that varies over elements is not supported by the integer simulator (a scalar ${what} is)`,
    );
  return v;
}

/** Binary fns whose left constant operand gives the mirrored comparison: c > x is x < c. */
const MIRRORED: Partial<Record<BinaryFn, ConstKind>> = {
  Min: 'min',
  Max: 'max',
  Equal: 'equal',
  Greater: 'less',
  Less: 'greater',
  GreaterOrEqual: 'lessorequal',
  LessOrEqual: 'greaterorequal',
};

/**
 * A two-operand elementwise fn of a runtime tensor and a scalar constant c as
 * the elementwise unit 'fn:c' (x op c); with the constant on the left only the
 * commutative fns and the comparisons (mirrored). Anything else: one line.
 */
function constFnSpec(c: Ctx, n: BinaryFnNode, shape: number[]): ActivationSpec {
  const fn = n.attrs.fn;
  const k = n.weights.B ?? n.weights.A;
  const kind = n.weights.B ? (fn.toLowerCase() as ConstKind) : MIRRORED[fn];
  if (n.inputs.length !== 1 || !k)
    throw new UserError(
      `node '${n.name}': ${fn} of two runtime tensors is not supported by the integer simulator (${fn} with a scalar constant is)`,
    );
  if (!kind || !isConstKind(kind))
    throw new UserError(
      `node '${n.name}': ${fn} with a constant ${n.weights.B ? 'right' : 'left'} operand is not supported by the integer simulator`,
    );
  if (shapeOf(c.g, n.inputs[0]!).join(',') !== shape.join(','))
    throw new UserError(`node '${n.name}': ${fn} whose constant broadcasts the input to a larger shape is not supported`);
  return { kind, c: uniformConstant(n, k, 'constant') };
}

/**
 * Mul of two runtime tensors as a mul layer whose second input broadcasts to
 * the first (products commute, so a broadcast first operand, as in
 * torchvision's squeeze-and-excitation `scale * input`, is swapped).
 */
function mulLayer(c: Ctx, n: BinaryNode, shape: number[]): FLayer {
  const fits = (s: readonly number[]) => s.length === shape.length && s.every((d, i) => d === 1 || d === shape[i]);
  const [a, b] = n.inputs.map((i) => shapeOf(c.g, i));
  const full = (s: readonly number[]) => s.join(',') === shape.join(',');
  const inputs = full(a!) && fits(b!) ? [n.inputs[0]!, n.inputs[1]!] : full(b!) && fits(a!) ? [n.inputs[1]!, n.inputs[0]!] : undefined;
  if (!inputs)
    throw new UserError(
      `node '${n.name}': Mul of [${a!.join(',')}] and [${b!.join(',')}] is not supported (one operand must have the output's shape, the other broadcast to it)`,
    );
  return { name: n.name, inputs, output: n.output, shape, folded: [], op: 'mul' };
}

function binaryNode(c: Ctx, n: BinaryNode, shape: number[]): FLayer | null {
  if (n.inputs.length === 2) {
    if (n.op === 'Mul') return mulLayer(c, n, shape);
    if (n.op === 'Sub' || n.op === 'Div') return lowerBinaryFn(c.g, n, n.op, shape);
    if (shapeOf(c.g, n.inputs[0]!).join(',') !== shapeOf(c.g, n.inputs[1]!).join(','))
      throw new UserError(`node '${n.name}': Add of tensors of different shapes (broadcasting) is not supported`);
    return { name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [], op: 'add' };
  }
  const a = identityAffine(sizeOf(shape));
  if (shapeOf(c.g, n.inputs[0]!).join(',') !== shape.join(',') || !composeBinary(a, n, shape)) {
    throw new UserError(`node '${n.name}': ${n.op} with a constant is supported as an elementwise scale or offset of its input only`);
  }
  return affineNode(c, n, a);
}

/**
 * The graph as a FloatNet: input normalization folded (normalize.ts),
 * BatchNorm and constant scale/offset nodes folded into the preceding
 * dense/conv (or made scale layers), MatMul with constant weights as dense,
 * a final Softmax dropped (recorded in notes).
 */
export function lowerGraph(source: Graph): FloatNet {
  const { graph: g, fused } = fuseTanhGelu(source);
  const uses = new Map<string, number>();
  for (const n of g.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of g.outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const plan = inputPlan(g, uses);
  const c: Ctx = { g, uses, layers: [], byOutput: new Map(), notes: {} };
  if (fused.length > 0)
    c.notes.tanhGelu = `tanh-approximated GELU ${fused.map((n) => `'${n}'`).join(', ')} runs as the gelu unit (exact erf form; the two differ by less than 5e-4)`;
  for (const n of g.nodes) {
    if (plan.skip.has(n.name)) continue;
    const l = lowerNode(c, n);
    if (l) {
      c.layers.push(l);
      c.byOutput.set(l.output, l);
    }
  }
  const outputs = g.outputs.map((o) => {
    const sm = g.nodes.find((n) => n.output === o && n.op === 'Softmax');
    return sm ? sm.inputs[0]! : o;
  });
  const input = graphInput(g);
  const net: FloatNet = { name: g.name, input: { name: input.name, shape: [...input.shape] }, layers: c.layers, outputs, notes: c.notes };
  applyInputPlan(net, g, plan);
  return net;
}
