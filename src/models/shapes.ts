import { UserError } from '../errors.js';
import { ACTIVATION_KINDS } from '../activations/float.js';
import type { Graph, GraphDef, GraphNode, Tensor } from './graph.js';
import { sizeOf } from './graph.js';
import { windowOutput } from './window.js';
import { checkedElementCount, checkWindowMemory } from '../limits.js';
import { inferDataOpShape } from './shapes-data-ops.js';

function fail(node: GraphNode, what: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${what}`);
}

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/** numpy broadcasting of two shapes aligned from the right; null when incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = new Array(r);
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out[i] = x === 1 ? y : x;
  }
  return out;
}

function checkWeight(node: GraphNode, name: string, t: Tensor | undefined, shape?: readonly number[]): void {
  if (t === undefined) return;
  if (t.data.length !== sizeOf(t.shape)) fail(node, `weight ${name} has ${t.data.length} values for shape ${fmt(t.shape)}`);
  if (shape !== undefined && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    fail(node, `weight ${name} has shape ${fmt(t.shape)}, expected ${fmt(shape)}`);
  }
}

function gemmShape(node: Extract<GraphNode, { op: 'Gemm' }>, x: readonly number[]): number[] {
  const { B, C } = node.weights;
  if (x.length !== 1) fail(node, `input must be [K] per sample, got ${fmt(x)}`);
  if (B.shape.length !== 2) fail(node, `weight B must be 2-D, got ${fmt(B.shape)}`);
  const [k, n] = node.attrs.transB ? [B.shape[1]!, B.shape[0]!] : [B.shape[0]!, B.shape[1]!];
  if (k !== x[0]) fail(node, `input has ${x[0]} features, weight B expects ${k}`);
  checkWeight(node, 'B', B);
  if (C !== undefined) {
    checkWeight(node, 'C', C);
    const ok = sizeOf(C.shape) === 1 || (sizeOf(C.shape) === n && C.shape[C.shape.length - 1] === n && C.shape.length <= 2);
    if (!ok)
      fail(node, `bias C of shape ${fmt(C.shape)} does not broadcast to [${n}] (a bias varying over the batch rows is not supported)`);
  }
  return [n];
}

function matMulShape(node: Extract<GraphNode, { op: 'MatMul' }>, ins: (readonly number[])[]): number[] {
  const a = ins[0]!;
  const b = node.weights.B ? node.weights.B.shape : ins[1];
  if (b === undefined || (node.weights.B !== undefined) === (ins.length === 2))
    fail(node, 'needs exactly one of a second input or weight B');
  checkWeight(node, 'B', node.weights.B);
  if (a.length < 1 || b.length < 2) fail(node, `operands ${fmt(a)} x ${fmt(b)}: need A rank >= 1 and B rank >= 2`);
  const k = a[a.length - 1]!;
  if (b[b.length - 2] !== k) fail(node, `inner dimensions differ: ${fmt(a)} x ${fmt(b)}`);
  if (node.weights.B) {
    if (b.length !== 2) fail(node, `constant B must be 2-D, got ${fmt(b)}`);
    return [...a.slice(0, -1), b[1]!];
  }
  if (a.length < 2) fail(node, `runtime operands ${fmt(a)} x ${fmt(b)}: the left operand needs rank >= 2`);
  const lead = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (lead === null) fail(node, `leading dimensions of ${fmt(a)} x ${fmt(b)} do not broadcast`);
  return [...lead, a[a.length - 2]!, b[b.length - 1]!];
}

function binaryShape(node: Extract<GraphNode, { op: 'Add' | 'Sub' | 'Mul' | 'Div' }>, ins: (readonly number[])[]): number[] {
  const { A, B } = node.weights;
  const consts = (A ? 1 : 0) + (B ? 1 : 0);
  if (consts + ins.length !== 2 || (A && B)) fail(node, 'needs two operands: two inputs, or one input and one constant A or B');
  checkWeight(node, 'A', A);
  checkWeight(node, 'B', B);
  const a = A ? A.shape : ins[0]!;
  const b = B ? B.shape : A ? ins[0]! : ins[1]!;
  const out = broadcastShapes(a, b);
  if (out === null) fail(node, `shapes ${fmt(a)} and ${fmt(b)} do not broadcast`);
  const runtime = ins.reduce((r, s) => Math.max(r, s.length), 0);
  if (out.length > runtime) fail(node, `constant of rank ${out.length} is larger than the per-sample tensor ${fmt(ins[0]!)}`);
  return out;
}

function convShape(node: Extract<GraphNode, { op: 'Conv' }>, x: readonly number[]): number[] {
  const { W, B } = node.weights;
  const { kernel, strides, pads, dilations, group } = node.attrs;
  if (x.length !== 3) fail(node, `input must be [C,H,W] per sample, got ${fmt(x)}`);
  if (W.shape.length !== 4) fail(node, `weight W must be [M,C/group,kh,kw], got ${fmt(W.shape)}`);
  const [m, cg, kh, kw] = W.shape as [number, number, number, number];
  if (!(group >= 1 && x[0]! % group === 0 && m % group === 0))
    fail(node, `group ${group} does not divide channels ${x[0]} and filters ${m}`);
  if (cg * group !== x[0]) fail(node, `weight expects ${cg * group} input channels, input has ${x[0]}`);
  if (kh !== kernel[0] || kw !== kernel[1]) fail(node, `kernel ${fmt(kernel)} differs from weight ${fmt(W.shape)}`);
  checkWeight(node, 'W', W);
  checkWeight(node, 'B', B, [m]);
  return [m, ...windowDims(node, x, { kernel, strides, pads, dilations }, false)];
}

function windowDims(
  node: GraphNode,
  x: readonly number[],
  w: { kernel: readonly number[]; strides: readonly number[]; pads: readonly number[]; dilations: readonly number[] },
  ceil: boolean,
): [number, number] {
  const all = [...w.kernel, ...w.strides, ...w.dilations];
  if (all.some((v) => !Number.isInteger(v) || v < 1) || w.pads.some((p) => !Number.isInteger(p) || p < 0)) {
    fail(node, `bad window kernel ${fmt(w.kernel)} strides ${fmt(w.strides)} pads ${fmt(w.pads)} dilations ${fmt(w.dilations)}`);
  }
  const oh = windowOutput(x[1]!, w.kernel[0]!, w.strides[0]!, w.pads[0]!, w.pads[2]!, w.dilations[0]!, ceil);
  const ow = windowOutput(x[2]!, w.kernel[1]!, w.strides[1]!, w.pads[1]!, w.pads[3]!, w.dilations[1]!, ceil);
  if (oh < 1 || ow < 1) fail(node, `window ${fmt(w.kernel)} does not fit input ${fmt(x)} with pads ${fmt(w.pads)}`);
  return [oh, ow];
}

function poolShape(node: Extract<GraphNode, { op: 'MaxPool' | 'AveragePool' }>, x: readonly number[]): number[] {
  if (x.length !== 3) fail(node, `input must be [C,H,W] per sample, got ${fmt(x)}`);
  const a = node.attrs;
  if (node.op === 'AveragePool' && (a.dilations[0] !== 1 || a.dilations[1] !== 1)) fail(node, 'AveragePool dilations must be 1');
  // A window lying wholly in the padding would have no input (max of nothing).
  const spans = [(a.kernel[0] - 1) * a.dilations[0] + 1, (a.kernel[1] - 1) * a.dilations[1] + 1];
  if (a.pads.some((p, i) => p >= spans[i % 2]!)) fail(node, `pads ${fmt(a.pads)} must be smaller than the window ${fmt(spans)}`);
  return [x[0]!, ...windowDims(node, x, a, a.ceilMode)];
}

function reshapeShape(node: Extract<GraphNode, { op: 'Reshape' }>, x: readonly number[]): number[] {
  const s = node.attrs.shape;
  if (s.some((d) => !Number.isInteger(d) || d < 1)) fail(node, `target shape ${fmt(s)} must be positive integers`);
  if (sizeOf(s) !== sizeOf(x)) fail(node, `cannot reshape ${fmt(x)} (${sizeOf(x)} values) to ${fmt(s)}`);
  return [...s];
}

function transposeShape(node: Extract<GraphNode, { op: 'Transpose' }>, x: readonly number[]): number[] {
  const p = node.attrs.perm;
  const sorted = [...p].sort((u, v) => u - v);
  if (p.length !== x.length || sorted.some((v, i) => v !== i)) fail(node, `perm ${fmt(p)} is not a permutation of ${x.length} axes`);
  return p.map((i) => x[i]!);
}

function concatShape(node: Extract<GraphNode, { op: 'Concat' }>, ins: (readonly number[])[]): number[] {
  const ax = node.attrs.axis;
  const first = ins[0]!;
  if (ins.length < 1 || !(ax >= 0 && ax < first.length)) fail(node, `axis ${ax} out of range for ${fmt(first)}`);
  let total = 0;
  for (const s of ins) {
    if (s.length !== first.length || s.some((d, i) => i !== ax && d !== first[i]))
      fail(node, `inputs ${ins.map(fmt).join(' ')} differ outside axis ${ax}`);
    total += s[ax]!;
  }
  const out = [...first];
  out[ax] = total;
  return out;
}

function checkActivation(node: Extract<GraphNode, { op: 'Activation' }>): void {
  const a = node.attrs.activation;
  if (!(ACTIVATION_KINDS as readonly string[]).includes(a.kind)) fail(node, `unknown activation kind '${a.kind}'`);
  if (a.kind === 'clamp' && !((a.min ?? -1) < (a.max ?? 1))) fail(node, 'clamp needs min < max');
}

/**
 * Per-sample output shape of a node from its inputs' shapes; UserError on any
 * mismatch, and when one sample of the output (or a window's working memory)
 * is over the tensor memory ceiling (limits.ts).
 */
export function inferShape(node: GraphNode, ins: (readonly number[])[]): number[] {
  const out = opShape(node, ins);
  checkedElementCount(`node '${node.name}' (${node.op}) output`, out);
  if (node.op === 'Conv' || node.op === 'MaxPool' || node.op === 'AveragePool') {
    checkWindowMemory(`node '${node.name}' (${node.op})`, ins[0]!, node.attrs.kernel, node.attrs.pads, out.slice(1));
  }
  return out;
}

function opShape(node: GraphNode, ins: (readonly number[])[]): number[] {
  switch (node.op) {
    case 'Unary':
    case 'Binary':
    case 'Where':
    case 'PRelu':
    case 'Pad':
    case 'Gather':
    case 'Reduce':
    case 'Constant':
      return inferDataOpShape(node, ins);
  }
  const x = ins[0]!;
  const arity =
    node.op === 'Concat'
      ? ins.length
      : node.op === 'MatMul' || node.op === 'Add' || node.op === 'Sub' || node.op === 'Mul' || node.op === 'Div'
        ? ins.length
        : 1;
  if (ins.length !== arity || ins.length === 0) fail(node, `wrong number of inputs (${ins.length})`);
  switch (node.op) {
    case 'Gemm':
      return gemmShape(node, x);
    case 'MatMul':
      return matMulShape(node, ins);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return binaryShape(node, ins);
    case 'Conv':
      return convShape(node, x);
    case 'MaxPool':
    case 'AveragePool':
      return poolShape(node, x);
    case 'GlobalAveragePool':
      if (x.length !== 3) fail(node, `input must be [C,H,W] per sample, got ${fmt(x)}`);
      return [x[0]!, 1, 1];
    case 'Flatten':
      return [sizeOf(x)];
    case 'Reshape':
      return reshapeShape(node, x);
    case 'Transpose':
      return transposeShape(node, x);
    case 'BatchNormalization':
      if (x.length < 1) fail(node, 'input must have a channel axis');
      for (const k of ['scale', 'bias', 'mean', 'var'] as const) checkWeight(node, k, node.weights[k], [x[0]!]);
      return [...x];
    case 'Concat':
      return concatShape(node, ins);
    case 'Softmax':
      if (!(node.attrs.axis >= 0 && node.attrs.axis < x.length)) fail(node, `axis ${node.attrs.axis} out of range for ${fmt(x)}`);
      return [...x];
    case 'Activation':
      checkActivation(node);
      return [...x];
  }
}

/** Orders nodes so each comes after the producers of its inputs; UserError on a cycle or an undefined input. */
function topoSort(def: GraphDef): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const n of def.nodes) {
    if (producer.has(n.output) || def.inputs.some((i) => i.name === n.output))
      throw new UserError(`tensor '${n.output}' is produced twice (node '${n.name}')`);
    producer.set(n.output, n);
  }
  const state = new Map<GraphNode, 1 | 2>();
  const order: GraphNode[] = [];
  const visit = (n: GraphNode): void => {
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) throw new UserError(`graph has a cycle through node '${n.name}'`);
    state.set(n, 1);
    for (const i of n.inputs) {
      const p = producer.get(i);
      if (p) visit(p);
      else if (!def.inputs.some((g) => g.name === i))
        throw new UserError(`node '${n.name}' reads '${i}', which no node or graph input produces`);
    }
    state.set(n, 2);
    order.push(n);
  };
  for (const n of def.nodes) visit(n);
  return order;
}

/**
 * Checks a graph definition and returns the Graph: nodes in topological order
 * (stable for an already sorted list), shapes inferred for every tensor,
 * unique names, outputs produced. Every problem is a UserError naming the node.
 */
export function buildGraph(def: GraphDef): Graph {
  if (def.inputs.length !== 1) throw new UserError(`graph '${def.name}' has ${def.inputs.length} inputs; helu-sim models take exactly one`);
  const names = new Set<string>();
  for (const n of def.nodes) {
    if (names.has(n.name)) throw new UserError(`two nodes are named '${n.name}'`);
    names.add(n.name);
  }
  const nodes = topoSort(def);
  const shapes = new Map<string, readonly number[]>();
  for (const i of def.inputs) {
    if (i.shape.some((d) => !Number.isInteger(d) || d < 1))
      throw new UserError(`graph input '${i.name}' has shape ${fmt(i.shape)}; every non-batch dimension must be a positive integer`);
    checkedElementCount(`graph input '${i.name}'`, i.shape);
    shapes.set(i.name, [...i.shape]);
  }
  for (const n of nodes)
    shapes.set(
      n.output,
      inferShape(
        n,
        n.inputs.map((i) => shapes.get(i)!),
      ),
    );
  if (def.outputs.length === 0) throw new UserError(`graph '${def.name}' has no outputs`);
  for (const o of def.outputs) if (!shapes.has(o)) throw new UserError(`graph output '${o}' is not produced by any node`);
  return { name: def.name, inputs: def.inputs, outputs: def.outputs, nodes, metadata: def.metadata, shapes };
}
