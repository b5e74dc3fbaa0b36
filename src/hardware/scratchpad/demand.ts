/**
 * What the systolic array asks of its three SRAMs, cycle by cycle, in
 * SCALE-Sim v2's demand order (scalesim/compute/systolic_compute_{ws,os,is}.py,
 * restated in docs/memory-model.md). Folds run column fold outer, row fold
 * inner; a fold lasts cyclesPerFold cycles (systolic.ts).
 *
 * Each read operand is fetched from DRAM as one stream (SCALE-Sim's prefetch
 * matrix); an element's stream position is what the double buffer tracks.
 * - A streamed operand (ws ifmap, os ifmap and filter, is filter) is a T x W
 *   block per fold index (W the valid rows or columns of the fold), its blocks
 *   concatenated in fold-index order; within a block the elements of
 *   anti-diagonal k = t + c are demanded together at fold cycle prefix + k
 *   (the systolic skew) and stand together in the stream (SCALE-Sim rolls its
 *   prefetch matrix out along the same diagonals).
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

function streamed(base: number, prefix: number, T: number, W: number): (i: number) => Span {
  return (i) => {
    const k = i - prefix;
    if (k < 0 || k > T + W - 2) return null;
    const lo = diagonalsBefore(k, T, W);
    return [base + lo, base + diagonalsBefore(k + 1, T, W) - 1];
  };
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
  if (e.dataflow === 'os') {
    return {
      ifmap: streamed(e.t * fr * R, 0, e.t, Rw),
      filter: streamed(e.t * fc * C, 0, e.t, Cw),
      writes: diagonalWrites(e.t - 1 + (R - Rw), Rw, Cw),
    };
  }
  const moving = streamed(e.t * fr * R, R, e.t, Rw);
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
