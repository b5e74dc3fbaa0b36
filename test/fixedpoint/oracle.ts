/*
 * Independent reference for the fixed-point tests: exact rationals on bigint,
 * rounding read literally from the spec table (pick the lower or the upper
 * neighbour by distance, then by the named tie rule), overflow from the range
 * formulas. Nothing here calls the code under test.
 */

export interface Rat {
  num: bigint;
  den: bigint; // > 0
}

export type Mode = 'TRN' | 'TRN_ZERO' | 'RND' | 'RND_ZERO' | 'RND_MIN_INF' | 'RND_INF' | 'RND_CONV';
export type Ovf = 'WRAP' | 'SAT' | 'SAT_ZERO' | 'SAT_SYM';
export const MODES: readonly Mode[] = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV'];
export const OVFS: readonly Ovf[] = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'];

export interface Fmt {
  signed: boolean;
  width: number;
  intBits: number;
  rounding: Mode;
  overflow: Ovf;
}

export const pow2 = (k: number): bigint => 1n << BigInt(k);

export function rat(num: bigint, den = 1n): Rat {
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** Exact value of a finite double, by doubling until it is an integer (each doubling is exact). */
export function ratOfDouble(x: number): Rat {
  if (!Number.isFinite(x)) throw new Error(`oracle: ${x} is not finite`);
  let k = 0;
  let y = x;
  while (!Number.isInteger(y)) {
    y *= 2;
    k++;
  }
  return rat(BigInt(y), pow2(k));
}

/** value of code in a format with F fraction bits: code * 2^-F */
export function ratOfCode(code: bigint, F: number): Rat {
  return F >= 0 ? rat(code, pow2(F)) : rat(code * pow2(-F));
}

export function cmpRat(a: Rat, b: Rat): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function subRat(a: Rat, b: Rat): Rat {
  return rat(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mulPow2(a: Rat, k: number): Rat {
  return k >= 0 ? rat(a.num * pow2(k), a.den) : rat(a.num, a.den * pow2(-k));
}

function floorRat(r: Rat): bigint {
  const q = r.num / r.den; // truncates
  return r.num < 0n && q * r.den !== r.num ? q - 1n : q;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** Round r to an integer per the spec table. */
export function roundRat(r: Rat, mode: Mode): bigint {
  const lo = floorRat(r);
  if (lo * r.den === r.num) return lo;
  const hi = lo + 1n;
  const dLo = subRat(r, rat(lo)); // distance to the lower neighbour
  const dHi = subRat(rat(hi), r);
  const towardZero = abs(lo) < abs(hi) ? lo : hi;
  const awayFromZero = towardZero === lo ? hi : lo;
  if (mode === 'TRN') return lo;
  if (mode === 'TRN_ZERO') return towardZero;
  const c = cmpRat(dLo, dHi);
  if (c < 0) return lo;
  if (c > 0) return hi;
  // exactly half way
  switch (mode) {
    case 'RND':
      return hi; // toward +inf
    case 'RND_MIN_INF':
      return lo;
    case 'RND_ZERO':
      return towardZero;
    case 'RND_INF':
      return awayFromZero;
    case 'RND_CONV':
      return lo % 2n === 0n ? lo : hi;
  }
}

export function codeRange(f: { signed: boolean; width: number }): { min: bigint; max: bigint } {
  return f.signed ? { min: -pow2(f.width - 1), max: pow2(f.width - 1) - 1n } : { min: 0n, max: pow2(f.width) - 1n };
}

/** Overflow handling per the spec text, with the flag. */
export function overflowOracle(q: bigint, f: Fmt): { code: bigint; overflow: boolean } {
  const { min, max } = codeRange(f);
  const keepMin = f.overflow === 'SAT_SYM' && f.signed ? -max : min;
  if (q >= keepMin && q <= max) return { code: q, overflow: false };
  switch (f.overflow) {
    case 'WRAP': {
      const m = pow2(f.width);
      return { code: ((((q - min) % m) + m) % m) + min, overflow: true };
    }
    case 'SAT':
      return { code: q < min ? min : max, overflow: true };
    case 'SAT_SYM':
      return { code: q < keepMin ? keepMin : max, overflow: true };
    case 'SAT_ZERO':
      return { code: 0n, overflow: true };
  }
}

/** Quantize an exact rational into f. */
export function quantizeOracle(r: Rat, f: Fmt): { code: bigint; overflow: boolean } {
  return overflowOracle(roundRat(mulPow2(r, f.width - f.intBits), f.rounding), f);
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

function stepUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  U64[0] = x > 0 ? U64[0]! + 1n : U64[0]! - 1n;
  return F64[0]!;
}

/** Whether d is the double nearest to r (ties to an even significand); r within the finite range. */
export function isNearestDouble(d: number, r: Rat): boolean {
  if (!Number.isFinite(d)) return false;
  const up = stepUp(d);
  const down = -stepUp(-d);
  const e = subRat(ratOfDouble(d), r);
  const dist = rat(abs(e.num), e.den);
  for (const n of [up, down]) {
    if (!Number.isFinite(n)) continue;
    const en = subRat(ratOfDouble(n), r);
    const c = cmpRat(dist, rat(abs(en.num), en.den));
    if (c > 0) return false;
    if (c === 0) {
      F64[0] = d;
      if ((U64[0]! & 1n) === 1n) return false; // a tie must land on the even significand
    }
  }
  return true;
}

/** Values within ±2 of every power of two up to 2^maxExp, both signs, plus 0. */
export function edgeIntegers(maxExp: number): bigint[] {
  const out = new Set<bigint>([0n, 1n, -1n, 2n, -2n]);
  for (let k = 0; k <= maxExp; k++) {
    for (let d = -2n; d <= 2n; d++) {
      out.add(pow2(k) + d);
      out.add(-pow2(k) + d);
    }
  }
  return [...out];
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** int32 values within ±2 of every power of two, INT32_MIN and INT32_MAX included. */
export function int32Edges(): number[] {
  return edgeIntegers(31)
    .filter((v) => v >= -(2n ** 31n) && v < 2n ** 31n)
    .map(Number);
}
