import { UserError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import type { OnnxNodeView, TranslateContext } from './context.js';
import { perSampleConstant, sampleAxis } from './translate-math.js';

/**
 * Data-movement ops of imported networks: Pad, Slice, Split, Gather on data,
 * nearest Resize, Concat with constant operands. Every selection is a chain
 * of Gather nodes (one per changed axis), a constant-mode Pad a Pad node.
 */

function bad(v: OnnxNodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

const isIdentity = (idx: readonly number[], n: number): boolean => idx.length === n && idx.every((i, k) => i === k);

/**
 * Emits Gathers selecting `perAxis[a]` (or everything when undefined) on each
 * per-sample axis, the last writing `output`; an alias when nothing changes.
 */
function gatherChain(
  v: OnnxNodeView,
  ctx: TranslateContext,
  input: string,
  output: string,
  perAxis: readonly (readonly number[] | undefined)[],
  name = v.name,
): void {
  const x = ctx.runtime(v, input);
  const steps = perAxis.flatMap((idx, a) => (idx && !isIdentity(idx, x[a]!) ? [{ axis: a, indices: idx }] : []));
  if (steps.some((s) => s.indices.length === 0)) bad(v, 'the selection is empty');
  if (steps.length === 0) return ctx.setAlias(output, input);
  let cur = input;
  steps.forEach((s, k) => {
    const last = k === steps.length - 1;
    const out = last ? output : ctx.freshTensor(output);
    ctx.emit({
      op: 'Gather',
      name: last ? name : ctx.uniqueName(`${name}_axis${s.axis}`),
      inputs: [cur],
      output: out,
      attrs: { axis: s.axis, indices: [...s.indices] },
    });
    cur = out;
  });
}

/** Source index of each output index of a padded/cropped axis for the non-constant Pad modes. */
function padIndices(mode: string, n: number, begin: number, end: number): number[] {
  const out: number[] = [];
  for (let i = -begin; i < n + end; i++) {
    if (mode === 'edge') out.push(Math.min(Math.max(i, 0), n - 1));
    else if (mode === 'wrap') out.push(((i % n) + n) % n);
    else {
      let j = i;
      const period = 2 * (n - 1);
      if (period === 0) j = 0;
      else {
        j = ((j % period) + period) % period;
        if (j >= n) j = period - j;
      }
      out.push(j);
    }
  }
  return out;
}

/** Pad (opset 11+ form: pads, constant_value, axes inputs; mode constant, edge, reflect or wrap). */
export function pad(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const r = x.length + 1;
  const raw = [...ctx.constant(v, v.inputs[1], 'pads').data];
  const value = v.inputs[2] ? (ctx.constant(v, v.inputs[2], 'constant_value').data[0] ?? 0) : 0;
  const axes = v.inputs[3] ? [...ctx.constant(v, v.inputs[3], 'axes').data].map((a) => (a < 0 ? a + r : a)) : [...Array(r).keys()];
  if (raw.length !== 2 * axes.length) bad(v, `pads has ${raw.length} entries for ${axes.length} axes`);
  const full = new Array<number>(2 * r).fill(0);
  axes.forEach((a, k) => {
    full[a] = raw[k]!;
    full[a + r] = raw[k + axes.length]!;
  });
  if (full[0] !== 0 || full[r] !== 0) bad(v, 'padding the batch dimension is not supported');
  const pads = [...full.slice(1, r), ...full.slice(r + 1)];
  const mode = (v.attrs.get('mode') as string | undefined) ?? 'constant';
  if (mode === 'constant') {
    if (pads.every((p) => p === 0)) return ctx.setAlias(v.output, v.inputs[0]!);
    return ctx.emit({ op: 'Pad', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { pads, value } });
  }
  if (!['edge', 'reflect', 'wrap'].includes(mode)) bad(v, `mode '${mode}' is not one of constant, edge, reflect, wrap`);
  if (mode === 'reflect' && x.some((d, a) => Math.max(pads[a]!, pads[a + x.length]!) > d - 1))
    bad(v, 'reflect padding must be smaller than the axis');
  gatherChain(
    v,
    ctx,
    v.inputs[0]!,
    v.output,
    x.map((n, a) => padIndices(mode, n, pads[a]!, pads[a + x.length]!)),
  );
}

/** Slice (opset 10+ form): per axis, clamped start/end with step, as numpy. The batch axis must be taken whole. */
export function slice(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const starts = [...ctx.constant(v, v.inputs[1], 'starts').data];
  const ends = [...ctx.constant(v, v.inputs[2], 'ends').data];
  const r = x.length + 1;
  const axes = v.inputs[3] ? [...ctx.constant(v, v.inputs[3], 'axes').data] : starts.map((_, i) => i);
  const steps = v.inputs[4] ? [...ctx.constant(v, v.inputs[4], 'steps').data] : starts.map(() => 1);
  const perAxis: (number[] | undefined)[] = x.map(() => undefined);
  axes.forEach((raw, k) => {
    const a = raw < 0 ? raw + r : raw;
    const step = steps[k]!;
    if (step === 0) bad(v, 'step 0');
    if (a === 0) {
      if (step === 1 && starts[k]! === 0 && ends[k]! >= 2 ** 31 - 1) return;
      bad(v, 'slicing the batch dimension is not supported');
    }
    const n = x[a - 1]!;
    const clampI = (i: number): number => {
      const j = i < 0 ? i + n : i;
      return step > 0 ? Math.min(Math.max(j, 0), n) : Math.min(Math.max(j, -1), n - 1);
    };
    const idx: number[] = [];
    for (let i = clampI(starts[k]!), e = clampI(ends[k]!); step > 0 ? i < e : i > e; i += step) idx.push(i);
    perAxis[a - 1] = idx;
  });
  gatherChain(v, ctx, v.inputs[0]!, v.output, perAxis);
}

/** Split along one per-sample axis into consecutive parts (sizes from the input, or equal parts). */
export function split(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const axis = sampleAxis(v, (v.attrs.get('axis') as number | undefined) ?? 0, x.length);
  const outs = (v.proto.output ?? []).filter((o) => o !== '');
  const n = x[axis]!;
  let sizes: number[];
  if (v.inputs[1]) sizes = [...ctx.constant(v, v.inputs[1], 'split').data];
  else {
    const each = Math.ceil(n / outs.length);
    sizes = outs.map((_, k) => Math.min(each, n - each * k));
  }
  if (sizes.length !== outs.length || sizes.reduce((a, b) => a + b, 0) !== n || sizes.some((s) => s < 1))
    bad(v, `split sizes [${sizes}] do not divide axis of ${n} into ${outs.length} parts`);
  let at = 0;
  outs.forEach((o, k) => {
    const idx = Array.from({ length: sizes[k]! }, (_, i) => at + i);
    at += sizes[k]!;
    const perAxis = x.map((_, a) => (a === axis ? idx : undefined));
    gatherChain(v, ctx, v.inputs[0]!, o, perAxis, k === 0 ? v.name : ctx.uniqueName(`${v.name}_${k}`));
  });
}

/** Gather on data with constant indices along a per-sample axis; indices of rank != 1 reshape the result. */
export function gatherData(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const idx = ctx.constant(v, v.inputs[1], 'indices');
  const axis = sampleAxis(v, (v.attrs.get('axis') as number | undefined) ?? 0, x.length);
  const n = x[axis]!;
  const flat = [...idx.data].map((i) => (i < 0 ? i + n : i));
  if (flat.some((i) => i < 0 || i >= n)) bad(v, `indices [${[...idx.data]}] out of range for an axis of ${n}`);
  const shape = [...x.slice(0, axis), ...idx.shape, ...x.slice(axis + 1)];
  if (idx.shape.length === 1)
    return ctx.emit({ op: 'Gather', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { axis, indices: flat } });
  const g = ctx.freshTensor(v.output);
  ctx.emit({ op: 'Gather', name: ctx.uniqueName(`${v.name}_select`), inputs: [v.inputs[0]!], output: g, attrs: { axis, indices: flat } });
  ctx.emit({ op: 'Reshape', name: v.name, inputs: [g], output: v.output, attrs: { shape } });
}

/** ONNX Resize's mapping of an output coordinate to an input coordinate. */
function sourceCoordinate(mode: string, i: number, scale: number, inN: number, outN: number): number {
  switch (mode) {
    case 'half_pixel':
      return (i + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outN > 1 ? (i + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outN === 1 ? 0 : (i * (inN - 1)) / (outN - 1);
    case 'asymmetric':
      return i / scale;
    case 'tf_half_pixel_for_nn':
      return (i + 0.5) / scale;
  }
  throw new Error(`internal: coordinate mode ${mode}`);
}

function nearest(mode: string, c: number): number {
  switch (mode) {
    case 'floor':
      return Math.floor(c);
    case 'ceil':
      return Math.ceil(c);
    case 'round_prefer_ceil':
      return Math.floor(c + 0.5);
    default:
      return c === Math.floor(c) + 0.5 ? Math.floor(c) : Math.round(c);
  }
}

const COORD_MODES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'];

/** Resize (opset 11+ form: X, roi, scales, sizes) in nearest mode: one Gather per resized axis. */
export function resize(v: OnnxNodeView, ctx: TranslateContext): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const mode = (v.attrs.get('mode') as string | undefined) ?? 'nearest';
  if (mode !== 'nearest') bad(v, `mode '${mode}' is not supported (nearest is)`);
  const coord = (v.attrs.get('coordinate_transformation_mode') as string | undefined) ?? 'half_pixel';
  if (!COORD_MODES.includes(coord)) bad(v, `coordinate_transformation_mode '${coord}' is not supported (${COORD_MODES.join(', ')})`);
  if (((v.attrs.get('keep_aspect_ratio_policy') as string | undefined) ?? 'stretch') !== 'stretch')
    bad(v, 'keep_aspect_ratio_policy other than stretch is not supported');
  const nm = (v.attrs.get('nearest_mode') as string | undefined) ?? 'round_prefer_floor';
  const full = [1, ...x];
  const axes = ((v.attrs.get('axes') as number[] | undefined) ?? full.map((_, i) => i)).map((a) => (a < 0 ? a + full.length : a));
  const scalesT: Tensor | undefined = v.inputs[2] ? ctx.constant(v, v.inputs[2], 'scales') : undefined;
  const sizesT: Tensor | undefined = v.inputs[3] ? ctx.constant(v, v.inputs[3], 'sizes') : undefined;
  if ((scalesT?.data.length ?? 0) === 0 && (sizesT?.data.length ?? 0) === 0) bad(v, 'needs scales or sizes');
  const perAxis: (number[] | undefined)[] = x.map(() => undefined);
  axes.forEach((a, k) => {
    const inN = full[a]!;
    const useSizes = sizesT !== undefined && sizesT.data.length > 0;
    const outN = useSizes ? sizesT.data[k]! : Math.floor(inN * scalesT!.data[k]!);
    const scale = useSizes ? outN / inN : scalesT!.data[k]!;
    if (a === 0) {
      if (outN !== 1 && !(scale === 1)) bad(v, 'resizing the batch dimension is not supported');
      return;
    }
    if (outN < 1) bad(v, `axis ${a} would have ${outN} elements`);
    perAxis[a - 1] = Array.from({ length: outN }, (_, i) =>
      Math.min(Math.max(nearest(nm, sourceCoordinate(coord, i, scale, inN, outN)), 0), inN - 1),
    );
  });
  gatherChain(v, ctx, v.inputs[0]!, v.output, perAxis);
}

/** Concat of runtime inputs and constants (each constant a per-sample Constant node). */
export function concat(v: OnnxNodeView, ctx: TranslateContext): void {
  const rt = v.inputs.find((i) => ctx.isRuntime(i));
  const x = ctx.runtime(v, rt ?? v.inputs[0]);
  const inputs = v.inputs
    .filter((i) => i !== '')
    .map((i) => {
      if (ctx.isRuntime(i)) return i;
      const c = perSampleConstant(v, ctx.constant(v, i, 'operand'), x.length);
      if (c.data.length === 0) return '';
      const out = ctx.freshTensor(i);
      ctx.emit({ op: 'Constant', name: ctx.uniqueName(`${v.name}_const`), inputs: [], output: out, weights: { value: c } });
      return out;
    })
    .filter((i) => i !== '');
  ctx.emit({
    op: 'Concat',
    name: v.name,
    inputs,
    output: v.output,
    attrs: { axis: sampleAxis(v, (v.attrs.get('axis') as number | undefined) ?? 0, x.length) },
  });
}
