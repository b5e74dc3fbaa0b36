import type { ActivationDef } from '../activations/index.js';
import { bitsToCode, fracBits } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import type { Counterexample } from './types.js';

/** The exact decimal value of code * 2^-F (every such value has a finite decimal expansion). */
export function exactDecimal(code: bigint, f: FixedFormat): string {
  const F = fracBits(f);
  if (F <= 0) return (code << BigInt(-F)).toString();
  const neg = code < 0n,
    mag = neg ? -code : code;
  const scaled = (mag * 5n ** BigInt(F)).toString().padStart(F + 1, '0'); // mag * 2^-F = mag * 5^F / 10^F
  const int = scaled.slice(0, scaled.length - F),
    frac = scaled.slice(scaled.length - F).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/**
 * The counterexample at raw input `xRaw`: the model's output (exact model,
 * functionalBig) against `implRaw`, the implementation's raw output at that
 * input, evaluated by the caller. Throws an internal error when the two agree
 * there: a counterexample is reported only after both sides are evaluated.
 */
export function checkedCounterexample(
  def: ActivationDef,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
  xRaw: bigint,
  implRaw: bigint,
): Counterexample {
  const x = bitsToCode(xRaw, inFmt);
  const expected = def.functionalBig(x, inFmt, outFmt);
  const got = bitsToCode(implRaw, outFmt);
  if (got === expected) {
    throw new Error(`internal: the reported counterexample x = ${x} is not one (model and implementation both give ${got})`);
  }
  const text = `x = ${x} (${exactDecimal(x, inFmt)}): expected ${expected} (${exactDecimal(expected, outFmt)}), got ${got} (${exactDecimal(got, outFmt)})`;
  return { xRaw, x, expected, got, text };
}
