import type { CircuitBuilder } from '../builder.js';
import { ONE, ZERO, type Bit } from '../ir.js';
import { constBits } from '../bits.js';
import { add, fullAdder, type AdderStyle } from './adder.js';

/**
 * Sum of rows modulo 2^width with a carry-save array (the structure of an
 * array multiplier): a running sum vector S and carry vector C take one row
 * per stage through a row of full adders (carry out of the top column is
 * dropped, which is the modulo), then one carry-propagate adder adds S + C.
 * Constant-one bits of all rows are first gathered into a single constant row,
 * so sign-correction constants cost one row, not one adder input each.
 * `observe` sees the (S, C) pair after the first two rows and after each
 * carry-save stage (the cut points a decomposed proof uses).
 */
export function sumRows(
  b: CircuitBuilder,
  rows: readonly (readonly Bit[])[],
  width: number,
  style: AdderStyle = 'ripple',
  observe?: (s: readonly Bit[], c: readonly Bit[]) => void,
): Bit[] {
  let k = 0n;
  const live: Bit[][] = [];
  for (const row of rows) {
    const r: Bit[] = [];
    for (let i = 0; i < width; i++) {
      const v = i < row.length ? row[i] : ZERO;
      if (v === ONE) k += 1n << BigInt(i);
      r.push(v === ONE ? ZERO : v);
    }
    if (r.some((v) => v !== ZERO)) live.push(r);
  }
  k = BigInt.asUintN(width, k);
  if (k !== 0n) live.push(constBits(k, width));
  if (live.length === 0) return constBits(0n, width);
  if (live.length === 1) return live[0];
  let s = live[0];
  let c = live[1];
  observe?.(s, c);
  for (let j = 2; j < live.length; j++) {
    const ns: Bit[] = [],
      nc: Bit[] = [ZERO];
    for (let i = 0; i < width; i++) {
      const fa = fullAdder(b, s[i], c[i], live[j][i]);
      ns.push(fa.sum);
      if (i + 1 < width) nc.push(fa.carry);
    }
    s = ns;
    c = nc;
    observe?.(s, c);
  }
  return add(b, s, c, ZERO, style).sum;
}
