import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { InputStep } from '../../quantize/model.js';
import type { ImportContext, Value } from './context.js';
import { constant } from './params.js';
import type { NodeView } from './read.js';
import { intAttr } from './window.js';

/*
 * Float ops an exporter leaves outside the quantized part:
 * - on the raw graph input, before its QuantizeLinear: Add/Sub/Mul/Div by a
 *   float scalar (input normalization, recorded as the model input's float32
 *   preprocess steps) and Reshape/Flatten (the model input takes the new
 *   per-sample shape);
 * - Pad (constant mode, value 0) of a DequantizeLinear output, as PyTorch
 *   writes before a padded AveragePool: folded into the Conv or AveragePool it
 *   feeds (a real 0 is the zero point's code, so padding the codes with the
 *   zero point is the same tensor).
 */

type Raw = Extract<Value, { kind: 'raw' }>;

const STEP: Record<string, InputStep['op']> = { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div' };

function fail(v: NodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

/** The float scalar operand of a normalization step. */
function scalar(ctx: ImportContext, v: NodeView, name: string): number {
  const c = constant(ctx, v, name, 'operand');
  if (c.elemType !== 1 || c.tensor.data.length !== 1)
    fail(v, `operand '${name}' must be a float scalar (input normalization by one value)`);
  const x = c.tensor.data[0]!;
  if (!Number.isFinite(x) || (v.op === 'Div' && x === 0)) fail(v, `operand ${x} must be finite${v.op === 'Div' ? ' and not 0' : ''}`);
  return Math.fround(x);
}

function rawStep(ctx: ImportContext, v: NodeView, raw: Raw, at: number): Raw {
  const other = v.inputs[1 - at]!;
  if (at === 1 && (v.op === 'Sub' || v.op === 'Div'))
    fail(v, `'${other}' ${v.op === 'Sub' ? '-' : '/'} input is not supported; only input ${v.op === 'Sub' ? '-' : '/'} constant`);
  return { ...raw, steps: [...raw.steps, { op: STEP[v.op]!, value: scalar(ctx, v, other) }] };
}

function rawShape(ctx: ImportContext, v: NodeView, raw: Raw): Raw {
  if (v.op === 'Flatten') {
    if (intAttr(v, 'axis', 1) !== 1) fail(v, 'only axis 1 is supported');
    return { ...raw, shape: [sizeOf(raw.shape)] };
  }
  const target = Array.from(constant(ctx, v, v.inputs[1], 'shape').tensor.data).slice(1);
  const per = target.map((d, i) => (d === 0 ? raw.shape[i]! : d));
  const known = per.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const shape = per.map((d) => (d === -1 ? sizeOf(raw.shape) / known : d));
  if (shape.some((d) => !Number.isInteger(d) || d < 1) || sizeOf(shape) !== sizeOf(raw.shape)) {
    fail(v, `target [${target.join(',')}] does not hold the per-sample input shape [${raw.shape.join(',')}]`);
  }
  return { ...raw, shape };
}

/** A float op on the raw input; false when `v` does not read the raw input. */
export function rawInputOp(ctx: ImportContext, v: NodeView): boolean {
  const at = v.inputs.findIndex((i) => ctx.values.get(i)?.kind === 'raw');
  if (at < 0 || v.op === 'QuantizeLinear' || v.op === 'Shape') return false;
  const raw = ctx.values.get(v.inputs[at]!) as Raw;
  let next: Raw;
  if (STEP[v.op]) next = rawStep(ctx, v, raw, at);
  else if ((v.op === 'Reshape' || v.op === 'Flatten') && at === 0) next = rawShape(ctx, v, raw);
  else
    fail(
      v,
      `float ${v.op} of the model input before its QuantizeLinear is not supported; accepted there: Add, Sub, Mul, Div by a float scalar, Reshape, Flatten`,
    );
  ctx.values.set(v.outputs[0]!, next);
  return true;
}

/** Pad of a DequantizeLinear output with zeros on the two spatial axes of [N, C, H, W]. */
export function pad(ctx: ImportContext, v: NodeView): void {
  const val = ctx.value(v, v.inputs[0], 'input');
  if (val.kind !== 'dq') fail(v, `input '${v.inputs[0]}' must be a DequantizeLinear output (a Pad of the dequantized tensor)`);
  const mode = v.attrs.get('mode') ?? 'constant';
  if (mode !== 'constant') fail(v, `mode '${String(mode)}' is not supported (only constant)`);
  const value = v.inputs[2]
    ? constant(ctx, v, v.inputs[2], 'constant_value').tensor.data[0]
    : ((v.attrs.get('value') as number | undefined) ?? 0);
  if (value !== 0) fail(v, `pad value ${value} is not supported (only 0)`);
  if (v.inputs[3]) fail(v, 'the axes input is not supported');
  const pads = v.inputs[1]
    ? Array.from(constant(ctx, v, v.inputs[1], 'pads').tensor.data)
    : ((v.attrs.get('pads') as number[] | undefined) ?? []);
  if (pads.length !== 8 || pads.some((p) => !Number.isInteger(p) || p < 0) || pads[0] || pads[1] || pads[4] || pads[5]) {
    fail(v, `pads [${pads.join(',')}] must be 8 non-negative entries padding only H and W of [N, C, H, W]`);
  }
  const [, , t, l, , , b, r] = pads as [number, number, number, number, number, number, number, number];
  if (t + l + b + r === 0) return void ctx.values.set(v.outputs[0]!, val);
  ctx.values.set(v.outputs[0]!, { kind: 'padded', tensor: val.tensor, pads: [t, l, b, r] });
}

/** The runtime operand of a Conv or AveragePool: the quantized tensor behind a DequantizeLinear, and the pads of a Pad between them. */
export function paddedInput(ctx: ImportContext, v: NodeView): { tensor: string; pads?: [number, number, number, number] } {
  const val = ctx.value(v, v.inputs[0], 'input 0');
  if (val.kind === 'padded') return { tensor: val.tensor, pads: val.pads };
  return { tensor: ctx.tensorOf(v, v.inputs[0]!, ['dq'], 'input 0') };
}

/** pads + extra, element by element ([top, left, bottom, right]). */
export function addPads(
  pads: [number, number, number, number],
  extra: [number, number, number, number] | undefined,
): [number, number, number, number] {
  return extra ? [pads[0] + extra[0], pads[1] + extra[1], pads[2] + extra[2], pads[3] + extra[3]] : pads;
}
