/**
 * Readable RTL of the processing element (network/mac.ts buildPe): registered
 * w and x, the exact product, the product rounded to the accumulator's LSB
 * (accumulator rounding mode), acc + product narrowed by the accumulator's
 * overflow mode, registered as y; x_out = the registered x. Ports and
 * register placement equal the gate netlist's, so the two are compared by a
 * Yosys induction proof and by the same testbench.
 */
import { formatToString, fracBits, maxCode, minCode } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { convertRtl } from '../../verilog/rtl-convert.js';
import { commentLines, range, resize, signedBits } from '../../verilog/rtl.js';
import type { MacFormats } from '../network/mac.js';
import { productFormat } from '../network/mac.js';

const ext = (name: string, f: FixedFormat) => resize(name, f.width, f.signed, f.width + 1);

function productRange(f: MacFormats): { min: bigint; max: bigint } {
  const ps = [minCode(f.weight), maxCode(f.weight)].flatMap((w) => [minCode(f.input), maxCode(f.input)].map((x) => w * x));
  return { min: ps.reduce((a, b) => (a < b ? a : b)), max: ps.reduce((a, b) => (a > b ? a : b)) };
}

/** Body items: product, rounding to the accumulator LSB, sum, overflow; result wire `ov_y`. */
function datapath(f: MacFormats): string[] {
  const pw = f.weight.width + f.input.width + 2;
  const pr = productRange(f);
  const fa = fracBits(f.acc);
  const fp = fracBits(productFormat(f));
  const items = [
    `  wire signed ${range(f.weight.width + 1)} ws = ${ext('wq', f.weight)};`,
    `  wire signed ${range(f.input.width + 1)} xs = ${ext('xq', f.input)};`,
    `  wire signed ${range(pw)} prod = ws * xs;`,
  ];
  // The rounded product at the accumulator's LSB, wide enough never to wrap.
  const rw = signedBits(pr.min, pr.max) + Math.max(0, fa - fp) + 2;
  const aligned: FixedFormat = { signed: true, width: rw, intBits: rw - fa, rounding: f.acc.rounding, overflow: 'WRAP' };
  const pa = convertRtl('pa', 'w * x', { name: 'prod', width: pw, signed: true, frac: fp, ...pr }, aligned);
  items.push(...pa.items);
  const sw = Math.max(f.acc.width + 1, rw) + 1;
  items.push(`  wire signed ${range(sw)} sum = ${resize('acc', f.acc.width, f.acc.signed, sw)} + ${resize(pa.result, rw, true, sw)};`);
  const span = 1n << BigInt(rw - 1);
  const ov = convertRtl(
    'ov',
    'acc + product',
    { name: 'sum', width: sw, signed: true, frac: fa, min: minCode(f.acc) - span, max: maxCode(f.acc) + span },
    f.acc,
  );
  items.push(...ov.items);
  return [...items, `  wire ${range(f.acc.width)} y_next = ${ov.result};`];
}

/** The PE module `name`: ports clk, w, x, acc -> y, x_out. */
export function peRtl(f: MacFormats, name: string, comment: readonly string[] = []): string {
  return [
    ...commentLines([
      ...comment,
      `weight ${formatToString(f.weight)}, input ${formatToString(f.input)}, accumulator ${formatToString(f.acc)}.`,
      'y = acc + w*x (registered w, x; product rounded to the accumulator LSB, overflow mode after the add), registered.',
    ]),
    '`default_nettype none',
    `module ${name} (`,
    '  input  wire clk,',
    `  input  wire ${range(f.weight.width)} w,`,
    `  input  wire ${range(f.input.width)} x,`,
    `  input  wire ${range(f.acc.width)} acc,`,
    `  output wire ${range(f.acc.width)} y,`,
    `  output wire ${range(f.input.width)} x_out`,
    ');',
    `  reg ${range(f.weight.width)} wq;`,
    `  reg ${range(f.input.width)} xq;`,
    `  reg ${range(f.acc.width)} yq;`,
    '  /* verilator lint_off UNUSED */',
    ...datapath(f),
    '  /* verilator lint_on UNUSED */',
    '  always @(posedge clk) begin',
    '    wq <= w;',
    '    xq <= x;',
    '    yq <= y_next;',
    '  end',
    '  assign y = yq;',
    '  assign x_out = xq;',
    'endmodule',
    '`default_nettype wire',
    '',
  ].join('\n');
}
