import { Rng } from '../random.js';
/**
 * Choice of the input codes a testbench applies: every raw pattern when the
 * input is narrow, otherwise the edge cases followed by seeded random codes.
 */

export interface VectorOptions {
  /** Widths up to this are covered exhaustively (default 16: 65,536 codes). */
  readonly exhaustiveMaxBits?: number;
  /** Random codes added to the edge cases above that width (default 100,000). */
  readonly randomCount?: number;
  /** PRNG seed (default 1); recorded in the result so a run can be replayed. */
  readonly seed?: number;
}

export interface VectorSelection {
  readonly method: 'exhaustive' | 'random';
  /** Raw unsigned input patterns, 0 <= p < 2^W, in the order applied. */
  readonly inputs: bigint[];
  /** Seed used ('random' only). */
  readonly seed?: number;
  /** How many leading entries are edge cases ('random' only). */
  readonly edgeCases?: number;
}

/** A uniform W-bit raw pattern built from ceil(W/32) PRNG words. */
function randomPattern(next: () => number, width: number): bigint {
  let v = 0n;
  for (let bits = 0; bits < width; bits += 32) v = (v << 32n) | BigInt(next());
  return BigInt.asUintN(width, v);
}

/**
 * Edge-case codes as raw patterns: min, max, 0, +1, -1, and every power of two
 * 2^k in range with its neighbours 2^k - 1 and 2^k + 1, and (signed) their
 * negatives; all distinct, in that order, only codes inside the format's range.
 */
export function edgeCasePatterns(signed: boolean, width: number): bigint[] {
  const w = BigInt(width);
  const min = signed ? -(1n << (w - 1n)) : 0n;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const codes: bigint[] = [min, max, 0n, 1n, -1n];
  for (let k = 0n; k <= w; k++) {
    const p = 1n << k;
    for (const c of [p - 1n, p, p + 1n]) codes.push(c, -c);
  }
  const seen = new Set<bigint>();
  const out: bigint[] = [];
  for (const c of codes) {
    if (c < min || c > max) continue;
    const raw = BigInt.asUintN(width, c);
    if (!seen.has(raw)) {
      seen.add(raw);
      out.push(raw);
    }
  }
  return out;
}

/**
 * Input vectors for a unit whose input is `width` bits, `signed` or not:
 * all 2^W patterns in ascending order when W <= exhaustiveMaxBits, else the
 * edge cases then `randomCount` uniform random patterns (duplicates possible).
 */
export function selectVectors(fmt: { readonly signed: boolean; readonly width: number }, opts: VectorOptions = {}): VectorSelection {
  const exhaustiveMaxBits = opts.exhaustiveMaxBits ?? 16;
  const { signed, width } = fmt;
  if (!Number.isInteger(width) || width < 1) throw new Error(`internal: width ${width} is not a positive integer`);
  if (width <= exhaustiveMaxBits) {
    return { method: 'exhaustive', inputs: Array.from({ length: 2 ** width }, (_, i) => BigInt(i)) };
  }
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  const next = (): number => rng.next32();
  const edges = edgeCasePatterns(signed, width);
  const inputs = [...edges];
  for (let i = 0; i < (opts.randomCount ?? 100_000); i++) inputs.push(randomPattern(next, width));
  return { method: 'random', inputs, seed, edgeCases: edges.length };
}
