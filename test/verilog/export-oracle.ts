/*
 * Independent reference for the export tests: activations on raw bit
 * patterns, written here from their definitions with exact rational
 * arithmetic (nothing from src/fixedpoint or src/activations).
 */

export type Mode = 'TRN' | 'TRN_ZERO' | 'RND' | 'RND_ZERO' | 'RND_MIN_INF' | 'RND_INF' | 'RND_CONV';

export interface Fmt {
  signed: boolean;
  width: number;
  /** fraction bits */
  frac: number;
  rounding: Mode;
  saturate: boolean;
}

/** num / den (den > 0) rounded per the ap_fixed table. */
export function roundDiv(num: bigint, den: bigint, mode: Mode): bigint {
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n;
  const r = num - q * den;
  if (r === 0n) return q;
  const neg = num < 0n,
    twice = 2n * r,
    above = twice > den,
    tie = twice === den;
  const up = {
    TRN: false,
    TRN_ZERO: neg,
    RND: above || tie,
    RND_ZERO: above || (tie && neg),
    RND_MIN_INF: above,
    RND_INF: above || (tie && !neg),
    RND_CONV: above || (tie && (q & 1n) === 1n),
  }[mode];
  return up ? q + 1n : q;
}

export function codeOf(raw: bigint, f: { signed: boolean; width: number }): bigint {
  const w = BigInt(f.width);
  return f.signed && raw >= 1n << (w - 1n) ? raw - (1n << w) : raw;
}

/** The rational num/den quantized into f (rounding, then SAT or WRAP), as raw bits. */
export function quantizeRaw(num: bigint, den: bigint, f: Fmt): bigint {
  const scaled = f.frac >= 0 ? roundDiv(num << BigInt(f.frac), den, f.rounding) : roundDiv(num, den << BigInt(-f.frac), f.rounding);
  const w = BigInt(f.width);
  const lo = f.signed ? -(1n << (w - 1n)) : 0n,
    hi = f.signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const c = f.saturate ? (scaled < lo ? lo : scaled > hi ? hi : scaled) : scaled;
  return BigInt.asUintN(f.width, c);
}

/** x's exact value as num / 2^frac of the input format. */
function value(raw: bigint, f: Fmt): { num: bigint; den: bigint } {
  const c = codeOf(raw, f);
  return f.frac >= 0 ? { num: c, den: 1n << BigInt(f.frac) } : { num: c << BigInt(-f.frac), den: 1n };
}

export function reluOracle(raw: bigint, inF: Fmt, outF: Fmt): bigint {
  const { num, den } = value(raw, inF);
  return quantizeRaw(num > 0n ? num : 0n, den, outF);
}

/** LeakyReLU with a slope 2^-k (exact). */
export function leakyOracle(raw: bigint, k: number, inF: Fmt, outF: Fmt): bigint {
  const { num, den } = value(raw, inF);
  return num >= 0n ? quantizeRaw(num, den, outF) : quantizeRaw(num, den << BigInt(k), outF);
}

/** clamp to [lo, hi] given as integers (ReLU6: 0, 6). */
export function clampOracle(raw: bigint, lo: bigint, hi: bigint, inF: Fmt, outF: Fmt): bigint {
  const { num, den } = value(raw, inF);
  const v = num < lo * den ? lo * den : num > hi * den ? hi * den : num;
  return quantizeRaw(v, den, outF);
}

/** HardSigmoid = min(max(x + 3, 0), 6) / 6, exactly. */
export function hardsigmoidOracle(raw: bigint, inF: Fmt, outF: Fmt): bigint {
  const { num, den } = value(raw, inF);
  const t = num + 3n * den;
  const c = t < 0n ? 0n : t > 6n * den ? 6n * den : t;
  return quantizeRaw(c, 6n * den, outF);
}

/** The {x, y} pairs of a testbench vector file (one hex word per line, x in the high bits). */
export function parseVectors(text: string, outWidth: number): { x: bigint; y: bigint }[] {
  const mask = (1n << BigInt(outWidth)) - 1n;
  return text
    .trim()
    .split('\n')
    .map((l) => {
      const v = BigInt(`0x${l}`);
      return { x: v >> BigInt(outWidth), y: v & mask };
    });
}
