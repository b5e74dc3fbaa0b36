import { bitsToBinary, bitsToHex, codeToBits } from './bits.js';
import { parseDecimal } from './decimal.js';
import { formatToString, fracBits } from './format.js';
import { MAX_NUMBER_WIDTH } from './number.js';
import { quantizationErrorRational, quantizeRational, realRange, toReal } from './quantize.js';
import type { FixedFormat } from './types.js';

/** One quantized input as the `fixed` calculator reports it. */
export interface FixedValueReport {
  input: string;
  /** The code: a JSON number when W <= 53 (always exact), else its decimal string. */
  code: number | string;
  /** Raw W-bit pattern (two's complement), hex and binary. */
  hex: string;
  binary: string;
  /** The real value the code represents (nearest double). */
  value: number;
  /** value - input, computed exactly from the decimal input and rounded once. */
  error: number;
  overflow: boolean;
}

export interface FixedCalcReport {
  format: string;
  signed: boolean;
  width: number;
  intBits: number;
  fracBits: number;
  lsb: number;
  min: number;
  max: number;
  values: FixedValueReport[];
}

/**
 * Quantizes decimal numerals (their exact decimal value, not a nearby double)
 * into f with f's rounding and overflow modes. UserError for a non-numeric input.
 */
export function describeValues(f: FixedFormat, inputs: readonly string[]): FixedCalcReport {
  const range = realRange(f);
  const values = inputs.map((input): FixedValueReport => {
    const { num, den } = parseDecimal(input);
    const { code, overflow } = quantizeRational(num, den, f);
    const bits = codeToBits(code, f);
    return {
      input,
      code: f.width <= MAX_NUMBER_WIDTH ? Number(code) : code.toString(),
      hex: bitsToHex(bits, f.width),
      binary: bitsToBinary(bits, f.width),
      value: toReal(code, f),
      error: quantizationErrorRational(num, den, code, f),
      overflow,
    };
  });
  return {
    format: formatToString(f),
    signed: f.signed,
    width: f.width,
    intBits: f.intBits,
    fracBits: fracBits(f),
    lsb: range.lsb,
    min: range.min,
    max: range.max,
    values,
  };
}
