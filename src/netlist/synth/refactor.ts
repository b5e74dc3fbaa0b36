import { sweepRebuilt, type Aig, type AigOfNetlist } from './aig.js';
import { factor, isop, masks } from './isop.js';
import { Builder, fanoutCounts, mffc } from './rewrite.js';
import { compact, embed, fresh, type Structure } from './structures.js';

/**
 * AIG refactoring (ABC's `refactor`, the step of `dc2` that rewriting with
 * 4-input cuts cannot do): every AND node, in topological order, takes a
 * reconvergence-driven cut of up to CUT_LEAVES leaves (starting from its two
 * fanins, a leaf is replaced by its fanins while that keeps the cut within
 * the limit, cheapest expansion first, so reconvergent paths end up inside);
 * the node's function over those leaves is collapsed into a truth table,
 * covered by an irredundant sum of products of f or of ~f (isop.ts, the
 * smaller after factoring), and the factored form replaces the node's
 * maximum fanout-free cone when it needs fewer new nodes than the cone holds
 * (or as many, with `zeroGain`: ABC's `refactor -z`), never deeper than the
 * node was. The factored form computes the node's function over the leaves,
 * so the graph's function is unchanged.
 */
const CUT_LEAVES = 10;

/** A reconvergence-driven cut of node n (rules in the file comment), leaves in node order. */
function reconvergentCut(aig: Aig, n: number, limit: number): number[] {
  const visited = new Set<number>([n]);
  const leaves: number[] = [];
  for (const f of [aig.fanin0[n]! >> 1, aig.fanin1[n]! >> 1]) {
    if (!visited.has(f)) {
      visited.add(f);
      leaves.push(f);
    }
  }
  for (;;) {
    let best = -1,
      bestCost = Infinity;
    for (let i = 0; i < leaves.length; i++) {
      const l = leaves[i]!;
      if (!aig.isAnd(l)) continue;
      const cost = (visited.has(aig.fanin0[l]! >> 1) ? 0 : 1) + (visited.has(aig.fanin1[l]! >> 1) ? 0 : 1);
      if (cost < bestCost || (cost === bestCost && l > leaves[best]!)) {
        best = i;
        bestCost = cost;
      }
    }
    if (best < 0 || leaves.length - 1 + bestCost > limit) break;
    const l = leaves.splice(best, 1)[0]!;
    for (const f of [aig.fanin0[l]! >> 1, aig.fanin1[l]! >> 1]) {
      if (!visited.has(f)) {
        visited.add(f);
        leaves.push(f);
      }
    }
  }
  return leaves.sort((a, b) => a - b);
}

/** Truth table of node n over `leaves` (leaf i = input i), by simulating the cone between them. */
function coneTruth(aig: Aig, n: number, leaves: readonly number[]): bigint {
  const m = masks(leaves.length);
  const value = new Map<number, bigint>(leaves.map((l, i) => [l, m[i]!]));
  value.set(0, 0n);
  const full = m[leaves.length]!;
  const lit = (l: number) => (l & 1 ? ~value.get(l >> 1)! & full : value.get(l >> 1)!);
  const stack = [n];
  while (stack.length > 0) {
    const x = stack[stack.length - 1]!;
    if (value.has(x)) {
      stack.pop();
      continue;
    }
    const a = aig.fanin0[x]! >> 1,
      b = aig.fanin1[x]! >> 1;
    if (!value.has(a)) stack.push(a);
    else if (!value.has(b)) stack.push(b);
    else {
      value.set(x, lit(aig.fanin0[x]!) & lit(aig.fanin1[x]!));
      stack.pop();
    }
  }
  return value.get(n)!;
}

const MEMO = new Map<string, Structure>();

/** The factored cover of f or of ~f over `inputs` leaves, whichever has fewer nodes (then less depth). */
export function factoredStructure(t: bigint, inputs: number): Structure {
  const key = `${inputs}:${t.toString(16)}`;
  const hit = MEMO.get(key);
  if (hit) return hit;
  let best: Structure | undefined;
  for (const neg of [0, 1]) {
    const f = neg ? ~t & masks(inputs)[inputs]! : t;
    const cubes: number[] = [];
    isop(f, f, inputs, cubes);
    const aig = fresh(inputs);
    const s = compact(aig, factor(aig, cubes, inputs, (i) => 2 * (1 + i)) ^ neg, inputs);
    if (!best || s.fanin0.length < best.fanin0.length || (s.fanin0.length === best.fanin0.length && s.depth < best.depth)) best = s;
  }
  if (MEMO.size > 50000) MEMO.clear();
  MEMO.set(key, best!);
  return best!;
}

/** One refactoring pass (rules in the file comment). */
export function refactor(src: AigOfNetlist, zeroGain = false): AigOfNetlist {
  const { aig } = src;
  const refs = fanoutCounts(src);
  const out = new Builder();
  const lit = new Int32Array(aig.size);
  for (const n of aig.inputs) lit[n] = out.aig.input();
  const map = (l: number) => lit[l >> 1]! ^ (l & 1);
  for (let n = 1; n < aig.size; n++) {
    if (!aig.isAnd(n)) continue;
    const a = map(aig.fanin0[n]!),
      b = map(aig.fanin1[n]!);
    lit[n] = replacement(aig, n, refs, lit, out, zeroGain) ?? out.and(a, b);
  }
  return sweepRebuilt(src, out.aig, lit);
}

/** The refactored literal of node n in `out`, or undefined when refactoring does not pay. */
function replacement(aig: Aig, n: number, refs: Int32Array, lit: Int32Array, out: Builder, zeroGain: boolean): number | undefined {
  const leaves = reconvergentCut(aig, n, CUT_LEAVES);
  if (leaves.length < 3) return undefined;
  const cone = mffc(aig, n, leaves, refs);
  if (cone.length < 2) return undefined;
  const s = factoredStructure(coneTruth(aig, n, leaves), leaves.length);
  const mapped = leaves.map((l) => lit[l]!);
  const counted = new Set(cone.map((m) => lit[m]! >> 1).filter((m) => m > 0));
  const { added, level } = out.dryRun(s, mapped, counted);
  const a = lit[aig.fanin0[n]! >> 1]! ^ (aig.fanin0[n]! & 1),
    b = lit[aig.fanin1[n]! >> 1]! ^ (aig.fanin1[n]! & 1);
  const own = out.aig.find(a, b);
  const ownLevel = own !== undefined ? out.lev(own) : 1 + Math.max(out.lev(a), out.lev(b));
  if (level > ownLevel || cone.length - added < (zeroGain ? 0 : 1)) return undefined;
  return embed(out, s, mapped);
}
