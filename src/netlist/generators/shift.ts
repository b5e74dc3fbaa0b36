import type { CircuitBuilder } from '../builder.js';
import { ZERO, type Bit } from '../ir.js';
import { muxBits } from './mux.js';

function checkAmount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`internal: shift amount must be a non-negative integer, got ${n}`);
}

/**
 * x << n keeping the width (bits shifted out are lost, zeros enter). Pure
 * wiring. `arithmetic` is accepted for symmetry; a left shift fills zeros either way.
 */
export function shiftLeftConst(x: readonly Bit[], n: number, _arithmetic = false): Bit[] {
  checkAmount(n);
  return x.map((_, i) => (i >= n ? x[i - n] : ZERO));
}

/**
 * x >> n keeping the width: arithmetic fills copies of the sign bit (floor
 * division of a signed number by 2^n), logical fills zeros. Pure wiring.
 */
export function shiftRightConst(x: readonly Bit[], n: number, arithmetic: boolean): Bit[] {
  checkAmount(n);
  const fill = arithmetic && x.length > 0 ? x[x.length - 1] : ZERO;
  return x.map((_, i) => (i + n < x.length ? x[i + n] : fill));
}

/**
 * Logarithmic barrel shifter: stage j shifts by 2^j when amount[j] is set, so
 * an amount a (unsigned) shifts by a; shifts of W or more leave only fill
 * bits. One mux per bit per stage (fewer after constant folding).
 */
export function barrelShift(
  b: CircuitBuilder,
  x: readonly Bit[],
  amount: readonly Bit[],
  dir: 'left' | 'right',
  arithmetic: boolean,
): Bit[] {
  let v = [...x];
  for (let j = 0; j < amount.length; j++) {
    const step = 2 ** j;
    const shifted = step >= x.length ? shiftBy(v, x.length, dir, arithmetic) : shiftBy(v, step, dir, arithmetic);
    v = muxBits(b, v, shifted, amount[j]);
  }
  return v;
}

function shiftBy(v: readonly Bit[], n: number, dir: 'left' | 'right', arithmetic: boolean): Bit[] {
  return dir === 'left' ? shiftLeftConst(v, n) : shiftRightConst(v, n, arithmetic);
}
