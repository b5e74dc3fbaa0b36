import { Aig } from './aig.js';

/**
 * Small AND-inverter structures for the functions of at most 4 inputs, the
 * replacement library of AIG rewriting (rewrite.ts). A function is its 16-bit
 * truth table over leaves 0..3 (leaf i = bit i of the minterm index). Its
 * structure is the one with the fewest AND nodes (then the least depth) among:
 * - the irredundant sum of products of f (Minato-Morreale ISOP), factored by
 *   repeatedly pulling out the literal most cubes share;
 * - the same for ~f, complemented at the output;
 * - Shannon expansion on each leaf f = x ? f1 : f0 with the cofactors' own
 *   best structures (so XOR-like and MUX-like functions get their 3-node forms),
 *   built with structural hashing, so shared sub-functions count once.
 * ABC's rewriting draws on precomputed optimal structures of the NPN classes;
 * these are found on demand and may use more nodes than the optimum.
 */
export interface Structure {
  /** Fanin literals of step j (node 5 + j): 0/1 constants, 2 (1 + i) leaf i, 2 (5 + j) step j, +1 complemented. */
  readonly fanin0: readonly number[];
  readonly fanin1: readonly number[];
  readonly out: number;
  /** Levels of AND nodes from the leaves to the output. */
  readonly depth: number;
}

const VAR = [0xaaaa, 0xcccc, 0xf0f0, 0xff00];
const MASK = 0xffff;

const cof0 = (t: number, i: number) => {
  const lo = t & ~VAR[i]! & MASK;
  return lo | (lo << (1 << i));
};
const cof1 = (t: number, i: number) => {
  const hi = t & VAR[i]!;
  return hi | (hi >>> (1 << i));
};
export const dependsOn = (t: number, i: number) => cof0(t, i) !== cof1(t, i);

/** Cubes: bit 2i = leaf i, bit 2i + 1 = ~leaf i. */
function isop(lower: number, upper: number, cubes: number[]): number {
  if (lower === 0) return 0;
  if (upper === MASK) {
    cubes.push(0);
    return MASK;
  }
  let i = 3;
  while (i >= 0 && !dependsOn(lower, i) && !dependsOn(upper, i)) i--;
  const l0 = cof0(lower, i),
    l1 = cof1(lower, i),
    u0 = cof0(upper, i),
    u1 = cof1(upper, i);
  const c0: number[] = [],
    c1: number[] = [];
  const f0 = isop(l0 & ~u1 & MASK, u0, c0);
  const f1 = isop(l1 & ~u0 & MASK, u1, c1);
  const rest = isop(((l0 & ~f0) | (l1 & ~f1)) & MASK, u0 & u1, cubes);
  for (const c of c0) cubes.push(c | (2 << (2 * i)));
  for (const c of c1) cubes.push(c | (1 << (2 * i)));
  return (f0 & ~VAR[i]!) | (f1 & VAR[i]!) | rest;
}

function andAll(aig: Aig, lits: number[]): number {
  const work = [...lits];
  while (work.length > 1) work.push(aig.and(work.shift()!, work.shift()!));
  return work[0] ?? 1;
}

function orAll(aig: Aig, lits: number[]): number {
  return (
    andAll(
      aig,
      lits.map((l) => l ^ 1),
    ) ^ 1
  );
}

const leafLit = (i: number) => 2 * (1 + i);

/** The cubes as an AIG, factoring out the literal the most cubes share. */
function factor(aig: Aig, cubes: readonly number[]): number {
  if (cubes.length === 0) return 0;
  if (cubes.includes(0)) return 1;
  const count = new Array<number>(8).fill(0);
  for (const c of cubes) for (let b = 0; b < 8; b++) if ((c >> b) & 1) count[b]!++;
  let best = 0;
  for (let b = 1; b < 8; b++) if (count[b]! > count[best]!) best = b;
  const lit = (b: number) => leafLit(b >> 1) ^ (b & 1);
  if (count[best]! <= 1) {
    return orAll(
      aig,
      cubes.map((c) => andAll(aig, [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => (c >> b) & 1).map(lit))),
    );
  }
  const withL = cubes.filter((c) => (c >> best) & 1).map((c) => c & ~(1 << best));
  const without = cubes.filter((c) => !((c >> best) & 1));
  return aig.or(aig.and(lit(best), factor(aig, withL)), factor(aig, without));
}

