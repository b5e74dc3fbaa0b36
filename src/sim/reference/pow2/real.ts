import { parseFormat } from '../../../fixedpoint/format.js';
import type { Overflow, Rounding } from '../../../fixedpoint/types.js';

/*
 * The float reference's own arithmetic. Values are reals held in float64:
 * a tensor element is the real value code * 2^-F, never a code. Rounding and
 * overflow are written here with float operations (Math.floor, comparisons,
 * power-of-two products), independently of the fixed-point room's integer
 * code and of the integer engine: only the text of a format is parsed by the
 * shared parser. Every value handled is a dyadic rational with fewer than 53
 * significant bits (the model's exactness conditions), so each product by a
 * power of two, each floor and each difference below is exact.
 */

/** A format as the reference uses it: its grid and its kept real range. */
export interface RealFormat {
  readonly text: string;
  readonly width: number;
  /** Fraction bits F: the grid is multiples of 2^-F. */
  readonly F: number;
  readonly scale: number;
  readonly lsb: number;
  readonly signed: boolean;
  /** Kept range [lo, hi] in reals (SAT_SYM signed: lo = -hi). */
  readonly lo: number;
  readonly hi: number;
  /** Range of the wrap: values wrap modulo span into [wrapLo, wrapLo + span). */
  readonly span: number;
  readonly wrapLo: number;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  /** roundUpReal specialized to this format's mode. */
  readonly up: (fl: number, frac: number) => boolean;
}

export function realFormat(text: string): RealFormat {
  const f = parseFormat(text);
  const F = f.width - f.intBits;
  const lsb = 2 ** -F;
  const span = 2 ** f.intBits;
  const top = f.signed ? span / 2 : span;
  const hi = top - lsb;
  const wrapLo = f.signed ? -span / 2 : 0;
  const lo = f.signed ? (f.overflow === 'SAT_SYM' ? -hi : wrapLo) : 0;
  return {
    text,
    width: f.width,
    F,
    scale: 2 ** F,
    lsb,
    signed: f.signed,
    lo,
    hi,
    span,
    wrapLo,
    rounding: f.rounding,
    overflow: f.overflow,
    up: upFor(f.rounding),
  };
}

/**
 * Whether a value strictly between the grid points fl and fl + 1 (in LSB
 * units, v = fl + frac, 0 < frac < 1) rounds up, by mode: TRN floor, TRN_ZERO
 * toward zero, RND half up, RND_ZERO half toward zero, RND_MIN_INF half down,
 * RND_INF half away from zero, RND_CONV half to the even neighbour.
 */
export function roundUpReal(mode: Rounding, fl: number, frac: number): boolean {
  const negative = fl < 0;
  switch (mode) {
    case 'TRN':
      return false;
    case 'TRN_ZERO':
      return negative;
    case 'RND':
      return frac >= 0.5;
    case 'RND_MIN_INF':
      return frac > 0.5;
    case 'RND_ZERO':
      return frac > 0.5 || (frac === 0.5 && negative);
    case 'RND_INF':
      return frac > 0.5 || (frac === 0.5 && !negative);
    case 'RND_CONV':
      return frac > 0.5 || (frac === 0.5 && Math.abs(fl % 2) === 1);
  }
}

/** roundUpReal for one mode, as its own small function (chosen once per format). */
function upFor(mode: Rounding): (fl: number, frac: number) => boolean {
  switch (mode) {
    case 'TRN':
      return () => false;
    case 'TRN_ZERO':
      return (fl) => fl < 0;
    case 'RND':
      return (_fl, frac) => frac >= 0.5;
    case 'RND_MIN_INF':
      return (_fl, frac) => frac > 0.5;
    case 'RND_ZERO':
      return (fl, frac) => frac > 0.5 || (frac === 0.5 && fl < 0);
    case 'RND_INF':
      return (fl, frac) => frac > 0.5 || (frac === 0.5 && fl >= 0);
    case 'RND_CONV':
      return (fl, frac) => frac > 0.5 || (frac === 0.5 && Math.abs(fl % 2) === 1);
  }
}

/** v rounded onto the grid of f with f's rounding mode (no range check). */
export function roundReal(v: number, f: RealFormat): number {
  const s = v * f.scale;
  const fl = Math.floor(s);
  const frac = s - fl;
  if (frac === 0) return v;
  return (f.up(fl, frac) ? fl + 1 : fl) * f.lsb;
}

/** Events seen by one reference run of a layer. */
export interface RealEvents {
  saturations: number;
  wraps: number;
}

/** A grid value r through f's overflow mode; counts one event when r is outside [lo, hi]. */
export function overflowReal(r: number, f: RealFormat, ev: RealEvents): number {
  if (r >= f.lo && r <= f.hi) return r;
  if (f.overflow === 'WRAP') {
    ev.wraps++;
    return r - f.span * Math.floor((r - f.wrapLo) / f.span);
  }
  ev.saturations++;
  if (f.overflow === 'SAT_ZERO') return 0;
  return r < f.lo ? f.lo : f.hi;
}

/** Adds n overflow events of format f (wraps or saturations by its mode). */
export function countEvents(ev: RealEvents, f: RealFormat, n: number): void {
  if (f.overflow === 'WRAP') ev.wraps += n;
  else ev.saturations += n;
}

/** quantize: round onto f's grid, then f's overflow mode. */
export function quantizeReal(v: number, f: RealFormat, ev: RealEvents): number {
  return overflowReal(roundReal(v, f), f, ev);
}

/**
 * (n / d) rounded onto f's grid, exactly, for a real n and an integer d > 0:
 * t = n * 2^F / d; fl = floor(t) is corrected by the exact remainder
 * n * 2^F - fl * d, and the tie test compares twice the remainder with d.
 */
export function divideReal(n: number, d: number, f: RealFormat): number {
  const s = n * f.scale;
  let fl = Math.floor(s / d);
  let rem = s - fl * d;
  if (rem < 0) {
    fl -= 1;
    rem += d;
  } else if (rem >= d) {
    fl += 1;
    rem -= d;
  }
  if (rem === 0) return fl * f.lsb;
  // Only the side of one half matters to every mode: stand-ins below, at and above it.
  const frac = 2 * rem < d ? 0.25 : 2 * rem > d ? 0.75 : 0.5;
  return (roundUpReal(f.rounding, fl, frac) ? fl + 1 : fl) * f.lsb;
}
