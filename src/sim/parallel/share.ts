import type { Graph, Tensor } from '../../models/graph.js';

/*
 * Constants that worker threads read without a copy each: a typed array on a
 * SharedArrayBuffer is passed to a worker by reference (structured clone
 * shares the buffer), so every thread reads the one copy. Nothing writes
 * these arrays after they are made.
 */

/** A copy of `a` on a SharedArrayBuffer. */
export function sharedCopy(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** The graph with every node constant's values on SharedArrayBuffers (the rest of the graph as it is). */
export function shareGraph(g: Graph): Graph {
  const share = (t: Tensor): Tensor => (t.data instanceof Float64Array ? { shape: t.shape, data: sharedCopy(t.data) } : t);
  const nodes = g.nodes.map((n) => {
    const w = (n as { weights?: Record<string, Tensor | undefined> }).weights;
    if (!w) return n;
    return { ...n, weights: Object.fromEntries(Object.entries(w).map(([k, t]) => [k, t && share(t)])) };
  });
  return { ...g, nodes } as Graph;
}
