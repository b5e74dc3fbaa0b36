import { UserError } from '../../errors.js';
import type { BinaryNode, Graph, GraphNode } from '../../models/graph.js';
import { graphInput, shapeOf, sizeOf } from '../../models/graph.js';
import { composeBinary, foldBefore, identityAffine, isUniform, scaleLayer, type ElementAffine } from './affine-const.js';
import type { FloatNet } from './float-net.js';

/**
 * Input normalization: the chain of Add/Sub/Mul/Div-by-constant nodes directly
 * after the graph input (x * 1/16, (x - mean) / std), composed into one
 * elementwise map x_n = s * raw + t, is folded where it is exact:
 * 1. s a power of two everywhere and t = 0: into the input format
 *    (rawScaleLog2; multiplying a double by 2^k is exact);
 * 2. else into the first dense or conv layer (through flatten/reshape/
 *    transpose when s and t are scalars), whose float weights absorb it
 *    (conv: per input channel, and t = 0 when it pads), unless the scales
 *    spread over more than MAX_FOLD_SPREAD (largest |s| over the median |s|):
 *    a StandardScaler with a few tiny standard deviations would make a few
 *    weights huge, the weight format would follow them and every other
 *    weight would round to 0;
 * 3. else as an elementwise scale layer of its own, with a format (pow2) or
 *    scale (affine) per feature, so each feature keeps its precision.
 */
export const MAX_FOLD_SPREAD = 8;

/** Largest |s| over the median |s| (1 for a uniform scale). */
export function scaleSpread(s: Float64Array): number {
  const a = Array.from(s, Math.abs).sort((x, y) => x - y);
  const median = a[Math.floor(a.length / 2)]!;
  return median > 0 ? a[a.length - 1]! / median : Infinity;
}
export type InputPlan =
  | { kind: 'none'; skip: Set<string> }
  | { kind: 'pow2'; skip: Set<string>; end: string; log2: number; nodes: string[] }
  | {
      kind: 'fold';
      skip: Set<string>;
      end: string;
      a: ElementAffine;
      uniform: boolean;
      movement: string[];
      target: string;
      nodes: string[];
    }
  | { kind: 'layer'; skip: Set<string>; end: string; a: ElementAffine; nodes: string[] };

function soleConsumer(g: Graph, uses: Map<string, number>, t: string): GraphNode | undefined {
  if (uses.get(t) !== 1 || g.outputs.includes(t)) return undefined;
  return g.nodes.find((n) => n.inputs.includes(t));
}

function chain(g: Graph, uses: Map<string, number>): { end: string; a: ElementAffine; nodes: BinaryNode[] } {
  const input = graphInput(g);
  const a = identityAffine(sizeOf(input.shape));
  const nodes: BinaryNode[] = [];
  let end = input.name;
  for (;;) {
    const n = soleConsumer(g, uses, end);
    if (!n || (n.op !== 'Add' && n.op !== 'Sub' && n.op !== 'Mul' && n.op !== 'Div') || n.inputs.length !== 1) break;
    if (shapeOf(g, n.output).join(',') !== input.shape.join(',')) break;
    const trial = { s: Float64Array.from(a.s), t: Float64Array.from(a.t) };
    if (!composeBinary(trial, n, input.shape)) break;
    a.s = trial.s;
    a.t = trial.t;
    nodes.push(n);
    end = n.output;
  }
  return { end, a, nodes };
}

function powerOfTwo(s: number): number | undefined {
  if (!(s > 0)) return undefined;
  const k = Math.round(Math.log2(s));
  return 2 ** k === s ? k : undefined;
}

