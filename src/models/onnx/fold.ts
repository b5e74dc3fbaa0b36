import { UserError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import { sizeOf } from '../graph.js';
import { checkedElementCount } from '../../limits.js';
import { broadcastShapes } from '../shapes.js';
import type { AttrValue } from './proto.js';
import { FOLDABLE_MORE, foldMore } from './fold-more.js';
import { foldedInteger, isInteger, markInteger } from './int-tensors.js';

/**
 * Constant folding of the shape arithmetic exporters emit (torch's
 * x.view(x.size(0), -1) becomes Shape -> Gather -> Unsqueeze -> Concat ->
 * Reshape). A runtime tensor's Shape has the batch size as its first entry,
 * unknown here: it is represented by the sentinel BATCH, which Reshape
 * recognizes as "the batch dimension" and which no arithmetic may touch.
 */
export const BATCH = -124076833;

export const FOLDABLE = new Set([
  'Identity',
  'Cast',
  'Shape',
  'Gather',
  'Unsqueeze',
  'Squeeze',
  'Concat',
  'Reshape',
  'ConstantOfShape',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Flatten',
  ...FOLDABLE_MORE,
]);

const t = (shape: readonly number[], data: ArrayLike<number>): Tensor => ({ shape: [...shape], data: Float64Array.from(data) });

function axesOf(op: string, ins: readonly (Tensor | undefined)[], attrs: Map<string, AttrValue>, rank: number): number[] {
  const a = ins[1] ? [...ins[1].data] : ((attrs.get('axes') as number[] | undefined) ?? []);
  return a
    .map((x) => (x < 0 ? x + rank : x))
    .sort((u, v) => u - v)
    .map((x) => {
      if (x < 0 || x >= rank) throw new UserError(`${op}: axis out of range`);
      return x;
    });
}

function gather(data: Tensor, idx: Tensor, axis: number): Tensor {
  const r = data.shape.length;
  const ax = axis < 0 ? axis + r : axis;
  const outer = sizeOf(data.shape.slice(0, ax));
  const inner = sizeOf(data.shape.slice(ax + 1));
  const n = data.shape[ax]!;
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of idx.data) {
      const i = raw < 0 ? raw + n : raw;
      if (i < 0 || i >= n) throw new UserError(`Gather: index ${raw} out of range for ${n}`);
      for (let k = 0; k < inner; k++) out.push(data.data[(o * n + i) * inner + k]!);
    }
  }
  return t([...data.shape.slice(0, ax), ...idx.shape, ...data.shape.slice(ax + 1)], out);
}

