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
export function fuseMatMulBias(
  nodes: readonly GraphNode[],
  outputs: readonly string[],
  shapes: ReadonlyMap<string, readonly number[]>,
): GraphNode[] {
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
      op: 'Gemm',
      name: m.name,
      inputs: m.inputs,
      output: add.output,
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

/**
 * foldPads: a constant Pad of an image [C, H, W] (no channel padding, no
 * cropping) whose only consumer is a Conv padding with 0, a MaxPool (pads
 * -infinity, never a maximum) or an AveragePool with 0 becomes part of that
 * node's pads, as PyTorch's padded pools export: Conv and MaxPool read exactly
 * the same values; an AveragePool with the Pad folded counts the padded
 * positions (count_include_pad = 1), as it did when they were real inputs, so
 * it folds only when its own pads are 0 or already counted. Otherwise the Pad
 * stays a node.
 */
export function foldPads(
  nodes: readonly GraphNode[],
  outputs: readonly string[],
  shapes: ReadonlyMap<string, readonly number[]>,
): GraphNode[] {
  const uses = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const removed = new Set<GraphNode>();
  const replaced = new Map<GraphNode, GraphNode>();
  for (const p of nodes) {
    if (p.op !== 'Pad' || uses.get(p.output) !== 1 || shapes.get(p.inputs[0]!)?.length !== 3) continue;
    const [c0, t, l, c1, b, r] = p.attrs.pads as [number, number, number, number, number, number];
    if (c0 !== 0 || c1 !== 0 || [t, l, b, r].some((v) => v < 0)) continue;
    const next = nodes.find((n) => n.inputs[0] === p.output);
    if (!next || !(next.op === 'Conv' || next.op === 'MaxPool' || next.op === 'AveragePool')) continue;
    const v = p.attrs.value;
    const ok =
      next.op === 'Conv'
        ? v === 0
        : next.op === 'MaxPool'
          ? v === -Infinity
          : v === 0 && (next.attrs.countIncludePad || next.attrs.pads.every((q) => q === 0));
    if (!ok) continue;
    const q = next.attrs.pads;
    const pads = [q[0] + t, q[1] + l, q[2] + b, q[3] + r] as const;
    const attrs = next.op === 'AveragePool' ? { ...next.attrs, pads, countIncludePad: true } : { ...next.attrs, pads };
    replaced.set(next, { ...next, inputs: [p.inputs[0]!, ...next.inputs.slice(1)], attrs } as GraphNode);
    removed.add(p);
  }
  return nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
}
