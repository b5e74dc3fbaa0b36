import { UserError } from '../../errors.js';
import type { BinaryFn, ReduceFn, Tensor, UnaryFn } from '../graph.js';
import { sizeOf } from '../graph.js';
import { UNARY_FNS } from '../graph-data-ops.js';
import type { OnnxNodeView, TranslateContext } from './context.js';
import { COERCE_2D } from './adapt.js';

/** Elementwise and reduction ops of imported networks (graph-data-ops.ts states their semantics). */

function bad(v: OnnxNodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

const int = (v: OnnxNodeView, k: string, def: number): number => (v.attrs.get(k) as number | undefined) ?? def;

/** Normalizes an ONNX axis of a batched tensor (full rank = per-sample rank + 1) to a per-sample axis; the batch axis is refused. */
export function sampleAxis(v: OnnxNodeView, axis: number, perSampleRank: number): number {
  const full = axis < 0 ? axis + perSampleRank + 1 : axis;
  if (full < 1 || full > perSampleRank) bad(v, `axis ${axis} is the batch axis or out of range; only per-sample axes are supported`);
  return full - 1;
}

/** A constant operand of a per-sample op: a leading batch dimension of 1 is dropped. */
export function perSampleConstant(v: OnnxNodeView, c: Tensor, runtimeRank: number): Tensor {
  if (c.shape.length <= runtimeRank) return c;
  if (c.shape.length === runtimeRank + 1 && c.shape[0] === 1) return { shape: c.shape.slice(1), data: c.data };
  return bad(v, `constant of shape [${c.shape}] varies over the batch dimension`);
}

/** The ONNX ops that are one UnaryFn of the same name: every UnaryFn but Cast's Trunc and Bool, which no ONNX op names. */
export const UNARY_OPS: ReadonlySet<string> = new Set<UnaryFn>(UNARY_FNS.filter((f) => f !== 'Trunc' && f !== 'Bool'));

export const BINARY_OPS: ReadonlySet<string> = new Set<BinaryFn>([
  'Min',
  'Max',
  'Pow',
  'Mod',
  'Equal',
  'Greater',
  'Less',
  'GreaterOrEqual',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
]);

export function unary(v: OnnxNodeView, ctx: TranslateContext, fn: UnaryFn): void {
  ctx.runtime(v, v.inputs[0]);
  ctx.emit({ op: 'Unary', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { fn } });
}

/** Cast: to float/double an alias (values are float64 already); to an integer type Trunc; to bool Bool; float16/bfloat16 refused. */
export function cast(v: OnnxNodeView, ctx: TranslateContext): void {
  ctx.runtime(v, v.inputs[0]);
  const to = int(v, 'to', 1);
  if (to === 1 || to === 11) return ctx.setAlias(v.output, v.inputs[0]!);
  if (to === 9) return unary(v, ctx, 'Bool');
  if ([2, 3, 4, 5, 6, 7, 12, 13].includes(to)) return unary(v, ctx, 'Trunc');
  bad(v, `Cast to data type ${to} is not supported (float, double, integer types and bool are)`);
}

/** Min/Max/Sum/Mean (variadic) and the two-operand functions; a chain of two-operand nodes, left to right. */
export function binaryFn(v: OnnxNodeView, ctx: TranslateContext, fn: BinaryFn): void {
  if (fn === 'Mod' && int(v, 'fmod', 0) !== 1) bad(v, 'Mod with fmod = 0 (integer modulo) is not supported; fmod = 1 is');
  chain(v, ctx, (name, a, b, out) => {
    const w = operands(v, ctx, a, b);
    ctx.emit({ op: 'Binary', name, inputs: w.inputs, output: out, attrs: { fn }, weights: w.weights });
  });
}

/** Sum as Adds left to right; Mean as that sum divided by the operand count. */
export function sumMean(v: OnnxNodeView, ctx: TranslateContext): void {
  const n = v.inputs.length;
  const sumOut = v.op === 'Mean' && n > 1 ? ctx.freshTensor(v.output) : v.output;
  chain({ ...v, output: sumOut }, ctx, (name, a, b, out) => {
    const w = operands(v, ctx, a, b);
    ctx.emit({ op: 'Add', name, inputs: w.inputs, output: out, weights: w.weights });
  });
  if (sumOut !== v.output)
    ctx.emit({
      op: 'Div',
      name: ctx.uniqueName(`${v.name}_mean`),
      inputs: [sumOut],
      output: v.output,
      weights: { B: { shape: [], data: Float64Array.of(n) } },
    });
}

function chain(v: OnnxNodeView, ctx: TranslateContext, emit2: (name: string, a: string, b: string, out: string) => void): void {
  const ins = v.inputs.filter((i) => i !== '');
  if (ins.length === 1) {
    ctx.runtime(v, ins[0]);
    return ctx.setAlias(v.output, ins[0]!);
  }
  let acc = ins[0]!;
  for (let k = 1; k < ins.length; k++) {
    const last = k === ins.length - 1;
    const out = last ? v.output : ctx.freshTensor(v.output);
    emit2(last ? v.name : ctx.uniqueName(`${v.name}_${k}`), acc, ins[k]!, out);
    acc = out;
  }
}

/** Runtime inputs and per-sample constants of a two-operand elementwise node. */
function operands(v: OnnxNodeView, ctx: TranslateContext, a: string, b: string): { inputs: string[]; weights: { A?: Tensor; B?: Tensor } } {
  if (ctx.isRuntime(a) && ctx.isRuntime(b)) return { inputs: [a, b], weights: {} };
  const rt = ctx.isRuntime(a) ? a : b;
  const rank = ctx.runtime(v, rt).length;
  const c = perSampleConstant(v, ctx.constant(v, rt === a ? b : a, 'operand'), rank);
  return { inputs: [rt], weights: rt === a ? { B: c } : { A: c } };
}

export function where(v: OnnxNodeView, ctx: TranslateContext): void {
  const rank = Math.max(...v.inputs.map((i) => ctx.shapes.get(i)?.length ?? 0));
  const runtime = v.inputs.filter((i) => ctx.isRuntime(i));
  if (runtime.length === 0) ctx.runtime(v, v.inputs[0]);
  const c = (k: number): Tensor | undefined =>
    ctx.isRuntime(v.inputs[k]!) ? undefined : perSampleConstant(v, ctx.constant(v, v.inputs[k], 'operand'), rank);
  const weights = { ...(c(0) ? { cond: c(0)! } : {}), ...(c(1) ? { X: c(1)! } : {}), ...(c(2) ? { Y: c(2)! } : {}) };
  ctx.emit({ op: 'Where', name: v.name, inputs: runtime, output: v.output, weights });
}

/**
 * PRelu(x, slope) = x for x >= 0, else slope * x. One slope for every element
 * is the activation leakyrelu:slope (the same float function). Other slopes
 * (PyTorch's nn.PReLU(C): one per channel) become
 * relu(x) + slope * min(x, 0), which is PRelu exactly in float64 (for x >= 0,
 * x + slope * 0 = x; for x < 0, 0 + slope * x = slope * x): the integer model
 * then runs the relu unit, the min:0 unit, a per-channel scale and an add.
 */
export function prelu(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const slope = perSampleConstant(v, ctx.constant(v, v.inputs[1], 'slope'), x.length);
  const s0 = slope.data[0]!;
  if (slope.data.every((s) => s === s0))
    return ctx.emit({
      op: 'Activation',
      name: v.name,
      inputs: [v.inputs[0]!],
      output: v.output,
      attrs: { activation: { kind: 'leakyrelu', alpha: s0 } },
    });
  const [pos, neg, scaled] = ['pos', 'neg', 'scaled'].map(() => ctx.freshTensor(v.output)) as [string, string, string];
  const zero = { shape: [], data: Float64Array.of(0) };
  ctx.emit({
    op: 'Activation',
    name: ctx.uniqueName(`${v.name}_relu`),
    inputs: [v.inputs[0]!],
    output: pos,
    attrs: { activation: { kind: 'relu' } },
  });
  ctx.emit({
    op: 'Binary',
    name: ctx.uniqueName(`${v.name}_min`),
    inputs: [v.inputs[0]!],
    output: neg,
    attrs: { fn: 'Min' },
    weights: { B: zero },
  });
  ctx.emit({ op: 'Mul', name: ctx.uniqueName(`${v.name}_slope`), inputs: [neg], output: scaled, weights: { B: slope } });
  ctx.emit({ op: 'Add', name: v.name, inputs: [pos, scaled], output: v.output, weights: {} });
}

const REDUCE_FNS: Record<string, ReduceFn> = {
  ReduceSum: 'Sum',
  ReduceMean: 'Mean',
  ReduceMax: 'Max',
  ReduceMin: 'Min',
  ReduceProd: 'Prod',
  ReduceSumSquare: 'SumSquare',
  ReduceL1: 'L1',
  ReduceL2: 'L2',
  ReduceLogSum: 'LogSum',
  ReduceLogSumExp: 'LogSumExp',
};

export const REDUCE_OPS: ReadonlySet<string> = new Set(Object.keys(REDUCE_FNS));

/** Reduce* over per-sample axes (axes from the input, or the attribute before opsets 13/18); empty axes: all, or none with noop_with_empty_axes. */
export function reduce(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const raw = v.inputs[1] ? [...ctx.constant(v, v.inputs[1], 'axes').data] : ((v.attrs.get('axes') as number[] | undefined) ?? []);
  if (raw.length === 0 && int(v, 'noop_with_empty_axes', 0) === 1) return ctx.setAlias(v.output, v.inputs[0]!);
  if (raw.length === 0) bad(v, 'reducing over all axes would mix the samples of a batch; give the per-sample axes');
  const axes = [...new Set(raw.map((a) => sampleAxis(v, a, x.length)))].sort((p, q) => p - q);
  ctx.emit({
    op: 'Reduce',
    name: v.name,
    inputs: [v.inputs[0]!],
    output: v.output,
    attrs: { fn: REDUCE_FNS[v.op]!, axes, keepdims: int(v, 'keepdims', 1) === 1 },
  });
}

/**
 * Softmax/LogSoftmax. From opset 13 over one axis (default -1); before 13
 * (marked by the version adapter) over the input coerced to 2-D at `axis`:
 * when that block is more than the last axis, Reshape to [outer, inner],
 * normalize the last axis, Reshape back.
 */
export function softmax(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const log = v.op === 'LogSoftmax';
  const axis = sampleAxis(v, int(v, 'axis', -1), x.length);
  if (int(v, COERCE_2D, 0) !== 1 || axis === x.length - 1) {
    return ctx.emit({ op: 'Softmax', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { axis, log } });
  }
  const flat = [sizeOf(x.slice(0, axis)), sizeOf(x.slice(axis))];
  const a = ctx.freshTensor(v.output),
    b = ctx.freshTensor(v.output);
  ctx.emit({ op: 'Reshape', name: ctx.uniqueName(`${v.name}_2d`), inputs: [v.inputs[0]!], output: a, attrs: { shape: flat } });
  ctx.emit({ op: 'Softmax', name: v.name, inputs: [a], output: b, attrs: { axis: 1, log } });
  ctx.emit({ op: 'Reshape', name: ctx.uniqueName(`${v.name}_back`), inputs: [b], output: v.output, attrs: { shape: [...x] } });
}

/**
 * Flatten at axis k >= 1 of [N, d1..dr]: axis 1 is the Flatten node; a larger
 * axis gives the 2-D tensor [N*d1*..*d(k-1), dk*..*dr], which has the same
 * row-major data as the per-sample shape [d1*..*d(k-1), dk*..*dr] with the
 * batch outermost, so it is that Reshape.
 */
export function flatten(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const raw = int(v, 'axis', 1);
  const axis = raw < 0 ? raw + x.length + 1 : raw;
  if (axis < 1 || axis > x.length) bad(v, `Flatten axis ${raw} would merge the batch dimension; axes 1 to ${x.length} are supported`);
  if (axis === 1) return ctx.emit({ op: 'Flatten', name: v.name, inputs: [v.inputs[0]!], output: v.output });
  ctx.emit({
    op: 'Reshape',
    name: v.name,
    inputs: [v.inputs[0]!],
    output: v.output,
    attrs: { shape: [sizeOf(x.slice(0, axis - 1)), sizeOf(x.slice(axis - 1))] },
  });
}

/** Expand(x, shape) as x * ones(shape broadcast per sample): exact (x * 1 = x). */
export function expand(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const target = [...ctx.constant(v, v.inputs[1], 'shape').data];
  const perSample = target.length > x.length ? target.slice(1) : target;
  if (target.length > x.length + 1 || (target.length === x.length + 1 && target[0] !== 1))
    bad(v, `shape [${target}] would change the batch dimension of [N,${x}]`);
  const ones = { shape: perSample, data: new Float64Array(sizeOf(perSample)).fill(1) };
  ctx.emit({ op: 'Mul', name: v.name, inputs: [v.inputs[0]!], output: v.output, weights: { B: ones } });
}
