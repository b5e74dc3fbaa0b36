import { codeToBits, formatToString, fracBits, lowestKept, maxCode, minCode, shiftRightRound } from '../fixedpoint/index.js';
import type { FixedFormat, Rounding } from '../fixedpoint/types.js';
import { range, resize, sconst, signedBits, uconst } from './rtl.js';

/**
 * Readable RTL for the fixed-point conversion `convert(code, from, to)`
 * (src/fixedpoint/convert.ts): the value is moved to to's LSB, the dropped
 * bits rounded with to.rounding, then to.overflow applied. Written as named
 * wires (floor, round-up bit, rounded value, overflow flags), each sized from
 * the exact range of values it can carry.
 */

/** A fixed-point value held on a wire. */
export interface RtlValue {
  /** Wire name (part-selects are taken of it). */
  readonly name: string;
  readonly width: number;
  /** Two's complement (true) or unsigned bits. */
  readonly signed: boolean;
  /** Fraction bits: the wire's integer c stands for c * 2^-frac. */
  readonly frac: number;
  /**
   * The codes for which the conversion's result is used (a subrange of what
   * the wire holds). Wires are sized for this range: outside it the result is
   * unspecified, which is safe when a mux discards it (LeakyReLU's positive
   * branch for x < 0).
   */
  readonly min: bigint;
  readonly max: bigint;
}

export interface RtlResult {
  readonly items: string[];
  /** Name of the wire holding the output's raw bits (to.width bits). */
  readonly result: string;
}

/** A Boolean term: a Verilog expression or a constant. */
type Term = string | boolean;
const and = (a: Term, b: Term): Term => (a === false || b === false ? false : a === true ? b : b === true ? a : `${a} & ${b}`);
const or = (a: Term, b: Term): Term => (a === true || b === true ? true : a === false ? b : b === false ? a : `(${a} | ${b})`);
const not = (a: Term): Term => (typeof a === 'boolean' ? !a : `~${a}`);

/**
 * Whether the rounded quotient is floor + 1, for a non-negative exact
 * quotient with a nonzero remainder; `above`/`tie` compare the remainder with
 * half the divisor, `lsb` is floor's last bit (docs/fixed-point.md rounding table).
 */
export function roundUpTerm(mode: Rounding, t: { above: Term; tie: Term; lsb: Term }): Term {
  switch (mode) {
    case 'TRN':
    case 'TRN_ZERO':
      return false;
    case 'RND':
    case 'RND_INF':
      return or(t.above, t.tie);
    case 'RND_ZERO':
    case 'RND_MIN_INF':
      return t.above;
    case 'RND_CONV':
      return or(t.above, and(t.tie, t.lsb));
  }
}

/**
 * Whether v / 2^s (s >= 1) rounds to floor + 1. `half` is the highest
 * dropped bit, `rest` the OR of the others (the dropped fraction is above
 * one half iff half & rest, a tie iff half & ~rest), `nonzero` the OR of all
 * dropped bits, `neg` the sign of v, `lsb` floor's last bit.
 */
export function roundUpShifted(mode: Rounding, t: { half: Term; rest: Term; nonzero: Term; neg: Term; lsb: Term }): Term {
  switch (mode) {
    case 'TRN':
      return false;
    case 'TRN_ZERO':
      return and(t.neg, t.nonzero);
    case 'RND':
      return t.half;
    case 'RND_ZERO':
      return and(t.half, or(t.rest, t.neg));
    case 'RND_MIN_INF':
      return and(t.half, t.rest);
    case 'RND_INF':
      return and(t.half, or(t.rest, not(t.neg)));
    case 'RND_CONV':
      return and(t.half, or(t.rest, t.lsb));
  }
}

const ROUNDING_TEXT: Record<Rounding, string> = {
  TRN: 'floor',
  TRN_ZERO: 'toward zero',
  RND: 'half up',
  RND_ZERO: 'half toward zero',
  RND_MIN_INF: 'half down',
  RND_INF: 'half away from zero',
  RND_CONV: 'half to even',
};

/** A signed value on a wire with its exact range. */
interface Signed {
  name: string;
  width: number;
  min: bigint;
  max: bigint;
}

