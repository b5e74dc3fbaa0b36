import type { CircuitBuilder } from '../builder.js';
import type { Bit } from '../ir.js';
import { extend, signedBitLength, unsignedBitLength, zeroExtend } from '../bits.js';
import { shiftLeftConst } from './shift.js';
import { sumRows } from './rows.js';
import type { AdderStyle } from './adder.js';

/**
 * Canonical signed digit form of c: digits d_k in {-1, 0, 1}, no two adjacent
 * non-zero, c = sum d_k 2^k. Works for negative c as well.
 */
export function csdDigits(c: bigint): { pos: number; sign: 1 | -1 }[] {
  const out: { pos: number; sign: 1 | -1 }[] = [];
  let v = c;
  for (let k = 0; v !== 0n; k++) {
    if ((v & 1n) === 1n) {
      const m4 = ((v % 4n) + 4n) % 4n;
      const d = m4 === 1n ? 1 : -1;
      out.push({ pos: k, sign: d });
      v -= BigInt(d);
    }
    v >>= 1n;
  }
  return out;
}

/**
 * Width of multiplyConst's result: the fewest bits that hold x * c for every
 * x of a Wx-bit operand; the result is two's complement when signedX or c < 0,
 * else unsigned (at least 1 bit).
 */
export function multiplyConstWidth(wx: number, c: bigint, signedX: boolean): number {
  const lo = signedX ? -(1n << BigInt(wx - 1)) : 0n;
  const hi = signedX ? (1n << BigInt(wx - 1)) - 1n : (1n << BigInt(wx)) - 1n;
  const p1 = lo * c,
    p2 = hi * c;
  if (signedX || c < 0n) return Math.max(signedBitLength(p1), signedBitLength(p2));
  return Math.max(1, unsignedBitLength(p1 > p2 ? p1 : p2));
}

/**
 * Exact x * c by shift-and-add over the CSD digits of c (one row per non-zero
 * digit; a negative digit adds -(x << k) = ~(x << k) + 1, the complement
 * taken over all output bits, so the low k ones and the +1 join the constant row). Width multiplyConstWidth(Wx, c, signedX).
 */
export function multiplyConst(b: CircuitBuilder, x: readonly Bit[], c: bigint, signedX: boolean, style: AdderStyle = 'ripple'): Bit[] {
  const w = multiplyConstWidth(x.length, c, signedX);
  if (x.length === 0 || c === 0n) return zeroExtend([], w);
  const xe = extend(x, w, signedX);
  const rows: Bit[][] = [];
  for (const { pos, sign } of csdDigits(c)) {
    if (pos >= w) continue;
    const row = shiftLeftConst(xe, pos);
    if (sign > 0) {
      rows.push(row);
    } else {
      rows.push(row.map((v) => b.not(v)));
      rows.push(zeroExtend([], w).map((_, i) => (i === 0 ? 1 : 0)));
    }
  }
  return sumRows(b, rows, w, style);
}
