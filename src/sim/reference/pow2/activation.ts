import { activationFloat, parseActivation, type ActivationSpec } from '../../../activations/float.js';
import { UserError } from '../../../errors.js';
import { quantizeReal, type RealEvents, type RealFormat } from './real.js';

/*
 * Activations in the float reference: the activation's float64 function
 * (activations/float.ts, the definition every unit is specified against),
 * evaluated at the real input, then quantized with the reference's own float
 * rounding. Three parts of the units' specifications enter as float steps:
 * - table activations (hardswish, gelu, silu, sigmoid, tanh, elu) read a
 *   table indexed by the top 16 bits of a wider input: the input is first
 *   truncated toward -inf to a multiple of 2^(W-16) LSBs;
 * - leakyrelu's slope is its alpha rounded to 16 significant bits, ties to
 *   even (so the product x * slope is exact in float64);
 * - hardsigmoid equals the quantized float function only when
 *   max(F_in, 0) + F_out <= 49 (beyond, the reference refuses).
 */

const TABLE_KINDS: ReadonlySet<string> = new Set(['hardswish', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu']);
const TABLE_INDEX_BITS = 16;
const SLOPE_SIGNIFICANT_BITS = 16;

/** alpha rounded to 16 significant bits, ties to even, with float operations only. */
export function slopeReal(alpha: number): number {
  const a = Math.abs(alpha);
  if (a === 0 || !Number.isFinite(a)) return alpha;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const m = a * 2 ** (SLOPE_SIGNIFICANT_BITS - 1 - e); // in [2^15, 2^16)
  const fl = Math.floor(m);
  const frac = m - fl;
  const r = frac > 0.5 || (frac === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  return Math.sign(alpha) * r * 2 ** (e - (SLOPE_SIGNIFICANT_BITS - 1));
}

/** The real input the unit actually evaluates (table activations with W > 16 drop low bits, toward -inf). */
function tableInput(spec: ActivationSpec, inF: RealFormat): (x: number) => number {
  const drop = inF.width - TABLE_INDEX_BITS;
  if (!TABLE_KINDS.has(spec.kind) || drop <= 0) return (x) => x;
  const step = inF.lsb * 2 ** drop;
  return (x) => Math.floor(x / step) * step;
}

/** x (real, on inF's grid) -> the activation's output real on outF's grid; events counted. */
export function referenceActivation(text: string, inF: RealFormat, outF: RealFormat): (x: number, ev: RealEvents) => number {
  let spec = parseActivation(text);
  if (spec.kind === 'leakyrelu') spec = { ...spec, alpha: slopeReal(spec.alpha) };
  if (spec.kind === 'hardsigmoid' && Math.max(inF.F, 0) + outF.F > 49) {
    throw new UserError(`hardsigmoid from ${inF.text} to ${outF.text}: the float reference is exact only when max(F_in, 0) + F_out <= 49`);
  }
  const input = tableInput(spec, inF);
  const s = spec;
  return (x, ev) => quantizeReal(activationFloat(s, input(x)), outF, ev);
}
