/**
 * Readable RTL of the requantization units (network/requant.ts), combinational,
 * with the gate netlist's ports.
 * pow2: acc extended to the channels' common format, shifted left by 'shift'
 *   (per-channel formats only), then convert() to the output format.
 * affine: SRDHM(acc, m) = floor((acc*m + 2^30) / 2^31) saturated to the
 *   accumulator width; RoundingDivideByPOT by e (ties away from zero); + zp;
 *   clamped to the output type.
 */
import { formatToString, fracBits, maxCode, minCode } from '../../fixedpoint/index.js';
import { convertRtl } from '../../verilog/rtl-convert.js';
import { commentLines, range, resize, sconst } from '../../verilog/rtl.js';
import { amountBits, pow2AccUnion, type AffineRequantSpec, type Pow2RequantSpec, type RequantSpec } from '../network/requant.js';

function frame(name: string, ports: string[], items: string[], comment: readonly string[]): string {
  return [
    ...commentLines(comment),
    '`default_nettype none',
    `module ${name} (`,
    ports.map((p) => `  ${p}`).join(',\n'),
    ');',
    '  /* verilator lint_off UNUSED */',
    ...items,
    '  /* verilator lint_on UNUSED */',
    'endmodule',
    '`default_nettype wire',
    '',
  ].join('\n');
}

function pow2Rtl(s: Pow2RequantSpec, name: string, comment: readonly string[]): string {
  const u = pow2AccUnion(s.acc);
  const wmax = Math.max(...s.acc.map((a) => a.width));
  const spread = Math.max(...s.acc.map(fracBits)) - Math.min(...s.acc.map(fracBits));
  const sb = amountBits(spread);
  const ports = [
    `input  wire ${range(wmax)} acc`,
    ...(sb > 0 ? [`input  wire ${range(sb)} shift`] : []),
    `output wire ${range(s.out.width)} y`,
  ];
  const items = [`  wire ${u.signed ? 'signed ' : ''}${range(u.width)} ext = ${resize('acc', wmax, u.signed, u.width)};`];
  items.push(`  wire ${u.signed ? 'signed ' : ''}${range(u.width)} al = ${sb > 0 ? 'ext << shift' : 'ext'};`);
  const c = convertRtl(
    'rq',
    'aligned accumulator',
    { name: 'al', width: u.width, signed: u.signed, frac: fracBits(u), min: minCode(u), max: maxCode(u) },
    s.out,
  );
  items.push(...c.items, `  assign y = ${c.result};`);
  return frame(name, ports, items, [
    ...comment,
    `pow2 requantization ${s.acc.map(formatToString).join(' / ')} -> ${formatToString(s.out)}.`,
  ]);
}

function affineRtl(s: AffineRequantSpec, name: string, comment: readonly string[]): string {
  const w = s.accBits;
  const eb = amountBits(w - 1);
  const wo = s.out.width;
  const ws = Math.max(w, wo + 1) + 1;
  const lo = minCode({ ...s.out, intBits: wo }),
    hi = maxCode({ ...s.out, intBits: wo });
  const ports = [
    `input  wire ${range(w)} acc`,
    'input  wire [31:0] m',
    `input  wire ${range(eb)} e`,
    `input  wire ${range(wo + 1)} zp`,
    `output wire ${range(wo)} y`,
  ];
  const items = [
    `  wire signed ${range(w)} a = acc;`,
    '  wire signed [31:0] ms = m;',
    `  wire signed ${range(w + 33)} ab = a * ms + ${w + 33}'sd${1n << 30n};`,
    `  wire signed ${range(w + 2)} q = ab[${w + 32}:31];`,
    `  wire signed ${range(w)} hi = q > ${sconst((1n << BigInt(w - 1)) - 1n, w + 2)} ? ${sconst((1n << BigInt(w - 1)) - 1n, w)}` +
      ` : q < ${sconst(-(1n << BigInt(w - 1)), w + 2)} ? ${sconst(-(1n << BigInt(w - 1)), w)} : q[${w - 1}:0];`,
    `  wire ${range(w)} mask = ~({${w}{1'b1}} << e);`,
    `  wire ${range(w)} rem = hi & mask;`,
    `  wire ${range(w)} thr = (mask >> 1) + {${w - 1}'d0, hi[${w - 1}]};`,
    `  wire signed ${range(w)} sh = hi >>> e;`,
    `  wire signed ${range(w)} scaled = sh + {${w - 1}'d0, rem > thr};`,
    `  wire signed ${range(ws)} sum = ${resize('scaled', w, true, ws)} + ${resize('zp', wo + 1, true, ws)};`,
    `  assign y = sum > ${sconst(hi, ws)} ? ${wo}'h${BigInt.asUintN(wo, hi).toString(16)}` +
      ` : sum < ${sconst(lo, ws)} ? ${wo}'h${BigInt.asUintN(wo, lo).toString(16)} : sum[${wo - 1}:0];`,
  ];
  return frame(name, ports, items, [
    ...comment,
    `affine requantization int${w} -> ${formatToString(s.out)} (gemmlowp SRDHM, RoundingDivideByPOT, zero point, clamp).`,
  ]);
}

/** The requantization unit's module `name` (ports as in the gate netlist). */
export function requantRtl(s: RequantSpec, name: string, comment: readonly string[] = []): string {
  return s.kind === 'pow2' ? pow2Rtl(s, name, comment) : affineRtl(s, name, comment);
}
