import { UserError } from '../errors.js';
import type { DataOpNode, GraphNode, Tensor } from './graph.js';
import { sizeOf } from './graph.js';
import { UNARY_FNS } from './graph-data-ops.js';

/** Shape inference of the general tensor operations (graph-data-ops.ts); shapes.ts dispatches here. */

function fail(node: GraphNode, what: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${what}`);
}

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/** numpy broadcasting of shapes aligned from the right; null when incompatible. */
export function broadcastAll(shapes: readonly (readonly number[])[]): number[] | null {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(r).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = r - s.length + i,
        d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] !== 1) return null;
      out[o] = d;
    }
  }
  return out;
}

function checkTensor(node: GraphNode, name: string, t: Tensor): void {
  if (t.data.length !== sizeOf(t.shape)) fail(node, `weight ${name} has ${t.data.length} values for shape ${fmt(t.shape)}`);
}

/**
 * The operand shapes of an elementwise node in operand order, runtime inputs
 * taken in turn where no constant is given.
 */
function operands(node: GraphNode, ins: readonly (readonly number[])[], consts: readonly (Tensor | undefined)[]): (readonly number[])[] {
  const runtime = consts.filter((c) => c === undefined).length;
  if (runtime !== ins.length || runtime === 0)
    fail(node, `needs ${consts.length} operands, runtime inputs and constants together (got ${ins.length} inputs)`);
  let k = 0;
  return consts.map((c, i) => {
    if (c) {
      checkTensor(node, `operand ${i}`, c);
      return c.shape;
    }
    return ins[k++]!;
  });
}

function elementwiseShape(node: GraphNode, ins: readonly (readonly number[])[], consts: readonly (Tensor | undefined)[]): number[] {
  const shapes = operands(node, ins, consts);
  const out = broadcastAll(shapes);
  if (out === null) fail(node, `shapes ${shapes.map(fmt).join(' ')} do not broadcast`);
  const runtime = ins.reduce((r, s) => Math.max(r, s.length), 0);
  if (ins.length > 0 && out.length > runtime) fail(node, `constant of rank ${out.length} is larger than the per-sample tensor`);
  return out;
}

function padShape(node: Extract<DataOpNode, { op: 'Pad' }>, x: readonly number[]): number[] {
  const p = node.attrs.pads;
  if (p.length !== 2 * x.length || p.some((v) => !Number.isInteger(v)))
    fail(node, `pads ${fmt(p)} must hold ${2 * x.length} integers (begins, then ends) for ${fmt(x)}`);
  const out = x.map((d, i) => d + p[i]! + p[i + x.length]!);
  if (out.some((d) => d < 1)) fail(node, `pads ${fmt(p)} crop ${fmt(x)} to nothing`);
  return out;
}

function gatherShape(node: Extract<DataOpNode, { op: 'Gather' }>, x: readonly number[]): number[] {
  const { axis, indices } = node.attrs;
  if (!(Number.isInteger(axis) && axis >= 0 && axis < x.length)) fail(node, `axis ${axis} out of range for ${fmt(x)}`);
  if (indices.length === 0 || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= x[axis]!))
    fail(node, `indices must be 0..${x[axis]! - 1} (at least one)`);
  const out = [...x];
  out[axis] = indices.length;
  return out;
}

function reduceShape(node: Extract<DataOpNode, { op: 'Reduce' }>, x: readonly number[]): number[] {
  const { axes, keepdims } = node.attrs;
  if (axes.length === 0 || axes.some((a, i) => !Number.isInteger(a) || a < 0 || a >= x.length || (i > 0 && a <= axes[i - 1]!)))
    fail(node, `axes ${fmt(axes)} must be sorted distinct per-sample axes of ${fmt(x)}`);
  return keepdims ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
}

/** Per-sample output shape of a general tensor operation; UserError on any mismatch. */
export function inferDataOpShape(node: DataOpNode, ins: readonly (readonly number[])[]): number[] {
  const one = (): readonly number[] => {
    if (ins.length !== 1) fail(node, `wrong number of inputs (${ins.length})`);
    return ins[0]!;
  };
  switch (node.op) {
    case 'Unary':
      if (!UNARY_FNS.includes(node.attrs.fn)) fail(node, `unknown function '${node.attrs.fn}'`);
      return [...one()];
    case 'Binary':
      if (node.weights.A && node.weights.B) fail(node, 'needs at least one runtime operand');
      return elementwiseShape(node, ins, [node.weights.A, node.weights.B]);
    case 'Where':
      return elementwiseShape(node, ins, [node.weights.cond, node.weights.X, node.weights.Y]);
    case 'PRelu': {
      const x = one();
      checkTensor(node, 'slope', node.weights.slope);
      const out = broadcastAll([x, node.weights.slope.shape]);
      if (out === null || out.length !== x.length || out.some((d, i) => d !== x[i]))
        fail(node, `slope ${fmt(node.weights.slope.shape)} does not broadcast to the input ${fmt(x)}`);
      return [...x];
    }
    case 'Pad':
      return padShape(node, one());
    case 'Gather':
      return gatherShape(node, one());
    case 'Reduce':
      return reduceShape(node, one());
    case 'Constant':
      if (ins.length !== 0) fail(node, 'takes no inputs');
      checkTensor(node, 'value', node.weights.value);
      return [...node.weights.value.shape];
  }
}
