import type { Aig } from './aig.js';

/**
 * k-feasible cuts of an AIG (k = 4, the widest cells of the library): a cut
 * of node n is a set of nodes (leaves) such that every path from an input to
 * n passes through one of them; its function is n's truth table over the
 * leaves (leaf i = bit i of the minterm index, 2^leaves bits). Cuts of n are
 * merged from its fanins' cuts (Cong, Wu, Ding, "Cut ranking and pruning",
 * FPGA 1999); leaves the function does not depend on are dropped, and a cut
 * containing another of the same node is dominated and dropped.
 */
export interface Cut {
  readonly leaves: readonly number[];
  readonly truth: number;
}

export const CUT_SIZE = 4;

const VAR_TRUTH = [0xaaaa, 0xcccc, 0xf0f0, 0xff00];
export const fullMask = (n: number) => (n === 4 ? 0xffff : (1 << (1 << n)) - 1);

/** The trivial cut {n}: the identity over one leaf. */
export const trivialCut = (n: number): Cut => ({ leaves: [n], truth: 0b10 });

/** t over `from` re-expressed over `to` (a superset of `from`, both sorted). */
function expand(t: number, from: readonly number[], to: readonly number[]): number {
  if (from.length === to.length) return t;
  const pos = from.map((l) => to.indexOf(l));
  let out = 0;
  for (let x = 0; x < 1 << to.length; x++) {
    let y = 0;
    for (let i = 0; i < pos.length; i++) y |= ((x >> pos[i]!) & 1) << i;
    if ((t >> y) & 1) out |= 1 << x;
  }
  return out;
}

function union(a: readonly number[], b: readonly number[]): number[] | undefined {
  const out: number[] = [];
  let i = 0,
    j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (a[i] === b[j]) {
      out.push(a[i++]!);
      j++;
    } else out.push(b[j++]!);
    if (out.length > CUT_SIZE) return undefined;
  }
  return out;
}

/** Drops leaves the function does not depend on. */
function reduceSupport(c: Cut): Cut {
  let { leaves, truth } = c;
  for (let i = leaves.length - 1; i >= 0; i--) {
    const n = leaves.length;
    const v = VAR_TRUTH[i]! & fullMask(n);
    const shift = 1 << i;
    if ((truth & v) >>> shift !== (truth & ~v & fullMask(n))) continue;
    let t = 0,
      k = 0;
    for (let x = 0; x < 1 << n; x++) if (!((x >> i) & 1)) t |= ((truth >> x) & 1) << k++;
    leaves = [...leaves.slice(0, i), ...leaves.slice(i + 1)];
    truth = t;
  }
  return { leaves, truth };
}

const isSubset = (a: readonly number[], b: readonly number[]) => a.every((x) => b.includes(x));

/** All non-dominated merged cuts of AND node `n` from its fanins' kept cuts (trivial cuts included there). */
export function mergeCuts(aig: Aig, n: number, cuts0: readonly Cut[], cuts1: readonly Cut[]): Cut[] {
  const f0 = aig.fanin0[n]!,
    f1 = aig.fanin1[n]!;
  const out: Cut[] = [];
  for (const a of cuts0) {
    for (const b of cuts1) {
      const leaves = union(a.leaves, b.leaves);
      if (!leaves) continue;
      const m = fullMask(leaves.length);
      const ta = expand(a.truth, a.leaves, leaves) ^ (f0 & 1 ? m : 0);
      const tb = expand(b.truth, b.leaves, leaves) ^ (f1 & 1 ? m : 0);
      const c = reduceSupport({ leaves, truth: ta & tb });
      if (out.some((o) => isSubset(o.leaves, c.leaves))) continue;
      for (let i = out.length - 1; i >= 0; i--) if (isSubset(c.leaves, out[i]!.leaves)) out.splice(i, 1);
      out.push(c);
    }
  }
  return out;
}
