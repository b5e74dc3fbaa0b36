import { maxCode } from '../../fixedpoint/format.js';
import { applyOverflowNumber, shiftRightRoundNumber } from '../../fixedpoint/number.js';
import { lowestKept } from '../../fixedpoint/overflow.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { LayerEvents } from '../quantize/model.js';

/*
 * The accumulate-with-overflow step every dense and conv layer of every scheme
 * uses. An accumulator is a fixed-point format: pow2 models name it (one per
 * output channel); an affine int accumulator of b bits is the signed format of
 * b integer bits with its overflow mode (WRAP: two's complement modulo 2^b;
 * SAT: clamp). Values are exact integers in doubles (below 2^53: the model's
 * exactness check).
 */

/** One channel's accumulator: its format, kept range and the right shift that brings a product to its LSB. */
export interface AccChannel {
  readonly fmt: FixedFormat;
  readonly lo: number;
  readonly hi: number;
  /** F_w + F_x - F_acc: products are rounded right by this many bits (accumulator's rounding) when positive, shifted left exactly when negative. */
  readonly prodShift: number;
}

export function accChannel(fmt: FixedFormat, prodShift = 0): AccChannel {
  return { fmt, lo: Number(lowestKept(fmt)), hi: Number(maxCode(fmt)), prodShift };
}

/** Counts n events of f's overflow mode: WRAP is a wrap, every SAT mode a saturation. */
export function countEvent(ev: LayerEvents, f: FixedFormat, n = 1): void {
  if (f.overflow === 'WRAP') ev.wraps += n;
  else ev.saturations += n;
}

/** v through the accumulator's overflow mode; one event when v left the kept range. */
export function accStep(v: number, a: AccChannel, ev: LayerEvents): number {
  if (v >= a.lo && v <= a.hi) return v;
  countEvent(ev, a.fmt);
  return applyOverflowNumber(v, a.fmt);
}

/** One checked step: the product brought to the accumulator LSB (its rounding mode), added, then the overflow mode. */
export function accAdd(acc: number, product: number, a: AccChannel, ev: LayerEvents): number {
  const p = a.prodShift !== 0 ? shiftRightRoundNumber(product, a.prodShift, a.fmt.rounding) : product;
  return accStep(acc + p, a, ev);
}

/**
 * True when no partial sum of any channel can leave its accumulator: each
 * product is already at the accumulator LSB and the worst case
 * |bias| + sum |w| * max|x| lies inside the kept range. Then the sum is an
 * exact integer in any order and the overflow mode never acts, which is what
 * lets a layer use a blocked (or WebAssembly) kernel instead of the checked,
 * ordered path.
 */
export function noOverflowPossible(bounds: ArrayLike<number>, acc: readonly AccChannel[]): boolean {
  for (let m = 0; m < acc.length; m++) {
    const a = acc[m]!,
      b = bounds[m]!;
    if (a.prodShift !== 0 || -b < a.lo || b > a.hi) return false;
  }
  return true;
}
