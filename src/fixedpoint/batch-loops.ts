import { UserError } from '../errors.js';
import { applyOverflowNumber } from './number.js';
import { roundDouble } from './rounding.js';
import type { FixedFormat, Rounding } from './types.js';

/*
 * Quantizing typed arrays. Each call picks its rounding mode's loop once. The
 * loop forms v = x * 2^F (exact by the argument in number.ts), rounds it with
 * the mode written inline, clamps to the kept range [lo, hi] with Math.min /
 * Math.max (branch-free, so saturating data costs nothing extra) and counts
 * the values the clamp changed. SAT and SAT_SYM are exactly that clamp; for
 * WRAP and SAT_ZERO a second pass, run only when something overflowed,
 * recomputes the clamped elements and applies the mode. No per-element
 * allocation, no per-element test of the mode.
 */

const TINY = Number.MIN_VALUE;
const RNE_MAGIC = 6755399441055744; // 1.5 * 2^52
const RNE_LIMIT = 2 ** 51; // v + M - M rounds half to even exactly for |v| <= 2^51

/** Output arrays for codes: Int32Array, Uint32Array or Float64Array (any W <= 53). */
export type CodeArray = Int32Array | Uint32Array | Float64Array;
export type Src = Float64Array | Float32Array;
type Loop = (src: Src, out: CodeArray, scale: number, lo: number, hi: number) => number;

/** x * scale, refusing NaN and infinities. */
function scaled(x: number, scale: number, i: number): number {
  if (x - x !== 0) throw new UserError(`cannot quantize element ${i} = ${x}: values must be finite`);
  return x * scale;
}

/*
 * In every loop: y = min(max(r, lo), hi) + 0 (the + 0 turns -0 into 0) and
 * n counts y !== r. Only TRN needs the underflow guard: a nonzero x whose
 * x * 2^F underflows to 0 must still floor to -1 when negative; every other
 * mode rounds such a value to 0 anyway.
 */
const loopTrn: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    const v = scaled(x, scale, i);
    const r = Math.floor(v === 0 && x < 0 ? -TINY : v);
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

const loopTrnZero: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const r = Math.trunc(scaled(src[i]!, scale, i));
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

/**
 * RND_CONV, the hot one: no separate finiteness test. NaN and ±Infinity fail
 * the |v| <= 2^51 guard and take the slow path, which refuses non-finite x; a
 * finite x whose v overflows to ±Infinity rounds to itself and is clamped.
 * (v + M) - M is never -0, so no + 0 is needed.
 */
const loopConv: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]! * scale;
    const r = v <= RNE_LIMIT && v >= -RNE_LIMIT ? v + RNE_MAGIC - RNE_MAGIC : roundDouble(scaled(src[i]!, scale, i), 'RND_CONV');
    const y = Math.min(Math.max(r, lo), hi);
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

/*
 * The tie-sensitive modes from fl = floor(v) and the exact fraction v - fl:
 * RND up when the fraction is >= 1/2; RND_MIN_INF up when > 1/2; RND_ZERO and
 * RND_INF send a tie toward / away from zero by the sign of v.
 */
const loopRnd: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const v = scaled(src[i]!, scale, i);
    const fl = Math.floor(v);
    const r = v - fl >= 0.5 ? fl + 1 : fl;
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

const loopMinInf: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const v = scaled(src[i]!, scale, i);
    const fl = Math.floor(v);
    const r = v - fl > 0.5 ? fl + 1 : fl;
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

const loopZero: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const v = scaled(src[i]!, scale, i);
    const fl = Math.floor(v);
    const fr = v - fl;
    const r = fr > 0.5 || (fr === 0.5 && v < 0) ? fl + 1 : fl;
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

const loopInf: Loop = (src, out, scale, lo, hi) => {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const v = scaled(src[i]!, scale, i);
    const fl = Math.floor(v);
    const fr = v - fl;
    const r = fr > 0.5 || (fr === 0.5 && v > 0) ? fl + 1 : fl;
    const y = Math.min(Math.max(r, lo), hi) + 0;
    out[i] = y;
    n += y !== r ? 1 : 0;
  }
  return n;
};

/** The clamping loop of each rounding mode; each returns how many values it clamped. */
export const LOOPS: Readonly<Record<Rounding, Loop>> = {
  TRN: loopTrn,
  TRN_ZERO: loopTrnZero,
  RND: loopRnd,
  RND_ZERO: loopZero,
  RND_MIN_INF: loopMinInf,
  RND_INF: loopInf,
  RND_CONV: loopConv,
};

/**
 * WRAP / SAT_ZERO after the clamping loop: an element that sits on a bound
 * may have been clamped; recompute its rounded value (scalar, exact) and apply
 * the mode. Elements not on a bound were in range and are already right.
 */
export function fixOverflows(src: Src, out: CodeArray, f: FixedFormat, scale: number, lo: number, hi: number): void {
  for (let i = 0; i < src.length; i++) {
    const y = out[i]!;
    if (y !== lo && y !== hi) continue;
    const x = src[i]!;
    const v = x * scale;
    const r = roundDouble(v === 0 && x !== 0 ? (x < 0 ? -TINY : TINY) : v, f.rounding);
    if (r < lo || r > hi) out[i] = applyOverflowNumber(r, f);
  }
}
