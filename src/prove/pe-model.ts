import { formatToString, fracBits } from '../fixedpoint/index.js';
import { shiftRightRoundNumber } from '../fixedpoint/number.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import type { MacFormats } from '../hardware/network/mac.js';
import { accAdd, accChannel } from '../sim/engine/accumulate.js';
import { exactDecimal } from './counterexample.js';
import type { PortValue, UnitCounterexample } from './unit-types.js';

/**
 * The model side of a PE proof: the integer engine's own accumulate step
 * (sim/engine/accumulate.ts accAdd: the product w*x brought to the
 * accumulator's LSB with its rounding mode, added, then its overflow mode),
 * on codes. Exact: |w*x| and |acc| stay below 2^53 for the formats a PE is
 * proven at (checked by the caller).
 */
export function peModel(f: MacFormats): (w: number, x: number, acc: number) => number {
  const ch = accChannel(f.acc, prodShift(f));
  const ev = { saturations: 0, wraps: 0 };
  return (w, x, acc) => accAdd(acc, w * x, ch, ev);
}

/** F_w + F_x - F_acc: the product's right shift onto the accumulator LSB (negative: exact left shift). */
export function prodShift(f: MacFormats): number {
  return fracBits(f.weight) + fracBits(f.input) - fracBits(f.acc);
}

/** The product at the accumulator's LSB, the value the adder adds (before the overflow mode). */
export function alignedProduct(f: MacFormats): (w: number, x: number) => number {
  const s = prodShift(f);
  return (w, x) => (s === 0 ? w * x : shiftRightRoundNumber(w * x, s, f.acc.rounding));
}

export function codeOf(raw: bigint, f: { readonly signed: boolean; readonly width: number }): bigint {
  return f.signed ? BigInt.asIntN(f.width, raw) : BigInt.asUintN(f.width, raw);
}

/** The code of a raw pattern (a number below 2^31) of format f, in number arithmetic. */
export function numberCode(f: { readonly signed: boolean; readonly width: number }): (raw: number) => number {
  const half = 2 ** (f.width - 1),
    full = 2 ** f.width;
  return f.signed ? (raw) => (raw >= half ? raw - full : raw) : (raw) => raw;
}

export function portValue(name: string, raw: bigint, f: FixedFormat): PortValue {
  const code = codeOf(raw, f);
  return { name, raw, code, real: exactDecimal(code, f) };
}

/** A short name of the PE's formats. */
export function peName(f: MacFormats): string {
  return `pe ${formatToString(f.weight)} x ${formatToString(f.input)} + ${formatToString(f.acc)}`;
}

/**
 * The counterexample at (w, x, acc) raw: the model's y against `gotRaw`, the
 * unit's y evaluated by the caller. Throws an internal error when they agree.
 */
export function peCounterexample(f: MacFormats, w: bigint, x: bigint, acc: bigint, gotRaw: bigint, output = 'y'): UnitCounterexample {
  const ins = [portValue('w', w, f.weight), portValue('x', x, f.input), portValue('acc', acc, f.acc)];
  const want =
    output === 'x_out'
      ? x
      : BigInt.asUintN(f.acc.width, BigInt(peModel(f)(Number(ins[0]!.code), Number(ins[1]!.code), Number(ins[2]!.code))));
  const fmt = output === 'x_out' ? f.input : f.acc;
  const expected = portValue(output, want, fmt),
    got = portValue(output, gotRaw, fmt);
  if (expected.raw === got.raw)
    throw new Error(`internal: the reported PE counterexample is not one (${output} = ${got.code} on both sides)`);
  const text = `${ins.map((p) => `${p.name} = ${p.code} (${p.real})`).join(', ')}: expected ${output} = ${expected.code} (${expected.real}), got ${got.code} (${got.real})`;
  return { inputs: ins, output, expected, got, text };
}
