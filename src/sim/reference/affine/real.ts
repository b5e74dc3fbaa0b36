import type { AffineParams, FusedActivation } from '../../quantize/affine/types.js';
import { div, ratOf, rneNear, type Rat } from './exact.js';

/*
 * Quantization of exact real values, the ONNX QuantizeLinear definition in
 * real arithmetic: code = saturate(round_half_even(y / scale) + zero_point).
 * A real value is carried as a double estimate (relative error below 2^-48)
 * and a thunk giving its exact rational value.
 */

export interface Real {
  approx: number;
  exact: () => Rat;
}

const ZERO: Real = { approx: 0, exact: () => ({ n: 0n, d: 1n }) };
const SIX: Real = { approx: 6, exact: () => ({ n: 6n, d: 1n }) };

/** Sign of an exact real: the estimate decides unless it is (near) zero. */
function sign(y: Real): number {
  if (Math.abs(y.approx) > 2 ** -200) return Math.sign(y.approx);
  const n = y.exact().n;
  return n > 0n ? 1 : n < 0n ? -1 : 0;
}

function greaterThanSix(y: Real): boolean {
  if (Math.abs(y.approx - 6) > 6 * 2 ** -40) return y.approx > 6;
  const r = y.exact();
  return r.n > 6n * r.d;
}

/** relu / helu: max(y, 0); relu6: min(max(y, 0), 6) — on the real value, before quantization. */
export function activateReal(y: Real, act: FusedActivation | undefined): Real {
  if (act === undefined) return y;
  if (sign(y) <= 0) return ZERO;
  return act === 'relu6' && greaterThanSix(y) ? SIX : y;
}

/** The unclamped code of real value y in tensor p (round half to even of y / scale, plus the zero point). */
export function codeOfReal(y: Real, p: AffineParams): number {
  return rneNear(y.approx / p.scale, () => div(y.exact(), ratOf(p.scale))) + p.zeroPoint;
}

/** Saturates to the type's range, counting; returns the code. */
export function saturate(code: number, p: AffineParams, ev: { saturations: number }): number {
  if (code < p.qmin) {
    ev.saturations++;
    return p.qmin;
  }
  if (code > p.qmax) {
    ev.saturations++;
    return p.qmax;
  }
  return code;
}
