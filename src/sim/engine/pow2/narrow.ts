import { fracBits } from '../../../fixedpoint/format.js';
import { applyOverflowNumber, shiftRightRoundNumber } from '../../../fixedpoint/number.js';
import { roundsUp } from '../../../fixedpoint/rounding.js';
import { quantizeArray } from '../../../fixedpoint/batch.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { LayerEvents } from '../../quantize/model.js';
import { accChannel, countEvent } from '../accumulate.js';

/*
 * Narrowing in the integer engine. Values are exact integers held in doubles
 * (every one below 2^53: the model's exactness check guarantees it); shifts
 * and rounding use the fixed-point room's number paths, whose results are the
 * exact integers of the bigint definitions.
 */

/** The kept range of a format's overflow mode, as numbers: [lowestKept, maxCode]. */
export function rangeOf(f: FixedFormat): { lo: number; hi: number } {
  const a = accChannel(f);
  return { lo: a.lo, hi: a.hi };
}

/**
 * A narrowing step: integer v at fraction bits `fromF` -> code of `to`, i.e.
 * v / 2^(fromF - F_to) rounded with to.rounding (a left shift when negative,
 * exact), then to.overflow when outside the kept range (one event).
 * `relabeled` is `to` with its LSB moved so that an integer at fromF is read
 * as a real with F = 0: quantizing the integer v into it gives exactly the
 * code above (same width, signedness and modes), which lets whole runs use
 * the fixed-point room's array quantizer.
 */
export interface Narrower {
  readonly shift: number;
  readonly to: FixedFormat;
  readonly relabeled: FixedFormat;
  readonly lo: number;
  readonly hi: number;
}

export function narrower(fromF: number, to: FixedFormat): Narrower {
  const { lo, hi } = rangeOf(to);
  const shift = fromF - fracBits(to);
  return { shift, to, relabeled: { ...to, intBits: to.width + shift }, lo, hi };
}

/** dst[d + i] = narrow(src[s + i]) for i < n (src and dst distinct); events are counted into ev. */
export function narrowRun(nw: Narrower, src: Float64Array, s: number, dst: Float64Array, d: number, n: number, ev: LayerEvents): void {
  const events = quantizeArray(src.subarray(s, s + n), nw.relabeled, dst.subarray(d, d + n));
  if (events > 0) countEvent(ev, nw.to, events);
}

/** One value: v at `fromF` into nw.to (events counted). */
export function narrowOne(nw: Narrower, v: number, ev: LayerEvents): number {
  if (nw.shift !== 0) v = shiftRightRoundNumber(v, nw.shift, nw.to.rounding);
  if (v < nw.lo || v > nw.hi) {
    countEvent(ev, nw.to);
    return applyOverflowNumber(v, nw.to);
  }
  return v;
}

/**
 * num / den rounded to an integer with `mode`, exactly, for integers
 * |num| < 2^53 and 0 < den < 2^53: the float quotient's floor is corrected by
 * the exact integer remainder, then the rounding decision is the fixed-point
 * room's roundsUp on the remainder against den / 2.
 */
export function divRoundNumber(num: number, den: number, mode: FixedFormat['rounding']): number {
  let q = Math.floor(num / den);
  let r = num - q * den;
  if (r < 0) {
    q -= 1;
    r += den;
  } else if (r >= den) {
    q += 1;
    r -= den;
  }
  if (r === 0) return q;
  const twice = 2 * r;
  const cmp = twice < den ? -1 : twice > den ? 1 : 0;
  return roundsUp(mode, q < 0, cmp, q % 2 !== 0) ? q + 1 : q;
}
