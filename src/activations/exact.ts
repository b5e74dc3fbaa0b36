import { decomposeDouble } from '../fixedpoint/index.js';

/*
 * Exact placement of real thresholds on a code grid, from the exact value of
 * a double (no float rounding).
 */

/** floor(x * 2^s), exact for any finite double x and integer s. */
export function floorScaled(x: number, s: number): bigint {
  const { mant, exp } = decomposeDouble(x);
  const e = exp + s;
  return e >= 0 ? mant << BigInt(e) : mant >> BigInt(-e); // bigint >> floors toward -inf
}

/** ceil(x * 2^s), exact. */
export function ceilScaled(x: number, s: number): bigint {
  return -floorScaled(-x, s);
}
