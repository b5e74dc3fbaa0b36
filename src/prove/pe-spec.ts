import { formatToString, fracBits } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { commentLines, range, resize, sconst } from '../verilog/rtl.js';
import { convertRtl } from '../verilog/rtl-convert.js';
import type { BitMap } from './front.js';

/** The quantity the PE's multiplier hands to its adder: the exact product (P) or the product at the accumulator's LSB (A). */
export interface CutValue {
  /** Two's complement width of `a` in the stage-2 modules. */
  readonly width: number;
  /** Fraction bits of the value (F_w + F_x for P, F_acc for A). */
  readonly frac: number;
  readonly min: number;
  readonly max: number;
}

const clampItems = (v: CutValue): string[] => [
  `  wire signed ${range(v.width)} ar = a;`,
  // Only values the front can produce (min..max over every operand pair) are in the proof's domain.
  `  wire signed ${range(v.width)} v = ar < ${sconst(BigInt(v.min), v.width)} ? ${sconst(BigInt(v.min), v.width)} : ar > ${sconst(BigInt(v.max), v.width)} ? ${sconst(BigInt(v.max), v.width)} : ar;`,
];

/**
 * Specification of the PE's second stage, written from the model's formula
 * (the accumulate step of the integer engine): y = overflow(acc + round(v)),
 * v the cut value, rounded to the accumulator's LSB with its rounding mode
 * (an exact left shift when the accumulator has more fraction bits), the sum
 * exact, then the accumulator's overflow mode. Module `name`: a, acc -> y.
 */
export function peBackSpec(name: string, v: CutValue, acc: FixedFormat): string {
  const fa = fracBits(acc);
  const rw = v.width + Math.max(0, fa - v.frac) + 2;
  const aligned: FixedFormat = { signed: true, width: rw, intBits: rw - fa, rounding: acc.rounding, overflow: 'WRAP' };
  const pa = convertRtl(
    'pa',
    'cut value',
    { name: 'v', width: v.width, signed: true, frac: v.frac, min: BigInt(v.min), max: BigInt(v.max) },
    aligned,
  );
  const sw = Math.max(acc.width + 1, rw) + 1;
  const span = 1n << BigInt(rw - 1);
  const lo = acc.signed ? -(1n << BigInt(acc.width - 1)) : 0n,
    hi = acc.signed ? (1n << BigInt(acc.width - 1)) - 1n : (1n << BigInt(acc.width)) - 1n;
  const ov = convertRtl('ov', 'acc + product', { name: 'sum', width: sw, signed: true, frac: fa, min: lo - span, max: hi + span }, acc);
  return [
    ...commentLines([`PE stage 2 specification: y = ${formatToString(acc)} overflow of acc + the cut value at the accumulator LSB.`]),
    `module ${name} (input wire ${range(v.width)} a, input wire ${range(acc.width)} acc, output wire ${range(acc.width)} y);`,
    ...clampItems(v),
    ...pa.items,
    `  wire signed ${range(sw)} sum = ${resize('acc', acc.width, acc.signed, sw)} + ${resize(pa.result, rw, true, sw)};`,
    ...ov.items,
    `  assign y = ${ov.result};`,
    'endmodule',
    '',
  ].join('\n');
}

/**
 * The implementation's second stage: module `name` (a, acc -> y) driving the
 * back of the cut (`back`, ports f, acc -> y) with each frontier net read
 * from the cut value as the front mapping found (bit, inverted, constant).
 */
export function peBackImpl(name: string, v: CutValue, map: readonly BitMap[], accWidth: number, back: string): string {
  const bit = (m: BitMap): string =>
    m.bit < 0 ? (m.invert ? "1'b1" : "1'b0") : `${m.invert ? '~' : ''}v[${Math.min(m.bit, v.width - 1)}]`;
  return [
    `module ${name} (input wire ${range(v.width)} a, input wire ${range(accWidth)} acc, output wire ${range(accWidth)} y);`,
    ...clampItems(v),
    `  wire ${range(map.length)} f = {${[...map].reverse().map(bit).join(', ')}};`,
    `  ${back} u_back (.f(f), .acc(acc), .y(y));`,
    'endmodule',
    '',
  ].join('\n');
}
