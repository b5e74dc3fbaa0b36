import type { Rounding } from './types.js';

/**
 * The one decision every rounding path shares. The exact value v lies strictly
 * between the integers q and q + 1 (q = floor(v)); `half` compares v - q with
 * 1/2 (-1 below, 0 a tie, +1 above); `negative` is v < 0 (equivalently q < 0).
 * Returns true when v rounds to q + 1, false when it rounds to q:
 *   TRN floor; TRN_ZERO toward zero; RND ties toward +inf; RND_ZERO ties toward
 *   zero; RND_MIN_INF ties toward -inf; RND_INF ties away from zero; RND_CONV
 *   ties to the even integer. Off a tie every RND* mode picks the nearer integer.
 */
export function roundsUp(mode: Rounding, negative: boolean, half: number, qOdd: boolean): boolean {
  switch (mode) {
    case 'TRN':
      return false;
    case 'TRN_ZERO':
      return negative;
    case 'RND':
      return half >= 0;
    case 'RND_ZERO':
      return half > 0 || (half === 0 && negative);
    case 'RND_MIN_INF':
      return half > 0;
    case 'RND_INF':
      return half > 0 || (half === 0 && !negative);
    case 'RND_CONV':
      return half > 0 || (half === 0 && qOdd);
  }
}

/**
 * x / 2^shift rounded to an integer with `mode`, exactly, for any bigint x.
 * shift <= 0 is an exact left shift by -shift (nothing is dropped).
 */
export function shiftRightRound(x: bigint, shift: number, mode: Rounding): bigint {
  if (shift <= 0) return x << BigInt(-shift);
  const s = BigInt(shift);
  const q = x >> s; // bigint >> floors (toward -inf)
  const rem = x - (q << s); // 0 <= rem < 2^shift
  if (rem === 0n) return q;
  const half = 1n << (s - 1n);
  const cmp = rem < half ? -1 : rem > half ? 1 : 0;
  return roundsUp(mode, q < 0n, cmp, (q & 1n) === 1n) ? q + 1n : q;
}

/** num / den rounded to an integer with `mode`, exactly (den != 0). */
export function divRound(num: bigint, den: bigint, mode: Rounding): bigint {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let q = num / den; // truncates toward zero
  if (num % den !== 0n && num < 0n) q -= 1n; // now floor
  const rem = num - q * den; // 0 <= rem < den
  if (rem === 0n) return q;
  const twice = rem * 2n;
  const cmp = twice < den ? -1 : twice > den ? 1 : 0;
  return roundsUp(mode, q < 0n, cmp, (q & 1n) === 1n) ? q + 1n : q;
}

/**
 * A double v (taken as its exact value) rounded to an integer with `mode`.
 * Exact for every finite v: the tie test compares v with the midpoint
 * floor(v) + 0.5, which is representable because a non-integer double has
 * |v| < 2^52. (The fraction v - floor(v) is not exact for -0.5 < v < 0: for
 * v = -0.5 + 2^-54 it rounds to 0.5 and would make a false tie.) Infinities
 * pass through; the result is never -0.
 */
export function roundDouble(v: number, mode: Rounding): number {
  const fl = Math.floor(v);
  if (v === fl || v !== v) return fl + 0; // + 0 turns -0 into 0
  const mid = fl + 0.5;
  const half = v < mid ? -1 : v > mid ? 1 : 0;
  return roundsUp(mode, v < 0, half, fl % 2 !== 0) ? fl + 1 : fl + 0;
}
