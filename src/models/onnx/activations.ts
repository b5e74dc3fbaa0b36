import { UserError } from '../../errors.js';
import { parseActivation, type ActivationSpec } from '../../activations/float.js';
import type { OnnxNodeView, TranslateContext } from './context.js';
import { ACTIVATION_MARK } from './patterns.js';

/** float32's largest finite value: the bound of a one-sided ONNX Clip. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Activation ops. A node whose docString carries the helu-sim activation mark
 * (written by the exporter) keeps that exact spec when its forward is the
 * op's (so a HeLU exported as Relu comes back as HeLU, a LeakyRelu keeps its
 * float64 slope rather than the float32 attribute).
 */
export function activation(v: OnnxNodeView, ctx: TranslateContext, spec: ActivationSpec): void {
  ctx.runtime(v, v.inputs[0]);
  const mark = v.proto.docString?.startsWith(ACTIVATION_MARK)
    ? parseActivation(v.proto.docString.slice(ACTIVATION_MARK.length))
    : undefined;
  const sameForward = mark && (mark.kind === spec.kind || (spec.kind === 'relu' && mark.kind === 'helu'));
  ctx.emit({ op: 'Activation', name: v.name, inputs: [v.inputs[0]!], output: v.output, attrs: { activation: sameForward ? mark : spec } });
}

export function clip(v: OnnxNodeView, ctx: TranslateContext): void {
  const lo = ctx.optionalConstant(v, v.inputs[1], 'min')?.data[0] ?? -FLOAT32_MAX;
  const hi = ctx.optionalConstant(v, v.inputs[2], 'max')?.data[0] ?? FLOAT32_MAX;
  if (lo === 0 && hi === 6) return activation(v, ctx, { kind: 'relu6' });
  if (lo === 0 && hi === FLOAT32_MAX) return activation(v, ctx, { kind: 'relu' });
  if (!(lo < hi)) throw new UserError(`node '${v.name}' (${v.op}): Clip bounds [${lo}, ${hi}] are empty`);
  activation(v, ctx, { kind: 'clamp', min: lo, max: hi });
}

/** HardSigmoid(x) = max(0, min(1, alpha*x + beta)): PyTorch's (1/6, 1/2) is hardsigmoid, others become Mul, Add, clamp[0,1]. */
export function hardSigmoid(v: OnnxNodeView, ctx: TranslateContext): void {
  const alpha = (v.attrs.get('alpha') as number | undefined) ?? 0.2;
  const beta = (v.attrs.get('beta') as number | undefined) ?? 0.5;
  if (Math.abs(alpha - 1 / 6) < 1e-6 && beta === 0.5) return activation(v, ctx, { kind: 'hardsigmoid' });
  const m = ctx.freshTensor(v.output),
    a = ctx.freshTensor(v.output);
  ctx.emit({
    op: 'Mul',
    name: ctx.uniqueName(`${v.name}_alpha`),
    inputs: [v.inputs[0]!],
    output: m,
    weights: { B: { shape: [], data: Float64Array.of(alpha) } },
  });
  ctx.emit({
    op: 'Add',
    name: ctx.uniqueName(`${v.name}_beta`),
    inputs: [m],
    output: a,
    weights: { B: { shape: [], data: Float64Array.of(beta) } },
  });
  ctx.emit({ op: 'Activation', name: v.name, inputs: [a], output: v.output, attrs: { activation: { kind: 'clamp', min: 0, max: 1 } } });
}

export function gelu(v: OnnxNodeView, ctx: TranslateContext): void {
  const approx = (v.attrs.get('approximate') as string | undefined) ?? 'none';
  if (approx !== 'none')
    throw new UserError(
      `node '${v.name}' (${v.op}): Gelu approximate='${approx}' is not supported (only the exact erf form, approximate='none')`,
    );
  activation(v, ctx, { kind: 'gelu' });
}
