import { Aig } from './aig.js';
import { factor, isop } from './isop.js';

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
  /** Leaves the structure reads (4 for the rewriting library). */
  readonly inputs: number;
  /** Fanin literals of step j (node 1 + inputs + j): 0/1 constants, 2 (1 + i) leaf i, 2 (1 + inputs + j) step j, +1 complemented. */
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
const dependsOn = (t: number, i: number) => cof0(t, i) !== cof1(t, i);

const leafLit = (i: number) => 2 * (1 + i);

/** The nodes reachable from `out` in an AIG whose first `inputs` nodes after the constant are its leaves, as a Structure. */
export function compact(aig: Aig, out: number, inputs = 4): Structure {
  const fanin0: number[] = [],
    fanin1: number[] = [];
  const id = new Map<number, number>();
  const depth = new Map<number, number>();
  const visit = (n: number): void => {
    if (!aig.isAnd(n) || id.has(n)) return;
    visit(aig.fanin0[n]! >> 1);
    visit(aig.fanin1[n]! >> 1);
    id.set(n, 1 + inputs + fanin0.length);
    const ren = (l: number) => (aig.isAnd(l >> 1) ? 2 * id.get(l >> 1)! + (l & 1) : l);
    fanin0.push(ren(aig.fanin0[n]!));
    fanin1.push(ren(aig.fanin1[n]!));
    depth.set(n, 1 + Math.max(depth.get(aig.fanin0[n]! >> 1) ?? 0, depth.get(aig.fanin1[n]! >> 1) ?? 0));
  };
  visit(out >> 1);
  const o = aig.isAnd(out >> 1) ? 2 * id.get(out >> 1)! + (out & 1) : out;
  return { inputs, fanin0, fanin1, out: o, depth: depth.get(out >> 1) ?? 0 };
}

/** Builds structure `s` into `aig` with leaf i at literal leaves[i]; returns the output literal. */
export function embed(aig: { and(a: number, b: number): number }, s: Structure, leaves: readonly number[]): number {
  const lits: number[] = [0, ...leaves.slice(0, s.inputs)];
  while (lits.length < 1 + s.inputs) lits.push(0);
  const lit = (l: number) => lits[l >> 1]! ^ (l & 1);
  for (let j = 0; j < s.fanin0.length; j++) lits.push(aig.and(lit(s.fanin0[j]!), lit(s.fanin1[j]!)));
  return lit(s.out);
}

export function fresh(inputs = 4): Aig {
  const aig = new Aig();
  for (let i = 0; i < inputs; i++) aig.input();
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
    isop(BigInt(f), BigInt(f), 4, cubes);
    const s = compact(aig, factor(aig, cubes, 4, leafLit) ^ neg);
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