/** src * 2^k (k >= 0 LSBs appended): exact, no rounding. */
function alignLeft(p: string, src: RtlValue, k: number, items: string[]): Signed {
  const min = src.min << BigInt(k),
    max = src.max << BigInt(k);
  const n = Math.max(signedBits(min, max), k + 1);
  if (k === 0 && src.signed && n === src.width) return { name: src.name, width: n, min, max };
  const body = resize(src.name, src.width, src.signed, n - k);
  items.push(`  wire signed ${range(n)} ${p}_v = ${k > 0 ? `{${body}, ${k}'d0}` : body};`);
  return { name: `${p}_v`, width: n, min, max };
}

/** src / 2^s rounded with `mode` (s >= 1). */
function alignRight(p: string, src: RtlValue, s: number, mode: Rounding, items: string[]): Signed {
  const we = Math.max(src.width + (src.signed ? 0 : 1), s + 1);
  let ext = src.name;
  if (!(src.signed && we === src.width)) {
    ext = `${p}_ext`;
    items.push(`  wire signed ${range(we)} ${ext} = ${resize(src.name, src.width, src.signed, we)};`);
  }
  const S = BigInt(s);
  const fMin = src.min >> S,
    fMax = src.max >> S;
  const nf = signedBits(fMin, fMax);
  const floor = `${p}_floor`;
  items.push(`  wire signed ${range(nf)} ${floor} = ${ext}[${s + nf - 1 === s ? s : `${s + nf - 1}:${s}`}];`);
  const up = roundUpShifted(mode, {
    half: `${ext}[${s - 1}]`,
    rest: s >= 2 ? `(|${ext}[${s - 2}:0])` : false,
    nonzero: s >= 2 ? `(|${ext}[${s - 1}:0])` : `${ext}[0]`,
    neg: src.min >= 0n ? false : src.max < 0n ? true : `${ext}[${we - 1}]`,
    lsb: `${floor}[0]`,
  });
  if (up === false) return { name: floor, width: nf, min: fMin, max: fMax };
  const rMin = shiftRightRound(src.min, s, mode),
    rMax = shiftRightRound(src.max, s, mode);
  const nr = signedBits(fMin < rMin ? fMin : rMin, fMax > rMax ? fMax : rMax);
  items.push(`  wire ${p}_up = ${up === true ? "1'b1" : up};`);
  items.push(`  wire signed ${range(nr)} ${p}_r = ${resize(floor, nf, true, nr)} + ${resize(`${p}_up`, 1, false, nr)};`);
  return { name: `${p}_r`, width: nr, min: rMin, max: rMax };
}

/** Applies to.overflow to r and returns the expression of the output's raw bits. */
function overflowExpr(p: string, r: Signed, to: FixedFormat, items: string[]): string {
  const lo = lowestKept(to),
    hi = maxCode(to),
    wo = to.width;
  const wrapped = resize(r.name, r.width, true, wo);
  const over = r.max > hi,
    under = r.min < lo;
  if (to.overflow === 'WRAP' || (!over && !under)) return wrapped;
  if (over) items.push(`  wire ${p}_over = ${r.name} > ${sconst(hi, r.width)};`);
  if (under) items.push(`  wire ${p}_under = ${r.name} < ${sconst(lo, r.width)};`);
  if (to.overflow === 'SAT_ZERO') {
    const flag = over && under ? `(${p}_over | ${p}_under)` : over ? `${p}_over` : `${p}_under`;
    return `${flag} ? ${uconst(0n, wo)} : ${wrapped}`;
  }
  const hiBits = uconst(codeToBits(hi, to), wo),
    loBits = uconst(codeToBits(lo, to), wo);
  if (over && under) return `${p}_over ? ${hiBits} : ${p}_under ? ${loBits} : ${wrapped}`;
  return over ? `${p}_over ? ${hiBits} : ${wrapped}` : `${p}_under ? ${loBits} : ${wrapped}`;
}

/**
 * Items computing `to`'s raw bits from `src` into the wire `<p>_y`; `what`
 * names the source in the comment line.
 */
export function convertRtl(p: string, what: string, src: RtlValue, to: FixedFormat): RtlResult {
  const shift = src.frac - fracBits(to);
  const how =
    shift > 0
      ? `drop ${shift} fraction bit(s), round ${ROUNDING_TEXT[to.rounding]}`
      : shift < 0
        ? `append ${-shift} fraction bit(s)`
        : 'same LSB';
  const items = [`  // ${p}: ${what} -> ${formatToString(to)}: ${how}; overflow ${to.overflow}`];
  const r = shift > 0 ? alignRight(p, src, shift, to.rounding, items) : alignLeft(p, src, -shift, items);
  const expr = overflowExpr(p, r, to, items);
  items.push(`  wire ${range(to.width)} ${p}_y = ${expr};`);
  return { items, result: `${p}_y` };
}

export interface RtlBody {
  readonly items: string[];
  /** Expression of y's raw bits. */
  readonly result: string;
  /** Comment lines stating what the RTL computes. */
  readonly comment: string[];
  /** Set when y does not read x (a constant clamp). */
  readonly constant?: boolean;
}

/** `xs`: x as a signed value (a signed input as is, an unsigned one with a 0 sign bit). */
export function signedInput(inFmt: FixedFormat): { items: string[]; value: RtlValue } {
  const w = inFmt.signed ? inFmt.width : inFmt.width + 1;
  const decl = inFmt.signed ? 'x' : "{1'b0, x}";
  return {
    items: [`  wire signed ${range(w)} xs = ${decl};`],
    value: { name: 'xs', width: w, signed: true, frac: fracBits(inFmt), min: minCode(inFmt), max: maxCode(inFmt) },
  };
}
