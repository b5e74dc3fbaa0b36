import { ONE, ZERO, type Bit } from './ir.js';

/**
 * Bit-vector helpers (pure wiring, no gates). Vectors are Bit[] LSB first;
 * a signed vector is two's complement with its sign in the last bit.
 */

/** The low `width` bits of `value` in two's complement (negative values wrap). */
export function constBits(value: bigint, width: number): Bit[] {
  const bits: Bit[] = [];
  let v = BigInt.asUintN(width, value);
  for (let i = 0; i < width; i++) {
    bits.push((v & 1n) === 1n ? ONE : ZERO);
    v >>= 1n;
  }
  return bits;
}

/** Resizes to `w` bits: copies of the sign bit on top, or truncation when w < length. */
export function signExtend(x: readonly Bit[], w: number): Bit[] {
  const msb = x.length > 0 ? x[x.length - 1] : ZERO;
  return Array.from({ length: w }, (_, i) => (i < x.length ? x[i] : msb));
}

/** Resizes to `w` bits: zeros on top, or truncation when w < length. */
export function zeroExtend(x: readonly Bit[], w: number): Bit[] {
  return Array.from({ length: w }, (_, i) => (i < x.length ? x[i] : ZERO));
}

/** Sign- or zero-extension by the operand's signedness. */
export function extend(x: readonly Bit[], w: number, signed: boolean): Bit[] {
  return signed ? signExtend(x, w) : zeroExtend(x, w);
}

/** The constant value of a vector when every bit is a constant, else undefined (raw unsigned pattern). */
export function constValue(x: readonly Bit[]): bigint | undefined {
  let v = 0n;
  for (let i = x.length - 1; i >= 0; i--) {
    if (x[i] > ONE) return undefined;
    v = (v << 1n) | BigInt(x[i]);
  }
  return v;
}

/** Number of bits of the two's-complement representation of v (at least 1). */
export function signedBitLength(v: bigint): number {
  const m = v < 0n ? -v - 1n : v;
  return m.toString(2).length + (m === 0n ? 0 : 1);
}

/** Number of bits of the unsigned representation of v >= 0 (0 for 0). */
export function unsignedBitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}
