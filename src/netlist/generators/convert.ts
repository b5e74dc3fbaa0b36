import type { FixedFormat, Rounding } from '../../fixedpoint/types.js';
import type { CircuitBuilder } from '../builder.js';
import { ZERO, type Bit } from '../ir.js';
import { constBits, extend, signExtend } from '../bits.js';
import { increment } from './adder.js';
import { compareConst, orTree } from './compare.js';

/**
 * Fixed-point format conversion logic: the code x of `from` (raw bits, two's
 * complement when from.signed) becomes the code of `to` with to.rounding and
 * to.overflow (docs/fixed-point.md):
 * 1. s = F_from - F_to. s <= 0: exact left shift by -s. s > 0: the real value
 *    is q + D/2^s with q = floor(x / 2^s) (arithmetic shift) and D the dropped
 *    bits; the result is q + r, r in {0,1} by the rounding mode (roundUp).
 * 2. v is then an exact integer in a signed vector one bit wider than needed.
 *    Range [lo, hi] of `to` (SAT_SYM on a signed target: lo = -hi).
 *    overflow = v < lo or v > hi. WRAP keeps the low W_to bits; SAT gives
 *    lo (v < 0) or hi; SAT_ZERO gives 0; SAT_SYM as SAT with its lo.
 *    Unsigned targets treat SAT_SYM as SAT (their range is [0, hi] already).
 */
export function convertBits(b: CircuitBuilder, x: readonly Bit[], from: FixedFormat, to: FixedFormat): { y: Bit[]; overflow: Bit } {
  if (x.length !== from.width) throw new Error(`internal: convertBits input has ${x.length} bits, format has ${from.width}`);
  const v = alignAndRound(b, x, from, to);
  return saturate(b, v, to);
}

/** Step 1: the exact rounded integer at `to`'s LSB as a signed vector. */
function alignAndRound(b: CircuitBuilder, x: readonly Bit[], from: FixedFormat, to: FixedFormat): Bit[] {
  const s = from.width - from.intBits - (to.width - to.intBits);
  const xs = extend(x, x.length + 1, from.signed);
  if (s <= 0) return [...constBits(0n, -s), ...xs];
  // Infinite sign extension cut at bit s: D = x mod 2^s below, q = floor(x / 2^s) above.
  const xe = signExtend(xs, Math.max(xs.length, s + 1));
  const dropped = xe.slice(0, s);
  const q = xe.slice(s);
  const r = roundUp(b, to.rounding, dropped, xs[xs.length - 1], q[0]);
  return increment(b, signExtend(q, q.length + 1), r).sum;
}

/**
 * The rounding increment r from the dropped bits D (s bits), the sign, and
 * the LSB of q. half = D's top bit, sticky = OR of the rest; exact ties are
 * half & ~sticky.
 *   TRN 0; TRN_ZERO neg & (D != 0); RND half; RND_ZERO half & (sticky | neg);
 *   RND_MIN_INF half & sticky; RND_INF half & (sticky | ~neg);
 *   RND_CONV half & (sticky | q_0).
 */
export function roundUp(b: CircuitBuilder, mode: Rounding, dropped: readonly Bit[], neg: Bit, q0: Bit): Bit {
  const s = dropped.length;
  if (s === 0 || mode === 'TRN') return ZERO;
  const half = dropped[s - 1];
  const sticky = orTree(b, dropped.slice(0, s - 1));
  switch (mode) {
    case 'TRN_ZERO':
      return b.and(neg, b.or(half, sticky));
    case 'RND':
      return half;
    case 'RND_ZERO':
      return b.and(half, b.or(sticky, neg));
    case 'RND_MIN_INF':
      return b.and(half, sticky);
    case 'RND_INF':
      return b.and(half, b.ornot(sticky, neg));
    case 'RND_CONV':
      return b.and(half, b.or(sticky, q0));
  }
}

/** Step 2: overflow handling of the signed vector v into `to`. */
function saturate(b: CircuitBuilder, v: readonly Bit[], to: FixedFormat): { y: Bit[]; overflow: Bit } {
  const w = to.width;
  const hi = to.signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  const lo = !to.signed ? 0n : to.overflow === 'SAT_SYM' ? -hi : -(1n << BigInt(w - 1));
  const ve = signExtend(v, Math.max(v.length, w + 1));
  const under = compareConst(b, ve, lo, '<', true);
  const over = compareConst(b, ve, hi, '>', true);
  const overflow = b.or(under, over);
  const low = ve.slice(0, w);
  if (to.overflow === 'WRAP') return { y: low, overflow };
  if (to.overflow === 'SAT_ZERO') return { y: low.map((bit) => b.andnot(bit, overflow)), overflow };
  const neg = ve[ve.length - 1];
  const loBits = constBits(lo, w),
    hiBits = constBits(hi, w);
  const sat = loBits.map((l, i) => b.mux(hiBits[i], l, neg));
  return { y: low.map((bit, i) => b.mux(bit, sat[i], overflow)), overflow };
}
