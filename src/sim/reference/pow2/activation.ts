import { activationFloat, parseActivation, type ActivationSpec } from '../../../activations/float.js';
import { ELEMENTWISE_KINDS } from '../../../activations/elementwise.js';
import { UserError } from '../../../errors.js';
import { lookupF64, type GridTable } from '../wasm/kernels.js';
import { quantizeReal, type RealEvents, type RealFormat } from './real.js';

/*
 * Activations in the float reference: the activation's float64 function
 * (activations/float.ts, the definition every unit is specified against),
 * evaluated at the real input, then quantized with the reference's own float
 * rounding. Three parts of the units' specifications enter as float steps:
 * - table activations (hardswish, gelu, silu, sigmoid, tanh, elu and the
 *   elementwise units of activations/elementwise.ts) read a
 *   table indexed by the top 16 bits of a wider input: the input is first
 *   truncated toward -inf to a multiple of 2^(W-16) LSBs;
 * - leakyrelu's slope is its alpha rounded to 16 significant bits, ties to
 *   even (so the product x * slope is exact in float64);
 * - hardsigmoid equals the quantized float function only when
 *   max(F_in, 0) + F_out <= 49 (beyond, the reference refuses).
 */

const TABLE_KINDS: ReadonlySet<string> = new Set(['hardswish', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu', ...ELEMENTWISE_KINDS]);
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

/** Input formats up to this width are evaluated once per input code (a table) rather than once per element. */
const TABULATED_WIDTH = 16;

/**
 * The activation over a whole tensor. For inputs of at most 16 bits the
 * per-element function above is evaluated once at every grid point of inF's
 * kept range at compile time and looked up by the reference kernels'
 * lookup_f64 (a memo of the same function, events included); when a value
 * is off that grid (none, when the input is inF's quantized tensor), the
 * whole tensor is evaluated directly.
 */
export function referenceActivationArray(
  text: string,
  inF: RealFormat,
  outF: RealFormat,
): (x: Float64Array, ev: RealEvents) => Float64Array {
  const act = referenceActivation(text, inF, outF);
  const table = activationTable(act, inF);
  if (!table) return (x, ev) => x.map((v) => act(v, ev));
  return (x, ev) => lookupF64(x, table, ev) ?? x.map((v) => act(v, ev));
}

/** The table of act at every grid point of inF's kept range (events as flags), or undefined when inF is wider than 16 bits. */
export function activationTable(act: (x: number, ev: RealEvents) => number, inF: RealFormat): GridTable | undefined {
  if (inF.width > TABULATED_WIDTH) return undefined;
  const first = inF.lo * inF.scale,
    size = (inF.hi - inF.lo) * inF.scale + 1;
  const table: GridTable = { scale: inF.scale, first, value: new Float64Array(size), flags: new Int32Array(size) };
  for (let i = 0; i < size; i++) {
    const ev = { saturations: 0, wraps: 0 };
    table.value[i] = act((first + i) * inF.lsb, ev);
    table.flags[i] = ev.saturations + 2 * ev.wraps;
  }
  return table;
}
