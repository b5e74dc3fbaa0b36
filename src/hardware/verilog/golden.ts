/**
 * Golden models of the processing element and the requantization units for
 * their Verilog testbenches, written from the fixed-point room's exact
 * integer functions (shiftRightRound, applyOverflow, convert) and the
 * gemmlowp formulas in bigint, not from the netlist generators: the exported
 * circuit is checked against these, so they must not share its code.
 * Every function takes and returns raw bit patterns (unsigned bigints).
 */
import { applyOverflow, convert, fracBits, shiftRightRound } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { MacFormats } from '../network/mac.js';
import type { AffineRequantSpec, Pow2RequantSpec } from '../network/requant.js';

/** The code of a raw pattern of format f. */
export function codeOfRaw(raw: bigint, f: { readonly signed: boolean; readonly width: number }): bigint {
  return f.signed ? BigInt.asIntN(f.width, raw) : BigInt.asUintN(f.width, raw);
}

const rawOf = (code: bigint, width: number) => BigInt.asUintN(width, code);

/**
 * The PE after its inputs were held for two clock edges: y = acc + w*x with
 * the product rounded to the accumulator's LSB by the accumulator's rounding
 * mode, the sum narrowed by its overflow mode; x_out = x.
 */
export function peGolden(f: MacFormats): (w: bigint, x: bigint, acc: bigint) => { y: bigint; x_out: bigint } {
  const shift = fracBits(f.weight) + fracBits(f.input) - fracBits(f.acc);
  return (w, x, acc) => {
    const p = shiftRightRound(codeOfRaw(w, f.weight) * codeOfRaw(x, f.input), shift, f.acc.rounding);
    return { y: rawOf(applyOverflow(codeOfRaw(acc, f.acc) + p, f.acc).code, f.acc.width), x_out: x };
  };
}

/**
 * pow2 requantization of channel `c`'s accumulator code: convert() from the
 * channel's format to the output format. Returns the port values the unit
 * sees (acc extended to the widest channel's width, shift = F_max - F_c) and y.
 */
export function pow2RequantGolden(s: Pow2RequantSpec): (c: number, code: bigint) => { acc: bigint; shift: bigint; y: bigint } {
  const fmax = Math.max(...s.acc.map(fracBits));
  const wmax = Math.max(...s.acc.map((a) => a.width));
  return (c, code) => {
    const from = s.acc[c]!;
    return { acc: rawOf(code, wmax), shift: BigInt(fmax - fracBits(from)), y: rawOf(convert(code, from, s.out).code, s.out.width) };
  };
}

/** floor((a*b + 2^30) / 2^31) saturated to `w` signed bits: gemmlowp's SRDHM generalized to a w-bit operand. */
export function srdhmBig(a: bigint, b: bigint, w: number): bigint {
  const q = (a * b + (1n << 30n)) >> 31n;
  const hi = (1n << BigInt(w - 1)) - 1n;
  const lo = -(1n << BigInt(w - 1));
  return q > hi ? hi : q < lo ? lo : q;
}

/** gemmlowp RoundingDivideByPOT in bigint: x / 2^e, ties away from zero; `w`-bit x, e >= w gives the sign-only quotient. */
export function roundingDivideByPotBig(x: bigint, e: number, w: number): bigint {
  const ee = BigInt(Math.min(e, w));
  const mask = (1n << ee) - 1n;
  const rem = BigInt.asUintN(w, x) & mask;
  const thr = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> ee) + (rem > thr ? 1n : 0n);
}

/** affine requantization: clamp(zp + RDBP(SRDHM(acc, m), e)) into the output type's range. */
export function affineRequantGolden(s: AffineRequantSpec): (acc: bigint, m: bigint, e: number, zp: bigint) => bigint {
  const out: FixedFormat = { ...s.out, intBits: s.out.width, rounding: 'TRN', overflow: 'SAT' };
  return (acc, m, e, zp) => {
    const a = codeOfRaw(acc, { signed: true, width: s.accBits });
    const v = roundingDivideByPotBig(srdhmBig(a, codeOfRaw(m, { signed: true, width: 32 }), s.accBits), e, s.accBits);
    return rawOf(applyOverflow(v + codeOfRaw(zp, { signed: true, width: s.out.width + 1 }), out).code, s.out.width);
  };
}
