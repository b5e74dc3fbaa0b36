import type { LinearReal } from './linear.js';
import type { RealFormat } from './real.js';

/*
 * When a dense or conv layer's float sums are exact in float32 (the
 * argument is in docs/reference.md, "Float32 layers"). Per output channel m:
 * every input is a multiple of 2^-Fx with |x| <= xMax, every weight a
 * multiple of 2^-Fw(m), the bias b(m) a multiple of its lowest set bit; so
 * every product, the bias and every partial sum are integer multiples of
 * u(m) = min(2^-(Fw(m) + Fx), lowest bit of b(m)), and every partial sum,
 * over any subset of the products, is at most
 *   bound(m) = |b(m)| + sum_i |w(m, i)| * xMax
 * in magnitude. When bound(m) / u(m) < 2^24 and every grid involved lies in
 * float32's range, each such value is a float32 (an integer below 2^24 times
 * a power of two that float32 holds), so every float32 product and sum is
 * exact: the same value float64 computes, in any order.
 */

/** Float32 significand: integers of magnitude below 2^24 are exact. */
export const F32_EXACT = 2 ** 24;

/** A grid 2^-F whose multiples below 2^24 units are float32 numbers: no underflow below 2^-149, no overflow at 2^128. */
const f32Grid = (F: number) => F <= 149 && F > -104;

/** Fraction bits of the lowest set bit of a nonzero dyadic rational v (v * 2^F is an odd integer). */
function lowBitF(v: number): number {
  let F = 0;
  let a = Math.abs(v);
  while (!Number.isInteger(a)) {
    a *= 2;
    F++;
  }
  while (a % 2 === 0) {
    a /= 2;
    F--;
  }
  return F;
}

/** Whether channel m's sums are exact in float32 (see above); `wF` its weights' fraction bits. */
function channelExact(w: Float64Array, b: number, wF: number, inF: RealFormat): boolean {
  const xMax = Math.max(-inF.wrapLo, inF.hi);
  const F = Math.max(wF + inF.F, b === 0 ? -Infinity : lowBitF(b));
  if (![inF.F, wF, wF + inF.F, F].every(f32Grid) || xMax * 2 ** inF.F >= F32_EXACT) return false;
  // In units of 2^-F every term is an integer, so this float64 sum is exact until it passes 2^53, long after 2^24.
  let units = Math.abs(b) * 2 ** F;
  const xUnits = xMax * 2 ** F;
  for (const v of w) {
    if (Math.abs(v) * 2 ** wF >= F32_EXACT) return false;
    units += Math.abs(v) * xUnits;
  }
  return units < F32_EXACT;
}

/** Whether every channel of a linear layer without checked filters is exact in float32. */
export function exactInF32(p: LinearReal, inF: RealFormat): boolean {
  const M = p.b.length,
    per = p.w.length / M;
  if (p.checked.includes(true)) return false;
  for (let m = 0; m < M; m++) if (!channelExact(p.w.subarray(m * per, (m + 1) * per), p.b[m]!, p.wF[m]!, inF)) return false;
  return true;
}
