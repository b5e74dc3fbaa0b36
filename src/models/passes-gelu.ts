import type { BinaryNode, Graph, GraphNode, Tensor } from './graph.js';
import { buildGraph } from './shapes.js';

/**
 * The tanh approximation of GELU as PyTorch exports nn.GELU(approximate='tanh'):
 * 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))), x^3 written as
 * x*(x*x), (x*x)*x or Pow(x, 3), the 0.5 applied last or to x first. The float
 * engine computes it as written (so it agrees with PyTorch); for the integer
 * model, which has a GELU unit but no multiplier of two runtime tensors, the
 * subgraph becomes one gelu activation (exact erf form: the two differ by less
 * than 5e-4 in absolute value, far below an 8-bit LSB).
 */
const near = (t: Tensor | undefined, want: number): boolean =>
  t !== undefined && t.data.length === 1 && Math.abs(t.data[0]! - want) <= 1e-6 * Math.abs(want);

interface Ctx {
  producer: Map<string, GraphNode>;
  consumers: Map<string, GraphNode[]>;
  outputs: ReadonlySet<string>;
}

function sole(c: Ctx, t: string): GraphNode | undefined {
  const u = c.consumers.get(t);
  return !c.outputs.has(t) && u?.length === 1 ? u[0] : undefined;
}

/** The constant of a one-input Add/Mul node, or undefined. */
function constOf(n: GraphNode | undefined, op: 'Add' | 'Mul'): Tensor | undefined {
  if (!n || n.op !== op || n.inputs.length !== 1) return undefined;
  return n.weights.A ?? n.weights.B;
}

const isMul2 = (n: GraphNode | undefined): n is BinaryNode => n !== undefined && n.op === 'Mul' && n.inputs.length === 2;

/** The nodes computing x^3 from x ending at tensor `t`, or undefined. */
function cube(c: Ctx, t: string, x: string): GraphNode[] | undefined {
  const n = c.producer.get(t);
  if (n?.op === 'Binary' && n.attrs.fn === 'Pow' && n.inputs[0] === x && near(n.weights.B, 3)) return [n];
  if (!isMul2(n)) return undefined;
  const other = n.inputs[0] === x ? n.inputs[1]! : n.inputs[1] === x ? n.inputs[0]! : undefined;
  const sq = other === undefined ? undefined : c.producer.get(other);
  if (!isMul2(sq) || sq.inputs[0] !== x || sq.inputs[1] !== x || sole(c, sq.output) !== n) return undefined;
  return [sq, n];
}

function match(c: Ctx, tanh: GraphNode): { nodes: GraphNode[]; x: string; y: string } | undefined {
  if (tanh.op !== 'Activation' || tanh.attrs.activation.kind !== 'tanh') return undefined;
  const scale = c.producer.get(tanh.inputs[0]!);
  if (!near(constOf(scale, 'Mul'), Math.sqrt(2 / Math.PI)) || sole(c, scale!.output) !== tanh) return undefined;
  const sum = c.producer.get(scale!.inputs[0]!);
  if (!sum || sum.op !== 'Add' || sum.inputs.length !== 2 || sole(c, sum.output) !== scale) return undefined;
  for (const k of [0, 1]) {
    const x = sum.inputs[k]!,
      m = c.producer.get(sum.inputs[1 - k]!);
    if (!near(constOf(m, 'Mul'), 0.044715) || sole(c, m!.output) !== sum) continue;
    const cb = cube(c, m!.inputs[0]!, x);
    if (!cb || sole(c, m!.inputs[0]!) !== m) continue;
    const one = sole(c, tanh.output);
    if (!near(constOf(one, 'Add'), 1)) continue;
    const prod = sole(c, one!.output);
    if (!isMul2(prod)) continue;
    const left = prod.inputs[0] === one!.output ? prod.inputs[1]! : prod.inputs[0]!;
    const half = c.producer.get(left);
    if (left === x) {
      const last = sole(c, prod.output);
      if (near(constOf(last, 'Mul'), 0.5)) return { nodes: [...cb, m!, sum, scale!, tanh, one!, prod, last!], x, y: last!.output };
    } else if (near(constOf(half, 'Mul'), 0.5) && half!.inputs[0] === x && sole(c, half!.output) === prod) {
      return { nodes: [...cb, m!, sum, scale!, tanh, one!, half!, prod], x, y: prod.output };
    }
  }
  return undefined;
}

/** The graph with every tanh-GELU subgraph replaced by a gelu activation; the names of the replaced last nodes. */
export function fuseTanhGelu(g: Graph): { graph: Graph; fused: string[] } {
  const c: Ctx = { producer: new Map(g.nodes.map((n) => [n.output, n])), consumers: new Map(), outputs: new Set(g.outputs) };
  for (const n of g.nodes) for (const i of n.inputs) c.consumers.set(i, [...(c.consumers.get(i) ?? []), n]);
  const removed = new Set<GraphNode>();
  const added = new Map<GraphNode, GraphNode>();
  for (const n of g.nodes) {
    const m = match(c, n);
    if (!m || m.nodes.some((x) => removed.has(x))) continue;
    const last = m.nodes[m.nodes.length - 1]!;
    m.nodes.forEach((x) => removed.add(x));
    added.set(last, { op: 'Activation', name: last.name, inputs: [m.x], output: m.y, attrs: { activation: { kind: 'gelu' } } });
  }
  if (added.size === 0) return { graph: g, fused: [] };
  const nodes = g.nodes.flatMap((n) => (added.has(n) ? [added.get(n)!] : removed.has(n) ? [] : [n]));
  return { graph: buildGraph({ ...g, nodes }), fused: [...added.values()].map((n) => n.name) };
}