function elementwise(op: string, a: Tensor, b: Tensor): Tensor {
  if (a.data.includes(BATCH) || b.data.includes(BATCH))
    throw new UserError(`${op} on the batch size is not supported (the batch dimension must stay symbolic)`);
  const shape = broadcastShapes(a.shape, b.shape);
  if (shape === null) throw new UserError(`${op}: constant shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  const n = checkedElementCount(`${op} of constants`, shape);
  const out = new Float64Array(n);
  const at = (x: Tensor, i: number): number => {
    let off = 0,
      stride = 1,
      rem = i;
    const idx: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    for (let d = x.shape.length - 1; d >= 0; d--) {
      const o = shape.length - x.shape.length + d;
      if (x.shape[d] !== 1) off += idx[o]! * stride;
      stride *= x.shape[d]!;
    }
    return x.data[off]!;
  };
  for (let i = 0; i < n; i++) {
    const u = at(a, i),
      v = at(b, i);
    out[i] = op === 'Add' ? u + v : op === 'Sub' ? u - v : op === 'Mul' ? u * v : u / v;
  }
  return { shape, data: out };
}

function reshape(data: Tensor, target: readonly number[], allowZero: boolean): Tensor {
  const shape = target.map((d, i) => (d === 0 && !allowZero ? data.shape[i]! : d));
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? data.data.length / known : d));
  if (sizeOf(resolved) !== data.data.length) throw new UserError(`Reshape: cannot reshape constant [${data.shape}] to [${target}]`);
  return t(resolved, data.data);
}

/** Inputs each foldable op cannot do without (ONNX operator spec); Concat needs every listed input. */
const REQUIRED_INPUTS = new Map<string, number>([
  ['Gather', 2],
  ['Reshape', 2],
  ['Slice', 3],
  ['Add', 2],
  ['Sub', 2],
  ['Mul', 2],
  ['Div', 2],
]);

/** UserError when a node lacks a required input: folding would read an absent tensor. */
function checkFoldInputs(op: string, ins: readonly (Tensor | undefined)[], runtime: boolean): void {
  const need = op === 'Concat' ? Math.max(ins.length, 1) : (REQUIRED_INPUTS.get(op) ?? 1);
  const have = ins.slice(0, need).filter((i) => i !== undefined).length + (runtime ? 1 : 0);
  if (have < need) throw new UserError(`${op} needs ${need} input(s), the node gives ${have}`);
}

/**
 * Folds one node whose inputs are all constant (or, for Shape, whose input's
 * per-sample shape is known). Returns null when the op is not foldable.
 */
export function foldNode(
  op: string,
  ins: readonly (Tensor | undefined)[],
  attrs: Map<string, AttrValue>,
  runtimeShape?: readonly number[],
): Tensor | null {
  const r = foldUntyped(op, ins, attrs, runtimeShape);
  if (!r || !foldedInteger(op, ins, attrs.get('to') as number | undefined, attrs.get('value'))) return r;
  // ONNX Div of integers truncates toward zero
  return markInteger(op === 'Div' && isInteger(ins[0]) ? t(r.shape, r.data.map(Math.trunc)) : r);
}

function foldUntyped(
  op: string,
  ins: readonly (Tensor | undefined)[],
  attrs: Map<string, AttrValue>,
  runtimeShape?: readonly number[],
): Tensor | null {
  const x = ins[0];
  checkFoldInputs(op, ins, runtimeShape !== undefined);
  if (op === 'Shape') {
    const full = runtimeShape ? [BATCH, ...runtimeShape] : x!.shape;
    const r = full.length;
    const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const s = norm((attrs.get('start') as number | undefined) ?? 0);
    const e = norm((attrs.get('end') as number | undefined) ?? r);
    return t([Math.max(e - s, 0)], full.slice(s, e));
  }
  if (x === undefined) return null;
  switch (op) {
    case 'Identity':
      return x;
    case 'Cast': {
      const to = attrs.get('to') as number;
      const isFloat = to === 1 || to === 10 || to === 11 || to === 16;
      return t(x.shape, to === 9 ? x.data.map((v) => (v !== 0 ? 1 : 0)) : isFloat ? x.data : x.data.map(Math.trunc));
    }
    case 'Gather':
      return gather(x, ins[1]!, (attrs.get('axis') as number | undefined) ?? 0);
    case 'Unsqueeze': {
      const rank = x.shape.length + (ins[1]?.data.length ?? (attrs.get('axes') as number[] | undefined)?.length ?? 0);
      const axes = axesOf(op, ins, attrs, rank);
      const shape = [...x.shape];
      for (const a of axes) shape.splice(a, 0, 1);
      return t(shape, x.data);
    }
    case 'Squeeze': {
      const axes = ins[1] || attrs.has('axes') ? axesOf(op, ins, attrs, x.shape.length) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return t(
        x.shape.filter((_, i) => !axes.includes(i)),
        x.data,
      );
    }
    case 'Concat': {
      const r = x.shape.length;
      const raw = (attrs.get('axis') as number | undefined) ?? 0;
      const axis = raw < 0 ? raw + r : raw;
      if (axis !== 0 || ins.some((i) => i!.shape.length !== 1))
        throw new UserError('Concat of constants is supported for 1-D vectors only');
      return t(
        [ins.reduce((s, i) => s + i!.data.length, 0)],
        ins.flatMap((i) => [...i!.data]),
      );
    }
    case 'Reshape':
      return reshape(x, [...ins[1]!.data], attrs.get('allowzero') === 1);
    case 'Flatten':
      return t([sizeOf(x.shape.slice(0, 1)), sizeOf(x.shape.slice(1))], x.data);
    case 'ConstantOfShape': {
      const value = (attrs.get('value') as Tensor | undefined)?.data[0] ?? 0;
      const shape = [...x.data].map((d) => (d === BATCH ? 1 : d));
      return t(shape, new Float64Array(checkedElementCount('ConstantOfShape', shape)).fill(value));
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return elementwise(op, x, ins[1]!);
  }
  return foldMore(op, ins, attrs, BATCH);
}
