import { nextDown, nextUp } from '../../../fixedpoint/double.js';

const VIEW = new DataView(new ArrayBuffer(8));

function oddMantissa(x: number): boolean {
  VIEW.setFloat64(0, x);
  return (VIEW.getUint32(4) & 1) === 1;
}

/**
 * Fused multiply-add in float32, one rounding (x86 VFMADD on packed singles):
 * float32(a * b + c) for float32 a, b, c. a * b is exact in a double (48
 * significant bits); the sum s = RN64(a*b + c) carries an error e recovered
 * exactly by TwoSum. When e != 0 and s has an even last bit, s moves one ulp
 * toward e: that is round-to-odd at 53 bits, after which rounding to 24 bits
 * equals rounding the exact sum (53 >= 24 + 2).
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  if (e === 0 || oddMantissa(s)) return Math.fround(s);
  return Math.fround(e > 0 ? nextUp(s) : nextDown(s));
}
