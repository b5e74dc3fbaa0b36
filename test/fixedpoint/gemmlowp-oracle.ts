import { INT32_MAX, INT32_MIN, cmpRat, pow2, rat, ratOfDouble, roundRat, type Rat } from './oracle.js';

/*
 * bigint oracles written from the formulas in docs/requantization.md (gemmlowp
 * fixedpoint.h and TFLite quantization_util.cc semantics).
 */
export function srdhmOracle(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? pow2(30) : 1n - pow2(30);
  return Number((ab + nudge) / pow2(31)); // bigint division truncates toward zero
}

export function rdbpOracle(x: number, e: number): number {
  const X = BigInt(x);
  const mask = pow2(e) - 1n;
  const rem = X & mask;
  const thr = (mask >> 1n) + (X < 0n ? 1n : 0n);
  return Number((X >> BigInt(e)) + (rem > thr ? 1n : 0n));
}

export function mbqmOracle(x: number, m: number, shift: number, scheme: 'gemmlowp' | 'single-rounding'): number {
  if (scheme === 'single-rounding') {
    const t = BigInt(31 - shift);
    return Number(BigInt.asIntN(32, (BigInt(x) * BigInt(m) + (1n << (t - 1n))) >> t));
  }
  const left = Math.max(shift, 0);
  const shifted = Number(BigInt.asIntN(32, BigInt(x) << BigInt(left))); // int32 product x * 2^left
  return rdbpOracle(srdhmOracle(shifted, m), Math.max(-shift, 0));
}

/** frexp on the exact rational, q * 2^31 rounded half away from zero, then TFLite's adjustments. */
export function quantizeMultiplierOracle(M: number, scheme: 'gemmlowp' | 'single-rounding'): { multiplier: number; shift: number } {
  if (M === 0) return { multiplier: 0, shift: 0 };
  const r = ratOfDouble(M);
  const mag: Rat = rat(r.num < 0n ? -r.num : r.num, r.den);
  let e = 0;
  const scaled = (k: number): Rat => (k >= 0 ? rat(mag.num, mag.den * pow2(k)) : rat(mag.num * pow2(-k), mag.den));
  while (cmpRat(scaled(e), rat(1n)) >= 0) e++;
  while (cmpRat(scaled(e), rat(1n, 2n)) < 0) e--;
  let q = roundRat(rat(scaled(e).num * pow2(31), scaled(e).den), 'RND_INF');
  if (r.num < 0n) q = -q;
  if (q === pow2(31)) {
    q = pow2(30);
    e++;
  }
  if (e < -31) return { multiplier: 0, shift: 0 };
  if (scheme === 'single-rounding' && e > 30) return { multiplier: 2 ** 31 - 1, shift: 30 };
  return { multiplier: Number(q), shift: e };
}
