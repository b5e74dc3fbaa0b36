import type { GemmNode, GraphNode, Tensor } from './graph.js';
import { sizeOf } from './graph.js';

/**
 * Graph rewrites that keep float64 results bit-identical.
 *
 * fuseMatMulBias: MatMul(x [K], constant B [K, N]) followed by its only
 * consumer Add(., constant c of N elements) becomes one Gemm (transB 0) with
 * C = c: the Gemm computes the same dot product and adds c once, exactly as
 * the pair did (IEEE addition commutes). This is how Keras Dense layers reach
 * ONNX (tf2onnx writes MatMul + Add); the integer simulator then sees every
 * dense layer as a Gemm with its bias.
 */
export function fuseMatMulBias(nodes: readonly GraphNode[], outputs: readonly string[], shapes: ReadonlyMap<string, readonly number[]>): GraphNode[] {
  const uses = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const replaced = new Map<GraphNode, GraphNode | null>();
  for (const m of nodes) {
    if (m.op !== 'MatMul' || !m.weights.B || shapes.get(m.inputs[0]!)?.length !== 1 || uses.get(m.output) !== 1) continue;
    const add = nodes.find((n) => n.inputs.includes(m.output));
    if (!add || add.op !== 'Add' || add.inputs.length !== 1) continue;
    const c: Tensor | undefined = add.weights.A ?? add.weights.B;
    const N = m.weights.B.shape[1]!;
    if (!c || sizeOf(c.shape) !== N || (c.shape.length > 0 && c.shape[c.shape.length - 1] !== N)) continue;
    const gemm: GemmNode = {
      op: 'Gemm', name: m.name, inputs: m.inputs, output: add.output,
      attrs: { transA: 0, transB: 0, alpha: 1, beta: 1 },
      weights: { B: m.weights.B, C: { shape: [N], data: c.data } },
    };
    replaced.set(m, gemm);
    replaced.set(add, null);
  }
  return nodes.flatMap((n) => {
    const r = replaced.get(n);
    return r === undefined ? [n] : r === null ? [] : [r];
  });
}

/** Keeps only nodes that some graph output depends on. */
export function pruneUnused(nodes: readonly GraphNode[], outputs: readonly string[]): GraphNode[] {
  const byOutput = new Map(nodes.map((n) => [n.output, n]));
  const live = new Set<GraphNode>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const n = byOutput.get(stack.pop()!);
    if (!n || live.has(n)) continue;
    live.add(n);
    stack.push(...n.inputs);
  }
  return nodes.filter((n) => live.has(n));
}
