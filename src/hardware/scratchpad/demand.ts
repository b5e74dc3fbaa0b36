/**
 * What the systolic array asks of its three SRAMs, cycle by cycle, in
 * SCALE-Sim v2's demand order (scalesim/compute/systolic_compute_{ws,os,is}.py,
 * restated in docs/memory-model.md). Folds run column fold outer, row fold
 * inner; a fold lasts cyclesPerFold cycles (systolic.ts).
 *
 * Each read operand is fetched from DRAM as one stream (SCALE-Sim's prefetch
 * matrix); an element's stream position is what the double buffer tracks.
 * - A streamed operand (ws ifmap, os ifmap and filter, is filter) is a T x W
 *   block per fold index (W the valid rows or columns of the fold); the
 *   elements of the block's anti-diagonal k = t + c are demanded together at
 *   fold cycle prefix + k (the systolic skew). Its stream is SCALE-Sim's
 *   prefetch matrix: the blocks stacked, padded to the array edge, rolled out
 *   along anti-diagonals of the whole stack (RolledStream), so near a block
 *   boundary the next block's first elements come before this one's last.
 * - A stationary operand (ws filter, is ifmap) is an S_R x W block per column
 *   fold, row-major; fold (fc, fr) loads its rows fr*R .. fr*R + Rw - 1 in
 *   reverse order, one row a cycle, after R - Rw empty cycles.
 * - Output writes: anti-diagonal k of the fold's H x W output block at fold
 *   cycle prefix + k.
 */
import type { CycleEstimate } from '../systolic.js';

/** Elements t + c < k of a T x W block, t in [0, T), c in [0, W). */
export function diagonalsBefore(k: number, T: number, W: number): number {
  const g = (u: number) => (u <= 0 ? 0 : u <= T ? (u * (u + 1)) / 2 : (T * (T + 1)) / 2 + (u - T) * T);
  return g(k) - g(k - W);
}

/** A contiguous range of stream positions [lo, hi]; null when nothing is demanded. */
export type Span = readonly [number, number] | null;

export interface FoldDemand {
  ifmap(i: number): Span;
  filter(i: number): Span;
  /** Output elements written at fold cycle i. */
  writes(i: number): number;
}

export interface StreamLengths {
  readonly ifmap: number;
  readonly filter: number;
  readonly ofmap: number;
}

interface Geometry {
  readonly R: number;
  readonly C: number;
  readonly e: CycleEstimate;
}

/**
 * A streamed operand: F blocks of T rows, block f of width W(f) (all N wide but
 * possibly the last, of width Wlast), stacked into one (F T) x N matrix whose
 * missing columns are empty slots, rolled out along anti-diagonals d = g + c
 * (g the stacked row), each diagonal from its highest row down; empty slots
 * take no stream position.
 */
class RolledStream {
  constructor(
    private readonly T: number,
    private readonly N: number,
    private readonly F: number,
    private readonly wLast: number,
  ) {}

  private width(f: number): number {
    return f === this.F - 1 ? this.wLast : this.N;
  }

  /** Stream positions before diagonal d. */
  private before(d: number): number {
    const { T, N } = this;
    const whole = Math.min(this.F - 1, Math.max(0, Math.floor((d - T - N + 1) / T) + 1));
    let n = whole * T * N;
    for (let f = whole; f < this.F && d - f * T > 0; f++) n += diagonalsBefore(d - f * T, T, this.width(f));
    return n;
  }

  /** Filled slots of diagonal d in rows g + 1 .. min(d, F T - 1). */
  private above(d: number, g: number): number {
    const hi = Math.min(d, this.F * this.T - 1);
    const lastStart = (this.F - 1) * this.T;
    const empty = Math.max(0, Math.min(hi, d - this.wLast) - Math.max(g + 1, lastStart) + 1);
    return Math.max(0, hi - g) - empty;
  }

  /** The span of block f's anti-diagonal k (its rows on diagonal f T + k). */
  span(f: number, k: number): Span {
    const d = f * this.T + k;
    const gMax = Math.min(f * this.T + this.T - 1, d);
    const gMin = Math.max(f * this.T, d - this.width(f) + 1);
    if (gMax < gMin) return null;
    const lo = this.before(d) + this.above(d, gMax);
    return [lo, lo + gMax - gMin];
  }
}

function streamed(s: RolledStream, f: number, prefix: number): (i: number) => Span {
  return (i) => (i < prefix ? null : s.span(f, i - prefix));
}

function stationary(base: number, firstRow: number, R: number, Rw: number, W: number): (i: number) => Span {
  return (i) => {
    const j = i - (R - Rw);
    if (j < 0 || j >= Rw) return null;
    const row = firstRow + Rw - 1 - j;
    return [base + row * W, base + row * W + W - 1];
  };
}

function diagonalWrites(prefix: number, H: number, W: number): (i: number) => number {
  return (i) => {
    const k = i - prefix;
    if (k < 0 || k > H + W - 2) return 0;
    return diagonalsBefore(k + 1, H, W) - diagonalsBefore(k, H, W);
  };
}

/** The demand of fold (fc, fr) of one group (rules in the file comment). */
export function foldDemand(g: Geometry, fc: number, fr: number): FoldDemand {
  const { R, C, e } = g;
  const Rw = Math.min(R, e.sr - fr * R);
  const Cw = Math.min(C, e.sc - fc * C);
  const byRow = new RolledStream(e.t, R, e.rowFolds, e.sr - (e.rowFolds - 1) * R);
  if (e.dataflow === 'os') {
    const byCol = new RolledStream(e.t, C, e.colFolds, e.sc - (e.colFolds - 1) * C);
    return {
      ifmap: streamed(byRow, fr, 0),
      filter: streamed(byCol, fc, 0),
      writes: diagonalWrites(e.t - 1 + (R - Rw), Rw, Cw),
    };
  }
  const moving = streamed(byRow, fr, R);
  const held = stationary(e.sr * fc * C, fr * R, R, Rw, Cw);
  const writes = diagonalWrites(2 * R - 1, e.t, Cw);
  return e.dataflow === 'ws' ? { ifmap: moving, filter: held, writes } : { ifmap: held, filter: moving, writes };
}

/** Elements in each operand's DRAM stream of one group. */
export function streamLengths(e: CycleEstimate): StreamLengths {
  const moving = e.t * e.sr;
  const held = e.sr * e.sc;
  if (e.dataflow === 'os') return { ifmap: e.t * e.sr, filter: e.t * e.sc, ofmap: e.sr * e.sc };
  return e.dataflow === 'ws'
    ? { ifmap: moving, filter: held, ofmap: e.rowFolds * e.t * e.sc }
    : { ifmap: held, filter: moving, ofmap: e.rowFolds * e.t * e.sc };
}
