/**
 * Testbench stimulus for multi-port units: each port takes, independently,
 * one of its edge-case patterns (min, max, 0, +-1, powers of two and their
 * neighbours: verilog/vectors.ts) with probability 1/2, else a uniform random
 * pattern; seeded, so an export is reproducible.
 */
import { Rng } from '../../random.js';
import { edgeCasePatterns } from '../../verilog/vectors.js';

export interface UnitVectorOptions {
  /** Vectors in the testbench (default 10,000). */
  readonly count?: number;
  /** Seed (default 1). */
  readonly seed?: number;
}

export const DEFAULT_UNIT_VECTORS = 10_000;

/** A uniform `width`-bit pattern. */
export function randomBits(rng: Rng, width: number): bigint {
  let v = 0n;
  for (let b = 0; b < width; b += 32) v = (v << 32n) | BigInt(rng.next32());
  return BigInt.asUintN(width, v);
}

/** A generator of port patterns: edge case or uniform, half the time each. */
export function portPattern(rng: Rng, signed: boolean, width: number): () => bigint {
  const edges = edgeCasePatterns(signed, width);
  return () => (rng.next32() & 1 ? edges[rng.int(edges.length)]! : randomBits(rng, width));
}

export function vectorCount(o: UnitVectorOptions): number {
  const n = o.count ?? DEFAULT_UNIT_VECTORS;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`internal: vector count ${n}`);
  return n;
}