/** The nodes reachable from `out` in a 4-input AIG, renumbered as a Structure. */
function compact(aig: Aig, out: number): Structure {
  const fanin0: number[] = [],
    fanin1: number[] = [];
  const id = new Map<number, number>();
  const depth = new Map<number, number>();
  const visit = (n: number): void => {
    if (!aig.isAnd(n) || id.has(n)) return;
    visit(aig.fanin0[n]! >> 1);
    visit(aig.fanin1[n]! >> 1);
    id.set(n, 5 + fanin0.length);
    const ren = (l: number) => (aig.isAnd(l >> 1) ? 2 * id.get(l >> 1)! + (l & 1) : l);
    fanin0.push(ren(aig.fanin0[n]!));
    fanin1.push(ren(aig.fanin1[n]!));
    depth.set(n, 1 + Math.max(depth.get(aig.fanin0[n]! >> 1) ?? 0, depth.get(aig.fanin1[n]! >> 1) ?? 0));
  };
  visit(out >> 1);
  const o = aig.isAnd(out >> 1) ? 2 * id.get(out >> 1)! + (out & 1) : out;
  return { fanin0, fanin1, out: o, depth: depth.get(out >> 1) ?? 0 };
}

/** Builds structure `s` into `aig` with leaf i at literal leaves[i]; returns the output literal. */
export function embed(aig: { and(a: number, b: number): number }, s: Structure, leaves: readonly number[]): number {
  const lits: number[] = [0, ...leaves.slice(0, 4)];
  while (lits.length < 5) lits.push(0);
  const lit = (l: number) => lits[l >> 1]! ^ (l & 1);
  for (let j = 0; j < s.fanin0.length; j++) lits.push(aig.and(lit(s.fanin0[j]!), lit(s.fanin1[j]!)));
  return lit(s.out);
}

function fresh(): Aig {
  const aig = new Aig();
  for (let i = 0; i < 4; i++) aig.input();
  return aig;
}

const better = (a: Structure, b: Structure | undefined) =>
  b === undefined || a.fanin0.length < b.fanin0.length || (a.fanin0.length === b.fanin0.length && a.depth < b.depth);

const MEMO = new Map<number, Structure>();

/** The best structure found for the 4-input truth table t (rules in the file comment). */
export function structureOf(t: number): Structure {
  t &= MASK;
  // f and ~f share one structure (complemented output), so cofactors that are complements hash together.
  if (t > (~t & MASK)) {
    const s = structureOf(~t & MASK);
    return { ...s, out: s.out ^ 1 };
  }
  const hit = MEMO.get(t);
  if (hit) return hit;
  let best: Structure | undefined;
  for (const [f, neg] of [
    [t, 0],
    [~t & MASK, 1],
  ] as const) {
    const aig = fresh();
    const cubes: number[] = [];
    isop(f, f, cubes);
    const s = compact(aig, factor(aig, cubes) ^ neg);
    if (better(s, best)) best = s;
  }
  for (let i = 0; i < 4; i++) {
    if (!dependsOn(t, i) || best!.fanin0.length <= 1) continue;
    const aig = fresh();
    const leaves = [0, 1, 2, 3].map(leafLit);
    const lo = embed(aig, structureOf(cof0(t, i)), leaves);
    const hi = embed(aig, structureOf(cof1(t, i)), leaves);
    const s = compact(aig, aig.mux(lo, hi, leafLit(i)));
    if (better(s, best)) best = s;
  }
  MEMO.set(t, best!);
  return best!;
}
