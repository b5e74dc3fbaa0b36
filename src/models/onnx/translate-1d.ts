import type { OnnxNodeView, TranslateContext } from './context.js';
import type { AttrValue } from './proto.js';

/**
 * 1-D Conv and pools ([N, C, L] inputs) as their 2-D forms over [C, 1, L]:
 * a Reshape in, the 2-D node with a 1-high window (kernel [1, k], strides
 * [1, s], pads [0, begin, 0, end], dilations [1, d]), a Reshape out. Every
 * window sees the same inputs in the same order, so results are identical.
 */
function lift(
  v: OnnxNodeView,
  ctx: TranslateContext,
  extraInputs: readonly string[],
  translate2d: (w: OnnxNodeView, c: TranslateContext) => void,
): void {
  const x = ctx.runtime(v, v.inputs[0]);
  const a = new Map<string, AttrValue>(v.attrs);
  const ints = (k: string): number[] | undefined => v.attrs.get(k) as number[] | undefined;
  if (ints('kernel_shape')) a.set('kernel_shape', [1, ...ints('kernel_shape')!]);
  a.set('strides', [1, ...(ints('strides') ?? [1])]);
  a.set('dilations', [1, ...(ints('dilations') ?? [1])]);
  const p = ints('pads') ?? [0, 0];
  a.set('pads', [0, p[0]!, 0, p[1]!]);
  const x4 = ctx.freshTensor(v.inputs[0]!),
    y4 = ctx.freshTensor(v.output);
  ctx.emit({
    op: 'Reshape',
    name: ctx.uniqueName(`${v.name}_2d`),
    inputs: [v.inputs[0]!],
    output: x4,
    attrs: { shape: [x[0]!, 1, x[1]!] },
  });
  translate2d({ ...v, name: ctx.uniqueName(`${v.name}_2d_op`), inputs: [x4, ...extraInputs], output: y4, attrs: a }, ctx);
  const y = ctx.shapes.get(y4)!;
  ctx.emit({ op: 'Reshape', name: v.name, inputs: [y4], output: v.output, attrs: { shape: [y[0]!, y[2]!] } });
}

export function conv1d(v: OnnxNodeView, ctx: TranslateContext, conv2d: (w: OnnxNodeView, c: TranslateContext) => void): void {
  const W = ctx.constant(v, v.inputs[1], 'weight');
  const w4 = ctx.freshTensor(v.inputs[1]!);
  ctx.consts.set(w4, { shape: [W.shape[0]!, W.shape[1]!, 1, W.shape[2]!], data: W.data });
  lift(v, ctx, [w4, ...v.inputs.slice(2)], conv2d);
}

export function pool1d(v: OnnxNodeView, ctx: TranslateContext, pool2d: (w: OnnxNodeView, c: TranslateContext) => void): void {
  lift(v, ctx, [], pool2d);
}
