import type { CircuitBuilder } from '../builder.js';
import type { Bit } from '../ir.js';
import { zeroExtend } from '../bits.js';
import type { AdderStyle } from './adder.js';
import { sumRows } from './rows.js';

/**
 * Exact product x * y, width Wx + Wy, as an array multiplier.
 * Unsigned operands get one zero bit on top, so both are signed (n and m
 * bits) and one Baugh-Wooley array covers every signedness mix:
 *   x*y = sum_{i<n-1,j<m-1} x_i y_j 2^(i+j) + x_{n-1} y_{m-1} 2^(n+m-2)
 *       + sum_j ~(x_{n-1} y_j) 2^(n-1+j) + sum_i ~(x_i y_{m-1}) 2^(i+m-1)
 *       + 2^(n-1) + 2^(m-1) + 2^(n+m-1)        (mod 2^(n+m)).
 * Complemented products of a padding zero become constant ones, which sumRows
 * merges with the correction into one constant row (for unsigned x unsigned
 * they cancel exactly). The result fits in Wx + Wy bits in every mix
 * (two's complement when either operand is signed), so truncation is exact.
 */
export function multiply(
  b: CircuitBuilder,
  x: readonly Bit[],
  y: readonly Bit[],
  signedX: boolean,
  signedY: boolean,
  style: AdderStyle = 'ripple',
): Bit[] {
  const wOut = x.length + y.length;
  if (x.length === 0 || y.length === 0) return zeroExtend([], wOut);
  const xs = signedX ? [...x] : [...x, 0];
  const ys = signedY ? [...y] : [...y, 0];
  const n = xs.length,
    m = ys.length,
    w = n + m;
  const rows: Bit[][] = [];
  for (let j = 0; j < m; j++) {
    const row: Bit[] = zeroExtend([], w);
    for (let i = 0; i < n; i++) {
      const pp = b.and(xs[i], ys[j]);
      row[i + j] = (i === n - 1) !== (j === m - 1) ? b.not(pp) : pp;
    }
    rows.push(row);
  }
  const corr = (1n << BigInt(n - 1)) + (1n << BigInt(m - 1)) + (1n << BigInt(w - 1));
  rows.push(constRow(corr, w));
  return sumRows(b, rows, w, style).slice(0, wOut);
}

function constRow(v: bigint, w: number): Bit[] {
  const r: Bit[] = [];
  let k = BigInt.asUintN(w, v);
  for (let i = 0; i < w; i++) {
    r.push(Number(k & 1n));
    k >>= 1n;
  }
  return r;
}
