/**
 * Two-level covers and their factoring, for functions of up to 12 inputs.
 * A function of n inputs is its truth table as a bigint of 2^n bits (input i
 * = bit i of the minterm index). A cube is a number with bit 2i set for the
 * literal "input i" and bit 2i + 1 for "not input i"; a cover is a list of
 * cubes (their OR).
 */
export const MAX_INPUTS = 12;

const MASKS: bigint[][] = [];

/** masks(n)[i]: the minterms (of n inputs) where input i is 1; masks(n)[n]: all minterms. */
export function masks(n: number): readonly bigint[] {
  let m = MASKS[n];
  if (!m) {
    const size = 1 << n;
    m = [];
    for (let i = 0; i < n; i++) {
      let v = 0n;
      for (let x = 0; x < size; x++) if ((x >> i) & 1) v |= 1n << BigInt(x);
      m.push(v);
    }
    m.push((1n << BigInt(size)) - 1n);
    MASKS[n] = m;
  }
  return m;
}

function cofactors(t: bigint, i: number, m: readonly bigint[], n: number): [bigint, bigint] {
  const s = 1n << BigInt(i);
  const lo = t & ~m[i]! & m[n]!;
  const hi = t & m[i]!;
  return [lo | (lo << s), hi | (hi >> s)];
}

export function dependsOn(t: bigint, i: number, n: number): boolean {
  const [c0, c1] = cofactors(t, i, masks(n), n);
  return c0 !== c1;
}

/**
 * An irredundant cover of some function between `lower` and `upper`
 * (lower <= f <= upper; Minato-Morreale ISOP): cubes are appended to `cubes`,
 * the function covered is returned.
 */
export function isop(lower: bigint, upper: bigint, n: number, cubes: number[]): bigint {
  const m = masks(n);
  if (lower === 0n) return 0n;
  if (upper === m[n]) {
    cubes.push(0);
    return m[n]!;
  }
  let i = n - 1;
  while (i >= 0 && !dependsOn(lower, i, n) && !dependsOn(upper, i, n)) i--;
  const [l0, l1] = cofactors(lower, i, m, n);
  const [u0, u1] = cofactors(upper, i, m, n);
  const c0: number[] = [],
    c1: number[] = [];
  const f0 = isop(l0 & ~u1 & m[n]!, u0, n, c0);
  const f1 = isop(l1 & ~u0 & m[n]!, u1, n, c1);
  const rest = isop(((l0 & ~f0) | (l1 & ~f1)) & m[n]!, u0 & u1, n, cubes);
  for (const c of c0) cubes.push(c | (2 << (2 * i)));
  for (const c of c1) cubes.push(c | (1 << (2 * i)));
  return (f0 & ~m[i]! & m[n]!) | (f1 & m[i]!) | rest;
}

/** What factoring builds on: an AND with structural hashing (aig.ts's Aig). */
interface AndBuilder {
  and(a: number, b: number): number;
}

function andAll(g: AndBuilder, lits: readonly number[]): number {
  const work = [...lits];
  while (work.length > 1) work.push(g.and(work.shift()!, work.shift()!));
  return work[0] ?? 1;
}

/**
 * A cover as AND nodes over the input literals `leaf(i)`, factored by
 * repeatedly pulling out the literal the most cubes share
 * (f = l & f_l | f_rest); cubes sharing no literal become a balanced OR of
 * balanced ANDs.
 */
export function factor(g: AndBuilder, cubes: readonly number[], n: number, leaf: (i: number) => number): number {
  if (cubes.length === 0) return 0;
  if (cubes.includes(0)) return 1;
  const count = new Array<number>(2 * n).fill(0);
  for (const c of cubes) for (let b = 0; b < 2 * n; b++) if ((c >> b) & 1) count[b]!++;
  let best = 0;
  for (let b = 1; b < 2 * n; b++) if (count[b]! > count[best]!) best = b;
  const lit = (b: number) => leaf(b >> 1) ^ (b & 1);
  const bits = (c: number) => count.map((_, b) => b).filter((b) => (c >> b) & 1);
  if (count[best]! <= 1) {
    return (
      andAll(
        g,
        cubes.map((c) => andAll(g, bits(c).map(lit)) ^ 1),
      ) ^ 1
    );
  }
  const withL = cubes.filter((c) => (c >> best) & 1).map((c) => c & ~(1 << best));
  const without = cubes.filter((c) => !((c >> best) & 1));
  const a = g.and(lit(best), factor(g, withL, n, leaf));
  if (without.length === 0) return a;
  return g.and(a ^ 1, factor(g, without, n, leaf) ^ 1) ^ 1;
}
