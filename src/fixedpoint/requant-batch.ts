import { UserError } from '../errors.js';
import { quantizeMultiplier } from './multiplier.js';
import { makeRequantizer, outputRange, realMultiplier, type RequantParams, type RequantScheme } from './requant.js';

/*
 * Requantizing Int32Array accumulators. The gemmlowp scheme (the hot one) has
 * its own loop with SRDHM and RoundingDivideByPOT written out on numbers; the
 * other schemes run their requantizer (built once per call) per element.
 */

/** Output bounds the branch-free gemmlowp loop handles without int32 overflow. */
const FAST_BOUND = 2 ** 28;

/**
 * out[i] = requantize(acc[i], p, scheme) for every i, bit for bit the same as
 * the scalar requantize.
 */
export function requantizeArray(acc: Int32Array, p: RequantParams, scheme: RequantScheme, out: Int32Array): void {
  if (out.length < acc.length) throw new UserError(`output array has ${out.length} elements, needs ${acc.length}`);
  if (scheme === 'gemmlowp') {
    const { multiplier, shift } = quantizeMultiplier(realMultiplier(p, scheme), 'gemmlowp');
    const { lo, hi } = outputRange(p);
    const small = Math.abs(p.qmin) <= FAST_BOUND && Math.abs(p.qmax) <= FAST_BOUND;
    if (multiplier >= 0 && shift < 0 && small) {
      gemmlowpLoop(acc, out, multiplier, -shift, p.zeroPointOut, lo, hi);
      return;
    }
  }
  const rq = makeRequantizer(p, scheme);
  for (let i = 0; i < acc.length; i++) out[i] = rq(acc[i]!);
}

const INV_2_31 = 2 ** -31;
const RNE_MAGIC = 6755399441055744; // 1.5 * 2^52

/**
 * zp + RoundingDivideByPOT(SRDHM(x, m), right) clamped to [lo, hi], for
 * 0 <= m < 2^31, right in 1..31 (real multiplier below 1/2, every real layer)
 * and |qmin|, |qmax| <= 2^28.
 * SRDHM: for all int32 x, m the truncated gemmlowp formula equals
 * q = floor(T / 2^31) with T = x*m + 2^30 (see int64.ts). T reaches 2^62, so
 * it is taken in two parts: its low 31 bits r exactly, from the low 32 bits of
 * x*m (Math.imul) plus 2^30; and T - r, a multiple of 2^31, from the double
 * x*m + 2^30 - r, whose rounding error is below 2^11. Scaled by 2^-31 that is
 * within 2^-20 of the integer q, so rounding it to the nearest integer
 * (v + M - M) gives q exactly; |q| < 2^31.
 * RoundingDivideByPOT: +1 when the remainder exceeds the threshold, from the
 * sign bit of thr - rem. With right >= 1 the result t has |t| <= 2^30, so the
 * clamp to [lo - zp, hi - zp] is done branch-free on int32 without overflow.
 */
function gemmlowpLoop(acc: Int32Array, out: Int32Array, m: number, right: number, zp: number, lo: number, hi: number): void {
  const mask = ((1 << right) - 1) | 0;
  const halfMask = mask >> 1;
  const L = lo - zp;
  const H = hi - zp;
  for (let i = 0; i < acc.length; i++) {
    const x = acc[i]!;
    const r = (Math.imul(x, m) + 1073741824) & 0x7fffffff;
    const q = ((x * m + 1073741824 - r) * INV_2_31 + RNE_MAGIC - RNE_MAGIC) | 0;
    let t = (q >> right) - ((halfMask - (q >> 31) - (q & mask)) >> 31);
    const dl = t - L;
    t -= dl & (dl >> 31);
    const dh = H - t;
    t += dh & (dh >> 31);
    out[i] = t + zp;
  }
}
