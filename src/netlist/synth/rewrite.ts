import { Aig, sweepRebuilt, type AigOfNetlist } from './aig.js';
import { mergeCuts, trivialCut, type Cut } from './cuts.js';
import { embed, structureOf, type Structure } from './structures.js';

/**
 * DAG-aware AIG rewriting (Mishchenko, Chatterjee, Brayton, "DAG-aware AIG
 * rewriting", DAC 2006; ABC's `rewrite`): every AND node, in topological
 * order, is rebuilt from one of its 4-input cuts with the replacement
 * structure of the cut's function (structures.ts) when that saves nodes. The
 * saving of a cut is the size of the node's maximum fanout-free cone down to
 * the cut (the nodes only it uses, which disappear) minus the structure's
 * nodes the new graph does not already hold (structural hashing shares the
 * rest; a shared node inside that cone still counts). With `zeroGain`, a
 * replacement saving nothing is taken too (ABC's `rewrite -z`: it reshapes
 * the graph for later passes). A replacement never makes the node deeper
 * than it was (ABC preserves levels the same way). The result is swept:
 * only nodes the outputs reach are kept. Every replacement computes the
 * node's function over the cut's leaves, so the graph's function is unchanged.
 */
const CUTS_PER_NODE = 12;

/** Node fanout counts of an AIG (AND fanins, outputs, register inputs). */
export function fanoutCounts(src: AigOfNetlist): Int32Array {
  const { aig } = src;
  const refs = new Int32Array(aig.size);
  for (let n = 1; n < aig.size; n++) {
    if (!aig.isAnd(n)) continue;
    refs[aig.fanin0[n]! >> 1]++;
    refs[aig.fanin1[n]! >> 1]++;
  }
  for (const o of [...src.outputs, ...src.registers.map((r) => r.d)]) refs[o >> 1]++;
  return refs;
}

/** Nodes of n's maximum fanout-free cone bounded by `leaves` (n included), refs restored. */
export function mffc(aig: Aig, n: number, leaves: readonly number[], refs: Int32Array): number[] {
  const cone: number[] = [n];
  const deref = (m: number) => {
    for (const f of [aig.fanin0[m]! >> 1, aig.fanin1[m]! >> 1]) {
      if (!aig.isAnd(f) || leaves.includes(f)) continue;
      if (--refs[f] === 0) {
        cone.push(f);
        deref(f);
      }
    }
  };
  deref(n);
  const reref = (m: number) => {
    for (const f of [aig.fanin0[m]! >> 1, aig.fanin1[m]! >> 1]) {
      if (!aig.isAnd(f) || leaves.includes(f)) continue;
      if (refs[f]++ === 0) reref(f);
    }
  };
  reref(n);
  return cone;
}

/** A graph under construction with the level of every node. */
export class Builder {
  readonly aig = new Aig();
  readonly level: number[] = [0];

  lev(l: number): number {
    return this.level[l >> 1] ?? 0;
  }

  and(a: number, b: number): number {
    const r = this.aig.and(a, b);
    if (this.level[r >> 1] === undefined) this.level[r >> 1] = 1 + Math.max(this.lev(a), this.lev(b));
    return r;
  }

  /** New nodes building `s` would add (hits on `counted` nodes count too), and the output's level. */
  dryRun(s: Structure, leaves: readonly number[], counted: ReadonlySet<number>): { added: number; level: number } {
    const lits: (number | undefined)[] = [0, ...leaves];
    const levs: number[] = [0, ...leaves.map((l) => this.lev(l))];
    while (lits.length < 1 + s.inputs) {
      lits.push(0);
      levs.push(0);
    }
    let added = 0;
    for (let j = 0; j < s.fanin0.length; j++) {
      const a = s.fanin0[j]!,
        b = s.fanin1[j]!;
      const la = lits[a >> 1],
        lb = lits[b >> 1];
      const hit = la === undefined || lb === undefined ? undefined : this.aig.find(la ^ (a & 1), lb ^ (b & 1));
      if (hit === undefined || counted.has(hit >> 1)) added++;
      lits.push(hit);
      levs.push(hit !== undefined && hit >> 1 !== 0 ? this.lev(hit) : 1 + Math.max(levs[a >> 1]!, levs[b >> 1]!));
    }
    return { added, level: levs[s.out >> 1]! };
  }
}

/** One rewriting pass (rules in the file comment). */
export function rewrite(src: AigOfNetlist, zeroGain = false): AigOfNetlist {
  const { aig } = src;
  const refs = fanoutCounts(src);
  const cuts: Cut[][] = [];
  const out = new Builder();
  const lit = new Int32Array(aig.size);
  for (const n of aig.inputs) lit[n] = out.aig.input();
  const map = (l: number) => lit[l >> 1]! ^ (l & 1);
  for (let n = 1; n < aig.size; n++) {
    if (!aig.isAnd(n)) {
      cuts[n] = [];
      continue;
    }
    const f0 = aig.fanin0[n]! >> 1,
      f1 = aig.fanin1[n]! >> 1;
    const all = mergeCuts(aig, n, [...cuts[f0]!, trivialCut(f0)], [...cuts[f1]!, trivialCut(f1)]);
    all.sort((a, b) => b.leaves.length - a.leaves.length);
    cuts[n] = all.slice(0, CUTS_PER_NODE);
    const a = map(aig.fanin0[n]!),
      b = map(aig.fanin1[n]!);
    const ownLevel = out.aig.find(a, b) !== undefined ? out.lev(out.aig.find(a, b)!) : 1 + Math.max(out.lev(a), out.lev(b));
    let best: { s: Structure; leaves: number[]; gain: number } | undefined;
    for (const cut of cuts[n]!) {
      if (cut.leaves.length < 2) continue;
      const cone = mffc(aig, n, cut.leaves, refs);
      const counted = new Set(cone.map((m) => lit[m]! >> 1).filter((m) => m > 0));
      const leaves = cut.leaves.map((l) => lit[l]!);
      const s = structureOf(expandTo4(cut.truth, cut.leaves.length));
      const { added, level } = out.dryRun(s, leaves, counted);
      const gain = cone.length - added;
      if (level > ownLevel || gain < (zeroGain ? 0 : 1)) continue;
      if (best === undefined || gain > best.gain) best = { s, leaves, gain };
    }
    lit[n] = best ? embed(out, best.s, best.leaves) : out.and(a, b);
  }
  return sweepRebuilt(src, out.aig, lit);
}

/** A truth table over m < 4 leaves as one over 4 (the extra leaves unused). */
function expandTo4(t: number, m: number): number {
  let out = t;
  for (let k = m; k < 4; k++) out |= out << (1 << k);
  return out & 0xffff;
}
