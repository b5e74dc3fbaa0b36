import { amountBits, type AffineRequantSpec } from '../hardware/network/requant.js';
import { range, sconst, signedBits } from '../verilog/rtl.js';
import type { BitMap } from './front.js';

/** The product acc * m the affine unit's multiplier hands on: its range and two's complement width. */
export function affineProductRange(s: AffineRequantSpec): { min: bigint; max: bigint; width: number } {
  const aLo = -(1n << BigInt(s.accBits - 1)),
    aHi = -aLo - 1n,
    mLo = -(1n << 31n),
    mHi = -mLo - 1n;
  const ends = [aLo * mLo, aLo * mHi, aHi * mLo, aHi * mHi];
  const min = ends.reduce((a, b) => (b < a ? b : a)),
    max = ends.reduce((a, b) => (b > a ? b : a));
  return { min, max, width: signedBits(min, max) };
}

/** Ports of both stage-2 modules: p (the product, free), e, zp -> y. */
function header(name: string, s: AffineRequantSpec): string {
  const pw = affineProductRange(s).width;
  return `module ${name} (input wire ${range(pw)} p, input wire ${range(amountBits(s.accBits - 1))} e, input wire ${range(s.out.width + 1)} zp, output wire ${range(s.out.width)} y);`;
}

/** The domain: p clamped into the products' range, e into 0 .. W-1 (the exponents the unit is specified for). */
function domainItems(s: AffineRequantSpec): string[] {
  const r = affineProductRange(s),
    eb = amountBits(s.accBits - 1),
    top = `${eb}'d${s.accBits - 1}`;
  return [
    `  wire signed ${range(r.width)} pr = p;`,
    `  wire signed ${range(r.width)} v = pr < ${sconst(r.min, r.width)} ? ${sconst(r.min, r.width)} : pr > ${sconst(r.max, r.width)} ? ${sconst(r.max, r.width)} : pr;`,
    `  wire ${range(eb)} ec = e > ${top} ? ${top} : e;`,
  ];
}

/**
 * Specification of the affine unit after its multiplier, written from the
 * gemmlowp formulas (not from the netlist): with v = acc * m,
 * hi = saturate_W(floor((v + 2^30) / 2^31)) (SRDHM, ties toward +inf);
 * scaled = hi / 2^e rounded half away from zero (RoundingDivideByPOT:
 * floor, plus one when twice the remainder exceeds 2^e, or equals it and hi >= 0);
 * y = clamp(scaled + zp) into the output type. Module name: p, e, zp -> y.
 */
export function affineBackSpec(name: string, s: AffineRequantSpec): string {
  const W = s.accBits,
    pw = affineProductRange(s).width,
    wo = s.out.width,
    ws = Math.max(W, wo + 1) + 2;
  const top = (1n << BigInt(W - 1)) - 1n,
    lo = s.out.signed ? -(1n << BigInt(wo - 1)) : 0n,
    hi = s.out.signed ? (1n << BigInt(wo - 1)) - 1n : (1n << BigInt(wo)) - 1n;
  return [
    '// affine requantization after the multiplier, from the gemmlowp formulas',
    header(name, s),
    ...domainItems(s),
    `  wire signed ${range(pw + 1)} vr = v + ${sconst(1n << 30n, pw + 1)};`,
    `  wire signed ${range(pw - 30)} q = vr >>> 31;`,
    `  wire signed ${range(W)} h = q > ${sconst(top, pw - 30)} ? ${sconst(top, W)} : q < ${sconst(-top - 1n, pw - 30)} ? ${sconst(-top - 1n, W)} : q[${W - 1}:0];`,
    `  wire signed ${range(W)} fl = h >>> ec;`,
    `  wire ${range(W)} r = h - (fl << ec);`,
    `  wire ${range(W + 1)} r2 = {r, 1'b0};`,
    `  wire ${range(W + 1)} half = ${W + 1}'d1 << ec;`,
    `  wire inc = r2 > half || (r2 == half && !h[${W - 1}]);`,
    `  wire signed ${range(ws)} sum = fl + $signed({1'b0, inc}) + $signed(zp);`,
    `  wire signed ${range(ws)} yc = sum > ${sconst(hi, ws)} ? ${sconst(hi, ws)} : sum < ${sconst(lo, ws)} ? ${sconst(lo, ws)} : sum;`,
    `  assign y = yc[${wo - 1}:0];`,
    'endmodule',
    '',
  ].join('\n');
}

/** The implementation after its multiplier: the back of the cut (ports f, e, zp -> y) fed the product's bits as the stage proof mapped them. */
export function affineBackImpl(name: string, s: AffineRequantSpec, map: readonly BitMap[], back: string): string {
  const pw = affineProductRange(s).width;
  const bit = (m: BitMap): string => (m.bit < 0 ? `1'b${m.invert ? 1 : 0}` : `${m.invert ? '~' : ''}v[${Math.min(m.bit, pw - 1)}]`);
  return [
    header(name, s),
    ...domainItems(s),
    `  wire ${range(map.length)} f = {${[...map].reverse().map(bit).join(', ')}};`,
    `  ${back} u_back (.f(f), .e(ec), .zp(zp), .y(y));`,
    'endmodule',
    '',
  ].join('\n');
}
