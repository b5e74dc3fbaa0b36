import { UserError } from '../../../errors.js';
import type { FixedFormat, Overflow, Rounding } from '../../../fixedpoint/types.js';
import type { Const, NodeView } from '../quantized-onnx/read.js';

/*
 * QONNX Quant / IntQuant as fixed-point formats (docs/qonnx.md):
 *   q = round(clamp(x / scale + zeropt, min_int, max_int)),  y = (q - zeropt) * scale
 * min_int/max_int: signed -2^(b-1) (+1 when narrow) .. 2^(b-1) - 1;
 * unsigned 0 .. 2^b - 1 (-1 when narrow). round: ROUND = half to even,
 * FLOOR, CEIL, ROUND_TO_ZERO (toward zero). Clamping before rounding equals rounding before clamping (the
 * bounds are integers). With scale = 2^-F and zeropt 0 the grid of y is that
 * of fixed<b, b - F> (ufixed when unsigned): ROUND is RND_CONV, FLOOR is TRN,
 * ROUND_TO_ZERO is TRN_ZERO,
 * the signed narrow range is SAT_SYM, the others SAT.
 */

/** QONNX rounding modes: ROUND half to even (NumPy's round), CEIL, FLOOR, ROUND_TO_ZERO (NumPy's fix). */
export const QUANT_ROUNDINGS = ['ROUND', 'CEIL', 'FLOOR', 'ROUND_TO_ZERO'] as const;
export type QuantRounding = (typeof QUANT_ROUNDINGS)[number];

export interface QuantSpec {
  bits: number;
  signed: boolean;
  narrow: boolean;
  rounding: QuantRounding;
  /** Per element group (one, or one per channel along `axis`). */
  scales: number[];
  zeroPoints: number[];
  /** Channel axis of per-channel parameters (their only dimension larger than 1). */
  axis?: number;
}

function fail(v: NodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

/** Channel axis of a broadcast parameter shaped like the input ([1, C, 1, 1] -> 1); undefined for a scalar. */
function paramAxis(v: NodeView, c: Const, what: string): number | undefined {
  const big = c.tensor.shape.map((d, i) => [d, i] as const).filter(([d]) => d > 1);
  if (big.length > 1) fail(v, `${what} has shape [${c.tensor.shape.join(',')}]; accepted: a scalar or one value per channel of one axis`);
  return big[0]?.[1];
}

/** Reads Quant's scale, zeropt, bitwidth (constants) and its attributes. */
export function quantSpec(v: NodeView, consts: ReadonlyMap<string, Const>): QuantSpec {
  const get = (i: number, what: string): Const => {
    const c = consts.get(v.inputs[i] ?? '');
    if (!c) fail(v, `${what} '${v.inputs[i] ?? ''}' must be a constant`);
    return c;
  };
  const s = get(1, 'scale'),
    z = get(2, 'zeropt'),
    b = get(3, 'bitwidth');
  const bits = b.tensor.data[0]!;
  if (b.tensor.data.length !== 1 || !Number.isInteger(bits) || bits < 2 || bits > 32)
    fail(v, `bitwidth ${Array.from(b.tensor.data).join(',')} must be one integer 2..32 (1-bit: BipolarQuant)`);
  const mode = roundingOf(v, 'ROUND');
  const scales = Array.from(s.tensor.data);
  scales.forEach((x) => {
    if (!(Number.isFinite(x) && x > 0)) fail(v, `scale ${x} must be positive and finite`);
  });
  const zeroPoints = Array.from(z.tensor.data);
  const axis = paramAxis(v, s, 'scale') ?? paramAxis(v, z, 'zeropt');
  if (zeroPoints.length !== 1 && zeroPoints.length !== scales.length)
    fail(v, `${zeroPoints.length} zero points for ${scales.length} scales`);
  const signed = (v.attrs.get('signed') ?? 1) === 1;
  return {
    bits,
    signed,
    narrow: (v.attrs.get('narrow') ?? 0) === 1,
    rounding: mode,
    scales,
    zeroPoints,
    ...(axis !== undefined ? { axis } : {}),
  };
}

/** The node's rounding_mode attribute (`fallback` when absent); UserError naming the accepted modes. */
export function roundingOf(v: NodeView, fallback: QuantRounding): QuantRounding {
  const mode = String(v.attrs.get('rounding_mode') ?? fallback).toUpperCase();
  const found = QUANT_ROUNDINGS.find((m) => m === mode);
  if (!found) fail(v, `rounding_mode '${mode}' is not supported; accepted: ${QUANT_ROUNDINGS.join(', ')}`);
  return found;
}

/** [min_int, max_int] of a Quant. */
export function intRange(q: Pick<QuantSpec, 'bits' | 'signed' | 'narrow'>): [number, number] {
  if (q.signed) return [-(2 ** (q.bits - 1)) + (q.narrow ? 1 : 0), 2 ** (q.bits - 1) - 1];
  return [0, 2 ** q.bits - 1 - (q.narrow ? 1 : 0)];
}

/** F with scale = 2^-F, or undefined when the scale is not a power of two. */
export function pow2Exponent(scale: number): number | undefined {
  const F = -Math.log2(scale);
  return Number.isInteger(F) && 2 ** -F === scale ? F : undefined;
}

/**
 * The fixed-point format of one channel of a Quant with a power-of-two scale
 * and zero point 0; UserError otherwise. For a constant (`constant`) the codes
 * are computed at import, so any rounding mode goes (the format then records RND_CONV).
 */
export function quantFormat(v: NodeView, q: QuantSpec, channel = 0, constant = false): FixedFormat {
  const s = q.scales.length === 1 ? q.scales[0]! : q.scales[channel]!;
  const F = pow2Exponent(s);
  if (F === undefined)
    fail(
      v,
      `scale ${s} is not a power of two; helu-sim maps QONNX Quant onto fixed-point formats (scale 2^-F, zero point 0); 8-bit tensors with other scales: quantized ONNX (QDQ)`,
    );
  if (q.zeroPoints.some((z) => z !== 0))
    fail(v, `zero point ${q.zeroPoints.find((z) => z !== 0)} is not supported with fixed-point formats (only 0)`);
  if (!q.signed && q.narrow) fail(v, 'an unsigned narrow range (0 .. 2^b - 2) has no fixed-point overflow mode');
  const rounding: Rounding =
    q.rounding === 'ROUND' || constant
      ? 'RND_CONV'
      : q.rounding === 'FLOOR'
        ? 'TRN'
        : q.rounding === 'ROUND_TO_ZERO'
          ? 'TRN_ZERO'
          : fail(v, 'rounding_mode CEIL on a runtime tensor has no fixed-point rounding mode (ROUND, FLOOR and ROUND_TO_ZERO do)');
  const overflow: Overflow = q.signed && q.narrow ? 'SAT_SYM' : 'SAT';
  return { signed: q.signed, width: q.bits, intBits: q.bits - F, rounding, overflow };
}

/** round(clamp(x / scale + zp)) of one value by the spec's formula, ROUND half to even. */
export function quantCode(x: number, scale: number, zp: number, lo: number, hi: number, rounding: QuantSpec['rounding']): number {
  let y = x / scale + zp;
  y = y > hi ? hi : y < lo ? lo : y;
  if (rounding === 'FLOOR') return Math.floor(y);
  if (rounding === 'CEIL') return Math.ceil(y);
  if (rounding === 'ROUND_TO_ZERO') return Math.trunc(y);
  const f = Math.floor(y);
  const d = y - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}
