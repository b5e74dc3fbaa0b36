/**
 * Seeded operand streams for the energy simulations. Same vector count and
 * seed as the activation units' energy figures (activations/describe.ts), so
 * every unit of an estimate is measured the same way and reruns are identical.
 */
import { ENERGY_SEED, ENERGY_VECTORS } from '../../activations/index.js';
import { fracBits } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { VectorRng } from '../../netlist/index.js';

export const STIMULUS_VECTORS = ENERGY_VECTORS;
export const STIMULUS_SEED = ENERGY_SEED;

/** Two's-complement (or unsigned) value of a raw W-bit pattern. */
function codeOf(raw: number, f: FixedFormat): bigint {
  const v = BigInt(raw);
  return f.signed ? BigInt.asIntN(f.width, v) : v;
}

/** `count` uniformly random raw W-bit patterns (W <= 53). */
export function uniformStream(width: number, rng: VectorRng, count = STIMULUS_VECTORS): Float64Array {
  return Float64Array.from({ length: count }, () => rng.bits(width));
}

/** `count` copies of one random W-bit pattern: a parameter held in a register for the whole stream. */
export function heldStream(width: number, rng: VectorRng, count = STIMULUS_VECTORS): Float64Array {
  return new Float64Array(count).fill(rng.bits(width));
}

export interface MacStreamFormats {
  readonly weight: FixedFormat;
  readonly input: FixedFormat;
  readonly acc: FixedFormat;
}

/**
 * Operands of consecutive MACs of dot products of `dotLength` terms: weight
 * and input codes uniformly random over their formats; the accumulator input
 * is the running sum of the dot product so far (0 at its first term), each
 * product aligned to the accumulator's LSB (floor when it has fewer fraction
 * bits) and the sum wrapped to the accumulator width. This is a stimulus, not a
 * model: the running sum only gives the accumulator bits realistic activity
 * (small values, sign changes), the circuit computes the real result.
 */
export function macStream(f: MacStreamFormats, dotLength: number, seed = STIMULUS_SEED, count = STIMULUS_VECTORS) {
  const rng = new VectorRng(seed);
  const w = new Float64Array(count);
  const a = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    w[k] = rng.bits(f.weight.width);
    a[k] = rng.bits(f.input.width);
  }
  return { w, a, acc: runningSums(f, dotLength, w, a) };
}

/**
 * The accumulator input of each MAC of a stream of dot products of `dotLength`
 * terms (weights `w`, inputs `a` as raw patterns): the running sum of the dot
 * product so far (0 at its first term), each product aligned to the
 * accumulator's LSB (floor when it has fewer fraction bits), the sum wrapped
 * to the accumulator width; raw acc-width patterns.
 */
export function runningSums(f: MacStreamFormats, dotLength: number, w: Float64Array, a: Float64Array): Float64Array {
  const acc = new Float64Array(w.length);
  const shift = fracBits(f.acc) - (fracBits(f.weight) + fracBits(f.input));
  const n = Math.max(1, Math.floor(dotLength));
  const wrap = (v: bigint) => (f.acc.signed ? BigInt.asIntN(f.acc.width, v) : BigInt.asUintN(f.acc.width, v));
  let s = 0n;
  for (let k = 0; k < w.length; k++) {
    if (k % n === 0) s = 0n;
    acc[k] = Number(BigInt.asUintN(f.acc.width, s));
    const p = codeOf(w[k]!, f.weight) * codeOf(a[k]!, f.input);
    s = wrap(s + (shift >= 0 ? p << BigInt(shift) : p >> BigInt(-shift)));
  }
  return acc;
}
