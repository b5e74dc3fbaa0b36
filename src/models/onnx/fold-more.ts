import { UserError } from '../../errors.js';
import type { BinaryFn, Tensor, UnaryFn } from '../graph.js';
import { sizeOf } from '../graph.js';
import { unaryFn } from '../ops/unary.js';
import { binaryFn } from '../ops/broadcast.js';
import { broadcastAll } from '../shapes-data-ops.js';
import { UNARY_OPS, BINARY_OPS } from './translate-math.js';
import type { AttrValue } from './proto.js';

/**
 * Constant folding beyond shape arithmetic: N-D Slice and Transpose of
 * constants (nn.ZeroPad2d's export reverses a [k, 2] pads table with them),
 * and the elementwise ops (Unary/Binary functions, Where) on constants, with
 * the float engine's own semantics. `batch` is the sentinel standing for the
 * unknown batch size, which no arithmetic may touch.
 */
export const FOLDABLE_MORE: ReadonlySet<string> = new Set(['Slice', 'Transpose', 'Where', ...UNARY_OPS, ...BINARY_OPS]);

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, m = 1; i >= 0; i--) {
    s[i] = m;
    m *= shape[i]!;
  }
  return s;
}

/** Visits every index of `shape` in row-major order. */
function eachIndex(shape: readonly number[], f: (idx: readonly number[], k: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    f(idx, k);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

function sliceConst(x: Tensor, ins: readonly (Tensor | undefined)[]): Tensor {
  const r = x.shape.length;
  const starts = [...ins[1]!.data],
    ends = [...ins[2]!.data];
  const axes = ins[3] ? [...ins[3].data].map((a) => (a < 0 ? a + r : a)) : starts.map((_, i) => i);
  const steps = ins[4] ? [...ins[4].data] : starts.map(() => 1);
  const sel: number[][] = x.shape.map((n) => [...Array(n).keys()]);
  axes.forEach((a, k) => {
    const n = x.shape[a]!,
      step = steps[k]!;
    if (step === 0) throw new UserError('Slice: step 0');
    const c = (i: number): number => {
      const j = i < 0 ? i + n : i;
      return step > 0 ? Math.min(Math.max(j, 0), n) : Math.min(Math.max(j, -1), n - 1);
    };
    const idx: number[] = [];
    for (let i = c(starts[k]!), e = c(ends[k]!); step > 0 ? i < e : i > e; i += step) idx.push(i);
    sel[a] = idx;
  });
  const shape = sel.map((s) => s.length);
  const st = strides(x.shape);
  const out = new Float64Array(sizeOf(shape));
  eachIndex(shape, (idx, k) => {
    out[k] = x.data[idx.reduce((o, i, d) => o + sel[d]![i]! * st[d]!, 0)]!;
  });
  return { shape, data: out };
}

function transposeConst(x: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]!);
  const st = strides(x.shape);
  const out = new Float64Array(x.data.length);
  eachIndex(shape, (idx, k) => {
    out[k] = x.data[idx.reduce((o, i, d) => o + i * st[perm[d]!]!, 0)]!;
  });
  return { shape, data: out };
}

function elementwiseConst(ts: readonly Tensor[], f: (v: number[]) => number, batch: number): Tensor {
  if (ts.some((t) => t.data.includes(batch)))
    throw new UserError('arithmetic on the batch size is not supported (the batch dimension must stay symbolic)');
  const shape = broadcastAll(ts.map((t) => t.shape));
  if (shape === null) throw new UserError(`constant shapes ${ts.map((t) => `[${t.shape}]`).join(' ')} do not broadcast`);
  const sts = ts.map((t) => {
    const s = strides(t.shape);
    return shape.map((_, d) => {
      const i = d - (shape.length - t.shape.length);
      return i < 0 || t.shape[i] === 1 ? 0 : s[i]!;
    });
  });
  const out = new Float64Array(sizeOf(shape));
  eachIndex(shape, (idx, k) => {
    out[k] = f(ts.map((t, o) => t.data[idx.reduce((a, i, d) => a + i * sts[o]![d]!, 0)]!));
  });
  return { shape, data: out };
}

/** Folds one of FOLDABLE_MORE's ops on constant inputs; null when it is not one. */
export function foldMore(op: string, ins: readonly (Tensor | undefined)[], attrs: Map<string, AttrValue>, batch: number): Tensor | null {
  const x = ins[0]!;
  if (op === 'Slice') return sliceConst(x, ins);
  if (op === 'Transpose') return transposeConst(x, (attrs.get('perm') as number[] | undefined) ?? [...x.shape.keys()].reverse());
  if (op === 'Where') return elementwiseConst(ins as Tensor[], (v) => (v[0] !== 0 ? v[1]! : v[2]!), batch);
  if (UNARY_OPS.has(op)) {
    const f = unaryFn(op as UnaryFn);
    return elementwiseConst([x], (v) => f(v[0]!), batch);
  }
  if (BINARY_OPS.has(op) && ins.length === 2) {
    const f = binaryFn(op as BinaryFn);
    return elementwiseConst(ins as Tensor[], (v) => f(v[0]!, v[1]!), batch);
  }
  return null;
}
