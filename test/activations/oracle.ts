/*
 * An independent reference for the activation tests: exact rational
 * quantization written here from the spec table (docs/fixed-point.md), with nothing
 * taken from src/fixedpoint or src/activations except the float functions.
 */
import type { FixedFormat, Rounding } from '../../src/fixedpoint/types.js';
import { activationFloat, type ActivationSpec } from '../../src/activations/float.js';

/** The exact value of a finite double as num / 2^k (k >= 0). */
export function exactDouble(x: number): { num: bigint; k: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e === 0x7ff) throw new Error(`oracle: non-finite ${x}`);
  let exp = -1074;
  if (e !== 0) {
    m += 1n << 52n;
    exp = e - 1075;
  }
  if (neg) m = -m;
  return exp >= 0 ? { num: m << BigInt(exp), k: 0 } : { num: m, k: -exp };
}

/** num / den (den > 0) rounded to an integer per the ap_fixed quantization table. */
export function roundRational(num: bigint, den: bigint, mode: Rounding): bigint {
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n; // floor
  const r = num - q * den; // 0 <= r < den
  if (r === 0n) return q;
  const neg = num < 0n;
  const twice = 2n * r;
  const above = twice > den,
    tie = twice === den;
  let up: boolean;
  switch (mode) {
    case 'TRN':
      up = false;
      break;
    case 'TRN_ZERO':
      up = neg;
      break;
    case 'RND':
      up = above || tie;
      break;
    case 'RND_ZERO':
      up = above || (tie && neg);
      break;
    case 'RND_MIN_INF':
      up = above;
      break;
    case 'RND_INF':
      up = above || (tie && !neg);
      break;
    case 'RND_CONV':
      up = above || (tie && (q & 1n) === 1n);
      break;
  }
  return up ? q + 1n : q;
}

export function codeRange(f: FixedFormat): { min: bigint; max: bigint } {
  const w = BigInt(f.width);
  return f.signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

/** An integer at f's LSB passed through f's overflow mode. */
export function overflow(v: bigint, f: FixedFormat): bigint {
  const { min, max } = codeRange(f);
  const lo = f.overflow === 'SAT_SYM' && f.signed ? -max : min;
  if (v >= lo && v <= max) return v;
  switch (f.overflow) {
    case 'WRAP': {
      const m = 1n << BigInt(f.width);
      return ((((v - min) % m) + m) % m) + min;
    }
    case 'SAT':
    case 'SAT_SYM':
      return v < lo ? lo : max;
    case 'SAT_ZERO':
      return 0n;
  }
}

/** The code of f nearest (per f's modes) to the rational num / 2^k. */
export function quantizeDyadic(num: bigint, k: number, f: FixedFormat): bigint {
  const F = f.width - f.intBits;
  const shift = k - F; // value * 2^F = num / 2^shift
  const q = shift <= 0 ? num << BigInt(-shift) : roundRational(num, 1n << BigInt(shift), f.rounding);
  return overflow(q, f);
}

export function quantizeDouble(x: number, f: FixedFormat): bigint {
  const { num, k } = exactDouble(x);
  return quantizeDyadic(num, k, f);
}

/** The real value of a code as a double (exact for the small widths the tests use). */
export function realOf(code: bigint, f: FixedFormat): number {
  return Number(code) * 2 ** -(f.width - f.intBits);
}

/** The documented slope rule: 16 significant bits, ties to even, as m / 2^s. */
export function slope16(alpha: number): { m: bigint; s: number } {
  const { num, k } = exactDouble(alpha);
  const n = (num < 0n ? -num : num).toString(2).length;
  if (num === 0n || n <= 16) return { m: num, s: k };
  return { m: roundRational(num, 1n << BigInt(n - 16), 'RND_CONV'), s: k - (n - 16) };
}

const TABLE_KINDS = new Set(['hardswish', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu']);

/**
 * The expected output code: the output format's quantization of the float
 * function at the exact input value; LeakyReLU uses the 16-bit slope
 * (x * slope exactly); tables wider than 16 bits see the input with its
 * W - 16 low bits cleared.
 */
export function expectedCode(spec: ActivationSpec, code: bigint, inFmt: FixedFormat, outFmt: FixedFormat): bigint {
  const F = inFmt.width - inFmt.intBits;
  if (spec.kind === 'leakyrelu' && code < 0n) {
    const { m, s } = slope16(spec.alpha ?? 0.125);
    // value = code * m * 2^-(F + s); write it as num / 2^k with k >= 0
    const k = F + s;
    return k >= 0 ? quantizeDyadic(code * m, k, outFmt) : quantizeDyadic((code * m) << BigInt(-k), 0, outFmt);
  }
  let c = code;
  if (TABLE_KINDS.has(spec.kind) && inFmt.width > 16) {
    const drop = BigInt(inFmt.width - 16);
    c = (code >> drop) << drop;
  }
  return quantizeDouble(activationFloat(spec, realOf(c, inFmt)), outFmt);
}