export function inputPlan(g: Graph, uses: Map<string, number>): InputPlan {
  const { end, a, nodes } = chain(g, uses);
  const skip = new Set(nodes.map((n) => n.name));
  const names = nodes.map((n) => n.name);
  if (nodes.length === 0) return { kind: 'none', skip };
  const uniform = isUniform(a.s) && isUniform(a.t);
  const k = uniform && a.t[0] === 0 ? powerOfTwo(a.s[0]!) : undefined;
  if (k !== undefined) return { kind: 'pow2', skip, end, log2: k, nodes: names };
  const movement: string[] = [];
  let cur = end;
  let n = soleConsumer(g, uses, cur);
  while (uniform && n && (n.op === 'Flatten' || n.op === 'Reshape' || n.op === 'Transpose')) {
    movement.push(n.name);
    cur = n.output;
    n = soleConsumer(g, uses, cur);
  }
  if (n && (n.op === 'Gemm' || n.op === 'MatMul' || n.op === 'Conv'))
    return { kind: 'fold', skip, end, a, uniform, movement, target: n.name, nodes: names };
  return { kind: 'layer', skip, end, a, nodes: names };
}

/** Rewrites the net's input side according to the plan (see InputPlan). */
export function applyInputPlan(net: FloatNet, g: Graph, p: InputPlan): void {
  const raw = graphInput(g).name;
  if (p.kind === 'none') return;
  const what = p.nodes.map((n) => `'${n}'`).join(', ');
  if (p.kind === 'pow2') {
    net.input = { name: p.end, shape: net.input.shape, rawScaleLog2: p.log2 };
    net.notes.inputNormalization = `${what} folded into the input format: raw values times 2^${p.log2}, exact`;
    return;
  }
  const spread = scaleSpread(p.a.s);
  if (p.kind === 'fold' && spread <= MAX_FOLD_SPREAD && foldInto(net, p, raw)) {
    net.notes.inputNormalization = `${what} folded into the weights of '${p.target}'`;
    return;
  }
  const shape = [...net.input.shape];
  net.layers.unshift(scaleLayer(p.nodes[p.nodes.length - 1]!, raw, p.end, shape, p.a, [...p.nodes]));
  const why =
    p.kind === 'fold' && spread > MAX_FOLD_SPREAD
      ? ` (its scales spread ${spread.toPrecision(3)}x, over ${MAX_FOLD_SPREAD}x: folding would leave most weights 0)`
      : '';
  net.notes.inputNormalization = `${what} executed as an elementwise scale layer with a format per feature${why}`;
}

/** Folds into the target layer; the movement layers between now carry raw values and their tensors are renamed '<name>@raw'. */
function foldInto(net: FloatNet, p: Extract<InputPlan, { kind: 'fold' }>, raw: string): boolean {
  const target = net.layers.find((l) => l.name === p.target);
  if (!target) throw new Error(`internal: fold target '${p.target}' was not lowered`);
  const inShape = movementInShape(net, p, target.inputs[0]!);
  const size = sizeOf(inShape);
  const a = p.uniform ? { s: new Float64Array(size).fill(p.a.s[0]!), t: new Float64Array(size).fill(p.a.t[0]!) } : p.a;
  if (!foldBefore(target, a, inShape)) return false;
  target.folded.push(...p.nodes);
  const renames = new Map<string, string>([[p.end, raw]]);
  for (const name of p.movement) {
    const l = net.layers.find((x) => x.name === name)!;
    renames.set(l.output, `${l.output}@raw`);
    l.output = `${l.output}@raw`;
  }
  for (const l of net.layers) l.inputs = l.inputs.map((i) => renames.get(i) ?? i);
  if (net.layers.some((l) => l.inputs.includes(p.end)))
    throw new UserError(`input normalization '${p.end}' is used elsewhere; cannot fold it`);
  return true;
}

/** The per-sample shape feeding the fold target (the last movement layer's output, or the input's). */
function movementInShape(net: FloatNet, p: Extract<InputPlan, { kind: 'fold' }>, targetInput: string): readonly number[] {
  if (p.movement.length === 0) return net.input.shape;
  const last = net.layers.find((l) => l.name === p.movement[p.movement.length - 1]);
  return last && last.output === targetInput ? last.shape : net.input.shape;
}
