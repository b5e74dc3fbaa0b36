import { fracBits } from '../../fixedpoint/format.js';
import { parseFormat } from '../../fixedpoint/format.js';
import type { TensorQuant } from '../quantize/model.js';

/** Running comparison of one tensor (a layer's output) over all samples. */
export interface TensorTally {
  name: string;
  /** Layer name, or the input's name for input quantization. */
  layer: string;
  mismatches: number;
  maxLsbError: number;
  saturations: number;
  wraps: number;
  /** Event counts that differ between the integer engine and the float reference (summed |difference|). */
  eventDisagreements: number;
  signal: number;
  noise: number;
  /** False when the unquantized network has no tensor of this name and size. */
  hasFloat: boolean;
  values: number;
}

export function newTally(layer: string, name: string): TensorTally {
  return {
    name,
    layer,
    mismatches: 0,
    maxLsbError: 0,
    saturations: 0,
    wraps: 0,
    eventDisagreements: 0,
    signal: 0,
    noise: 0,
    hasFloat: false,
    values: 0,
  };
}

export interface Mismatch {
  layer: string;
  tensor: string;
  sample: number;
  index: number;
  /** The integer engine's value, code * 2^-F. */
  integer: number;
  code: number;
  /** The float reference's value. */
  float: number;
}

/** 2^F of a pow2 tensor quant. */
export function scaleOf(q: TensorQuant): number {
  if (q.kind !== 'pow2') throw new Error(`internal: pow2 comparison of a '${q.kind}' tensor`);
  return 2 ** fracBits(parseFormat(q.format));
}

/** The first index where real * 2^F - code is not 0 (NaN included), codes.length when none. */
export type FirstDifference = (codes: ArrayLike<number>, reals: Float64Array, scale: number) => number;

/**
 * Compares codes with reference reals element by element: a mismatch is any
 * element whose code differs from real * 2^F (exact: both are integers on
 * the same grid when they agree). Returns the first mismatch of this batch.
 * The common case, every element equal, is one tight pass over both arrays
 * (by `first`: the loop below, or the reference's WebAssembly pass over
 * tensors resident in its memory).
 */
export function compareTensor(
  t: TensorTally,
  codes: ArrayLike<number>,
  reals: Float64Array,
  scale: number,
  perSample: number,
  firstSample: number,
  first: FirstDifference = firstDifferenceLoop,
): Mismatch | undefined {
  t.values += codes.length;
  const i = first(codes, reals, scale);
  return i < codes.length ? tallyMismatches(t, codes, reals, scale, perSample, firstSample, i) : undefined;
}

/** The first index where real * 2^F - code is not 0, in one pass (codes.length when none). */
export function firstDifferenceLoop(codes: ArrayLike<number>, reals: Float64Array, scale: number): number {
  const n = codes.length;
  let i = 0;
  while (i < n && reals[i]! * scale - codes[i]! === 0) i++;
  return i;
}

function tallyMismatches(
  t: TensorTally,
  codes: ArrayLike<number>,
  reals: Float64Array,
  scale: number,
  perSample: number,
  firstSample: number,
  from: number,
): Mismatch {
  const first: Mismatch = {
    layer: t.layer,
    tensor: t.name,
    sample: firstSample + Math.floor(from / perSample),
    index: from % perSample,
    integer: codes[from]! / scale,
    code: codes[from]!,
    float: reals[from]!,
  };
  for (let i = from; i < codes.length; i++) {
    const d = Math.abs(reals[i]! * scale - codes[i]!);
    if (d !== 0) {
      t.mismatches++;
      if (d > t.maxLsbError || Number.isNaN(d)) t.maxLsbError = Number.isNaN(d) ? Infinity : d;
    }
  }
  return first;
}

/** Adds the quantization error against the unquantized network's tensor to the SQNR sums. */
export function addSqnr(t: TensorTally, codes: ArrayLike<number>, scale: number, unquantized: Float64Array): void {
  t.hasFloat = true;
  for (let i = 0; i < codes.length; i++) {
    const f = unquantized[i]!;
    const e = f - codes[i]! / scale;
    t.signal += f * f;
    t.noise += e * e;
  }
}

/** 10 log10(signal / noise) in dB; null when not measured or when there is no error at all. */
export function sqnrDb(t: TensorTally): number | null {
  if (!t.hasFloat || t.noise === 0) return null;
  if (t.signal === 0) return -Infinity;
  return Math.round(1000 * 10 * Math.log10(t.signal / t.noise)) / 1000;
}
