import { formatToString, fracBits, maxCode, minCode } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import { sameAffine, tensorParams } from './affine/types.js';
import { asBoolean, asInt, asIntArray, asOneOf, fieldError } from './fields.js';
import type { TensorQuant } from './model.js';
import { REDUCE_KINDS, type DataLayer, type ReduceLayer } from './model-data.js';
import { maxAbsCode } from './quant.js';

/*
 * Shapes and checks of the data-movement layers (model-data.ts), for the
 * model validator: the scheme-independent fields and output shape, then the
 * pow2 or affine checks of codes, quantizations and exactness.
 */

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/** The axes' sizes multiplied: the element count n of each reduced group. */
export function reduceCount(l: Pick<ReduceLayer, 'axes'>, x: readonly number[]): number {
  return l.axes.reduce((p, a) => p * x[a]!, 1);
}

function checkAxes(axes: unknown, rank: number, path: string): number[] {
  const a = asIntArray(axes, path);
  if (a.length === 0) fieldError(path, 'must name at least one axis');
  a.forEach((v, i) => {
    asInt(v, `${path}[${i}]`, 0, rank - 1);
    if (i > 0 && v <= a[i - 1]!) fieldError(path, 'must be increasing and distinct');
  });
  return a;
}

/** Per-sample output shape of a data layer from its input shapes; UserError naming the field when they do not fit. */
export function dataLayerShape(l: DataLayer, ins: (readonly number[])[], path: string): number[] {
  const x = ins[0]!;
  switch (l.op) {
    case 'gather': {
      const axis = asInt(l.axis, `${path}.axis`, 0, x.length - 1);
      const idx = asIntArray(l.indices, `${path}.indices`);
      if (idx.length === 0) fieldError(`${path}.indices`, 'must hold at least one index');
      idx.forEach((v, i) => asInt(v, `${path}.indices[${i}]`, 0, x[axis]! - 1));
      return x.map((d, i) => (i === axis ? idx.length : d));
    }
    case 'reduce': {
      asOneOf(l.fn, `${path}.fn`, REDUCE_KINDS);
      const axes = checkAxes(l.axes, x.length, `${path}.axes`);
      const keep = asBoolean(l.keepdims, `${path}.keepdims`);
      return x.flatMap((d, i) => (!axes.includes(i) ? [d] : keep ? [1] : []));
    }
    case 'constant':
      asIntArray(l.codes, `${path}.codes`, sizeOf(l.shape));
      return [...l.shape];
    case 'pad': {
      const p = asIntArray(l.pads, `${path}.pads`, 2 * x.length);
      asInt(l.value, `${path}.value`);
      const out = x.map((d, i) => d + p[i]! + p[i + x.length]!);
      if (out.some((d) => d < 1)) fieldError(`${path}.pads`, `[${p.join(',')}] leave no element of ${fmt(x)} on some axis`);
      return out;
    }
  }
}

function checkCodeRange(codes: readonly number[], lo: number, hi: number, what: string, path: string): void {
  codes.forEach((c, i) => {
    if (c < lo || c > hi) fieldError(`${path}[${i}]`, `code ${c} is outside ${what} [${lo}, ${hi}]`);
  });
}

/** pow2 checks of a data layer given its inputs' formats and shapes (out: its output format). */
export function checkPow2Data(l: DataLayer, out: FixedFormat, ins: FixedFormat[], shapes: number[][], path: string): void {
  const range = (f: FixedFormat): [number, number] => [Number(minCode(f)), Number(maxCode(f))];
  if (l.op === 'constant') return checkCodeRange(l.codes, ...range(out), formatToString(out), `${path}.codes`);
  const inF = ins[0]!;
  const keeps = l.op !== 'reduce' || l.fn === 'max' || l.fn === 'min';
  if (keeps && formatToString(out) !== formatToString(inF))
    fieldError(
      `${path}.out`,
      `must equal the input's format ${formatToString(inF)} (${l.op} does not requantize it), got ${formatToString(out)}`,
    );
  if (l.op === 'pad') checkCodeRange([l.value], ...range(out), formatToString(out), `${path}.value`);
  if (l.op === 'reduce' && !keeps) {
    // the exact sum times 2^(F_out - F_in), and the divisor times 2^(F_in - F_out), are integers below 2^53
    const n = reduceCount(l, shapes[0]!);
    const d = fracBits(out) - fracBits(inF);
    if (n * maxAbsCode(inF) * 2 ** Math.max(d, 0) >= 2 ** 53 || n * 2 ** Math.max(-d, 0) >= 2 ** 53)
      fieldError(
        `${path}.out`,
        `${l.fn} of ${n} values of ${formatToString(inF)} into ${formatToString(out)} needs integers beyond 2^53; the simulator is exact only below`,
      );
  }
}

/** affine checks of a data layer given its inputs' quants and shapes. */
export function checkAffineData(l: DataLayer, ins: readonly TensorQuant[], shapes: readonly (readonly number[])[], path: string): void {
  const p = tensorParams(l.out, `${path}.out`);
  if (l.op === 'constant') return checkCodeRange(l.codes, p.qmin, p.qmax, p.type, `${path}.codes`);
  const keeps = l.op !== 'reduce' || l.fn === 'max' || l.fn === 'min';
  if (keeps && !sameAffine(l.out, ins[0]!)) fieldError(`${path}.out`, `must equal the input's quant (${l.op} moves codes unchanged)`);
  if (l.op === 'pad') checkCodeRange([l.value], p.qmin, p.qmax, p.type, `${path}.value`);
  // the requantizations take the exact sum of (x - z_in) as an int32
  if (l.op === 'reduce' && !keeps && reduceCount(l, shapes[0]!) * 255 > 2 ** 31 - 1)
    fieldError(`${path}.axes`, `${l.fn} of ${reduceCount(l, shapes[0]!)} codes can leave int32; the requantization takes an int32 sum`);
}
