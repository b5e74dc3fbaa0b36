import { Aig, type AigOfNetlist } from './aig.js';

/**
 * Structural choices (ABC's `dch`; Chatterjee, Mishchenko, Brayton, Wang,
 * Kuehlmann, "Reducing structural bias in technology mapping", ICCAD 2005):
 * several restructured versions of one AIG merged into a single graph in
 * which every node of the source has a class of equivalent nodes, one per
 * version, that the mapper may implement it by. ABC finds the equivalences
 * by SAT sweeping; here they are known by construction: each version carries
 * the image of every source node (aig.ts), a literal computing the same
 * function of the inputs.
 *
 * Construction, source nodes in topological order: each version's image of
 * the node is copied into the merged graph (structural hashing shares what
 * the versions have in common), and where the copy reaches a node that is
 * the image of an earlier source node, it reads that node's representative
 * instead; so every fanout reads representatives. The class's
 * representative is its member created last, so its members are all
 * earlier in the node order and none of them reads it: mapping the
 * representative by a member's cut cannot form a cycle. Members that are
 * inputs or constants, or already in a class, make no class: the node is
 * that literal.
 */
export interface ChoiceAig extends AigOfNetlist {
  /** Representative node -> its other members, each with its phase (1: the member is the complement). */
  readonly members: ReadonlyMap<number, readonly { readonly node: number; readonly phase: number }[]>;
}

export function mergeChoices(src: AigOfNetlist, versions: readonly AigOfNetlist[]): ChoiceAig {
  const out = new Aig();
  for (let i = 0; i < src.aig.inputs.length; i++) out.input();
  const rep = new Int32Array(src.aig.size).fill(-1);
  rep[0] = 0;
  for (const n of src.aig.inputs) rep[n] = 2 * n;
  const copies = versions.map((v) => new Copier(v, out, rep));
  /** Node of the merged graph already in a class -> the literal of its representative equal to it. */
  const claimed = new Map<number, number>();
  const members = new Map<number, { node: number; phase: number }[]>();
  for (let n = 1; n < src.aig.size; n++) {
    if (!src.aig.isAnd(n)) continue;
    const lits = copies.map((c) => c.imageOf(n)).filter((l) => l >= 0);
    const settled = lits.find((l) => !out.isAnd(l >> 1) || claimed.has(l >> 1));
    if (settled !== undefined || lits.length === 0) {
      rep[n] = settled === undefined ? -1 : (claimed.get(settled >> 1) ?? settled & ~1) ^ (settled & 1);
      continue;
    }
    const r = lits.reduce((a, b) => (b >> 1 > a >> 1 ? b : a));
    rep[n] = r;
    const others = new Map<number, number>();
    for (const l of lits) if (l >> 1 !== r >> 1) others.set(l >> 1, (l ^ r) & 1);
    claimed.set(r >> 1, r & ~1);
    for (const [m, phase] of others) claimed.set(m, (r & ~1) ^ phase);
    if (others.size > 0)
      members.set(
        r >> 1,
        [...others].map(([node, phase]) => ({ node, phase })),
      );
  }
  const get = (l: number) => {
    const r = rep[l >> 1]!;
    if (r < 0) throw new Error('internal: an output of the choice graph has no representative');
    return r ^ (l & 1);
  };
  return {
    aig: out,
    outputs: src.outputs.map(get),
    registers: src.registers.map((r) => ({ d: get(r.d), q: r.q })),
    members,
  };
}

/** Copies one version's nodes into the merged graph, reading representatives of settled source nodes. */
class Copier {
  private readonly copy: Int32Array;
  /** Version node -> source literal it is the image of (first source node only), or -1. */
  private readonly owner: Int32Array;

  constructor(
    private readonly v: AigOfNetlist,
    private readonly out: Aig,
    private readonly rep: Int32Array,
  ) {
    this.copy = new Int32Array(v.aig.size).fill(-1);
    this.copy[0] = 0;
    for (const n of v.aig.inputs) this.copy[n] = 2 * n;
    this.owner = new Int32Array(v.aig.size).fill(-1);
    const image = v.image!;
    for (let n = image.length - 1; n >= 0; n--) {
      const l = image[n]!;
      if (l >= 0 && v.aig.isAnd(l >> 1)) this.owner[l >> 1] = 2 * n + (l & 1);
    }
  }

  /** The literal in the merged graph of this version's image of source node n (-1: swept away). */
  imageOf(n: number): number {
    const l = this.v.image![n]!;
    return l < 0 ? -1 : (this.ready(l) ?? this.build(l >> 1) ^ (l & 1));
  }

  private build(root: number): number {
    const { aig } = this.v;
    const stack = [root];
    while (stack.length > 0) {
      const n = stack[stack.length - 1]!;
      if (this.copy[n]! >= 0) {
        stack.pop();
        continue;
      }
      const pending = [aig.fanin0[n]!, aig.fanin1[n]!].filter((l) => this.ready(l) === undefined).map((l) => l >> 1);
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      this.copy[n] = this.out.and(this.ready(aig.fanin0[n]!)!, this.ready(aig.fanin1[n]!)!);
      stack.pop();
    }
    return this.copy[root]!;
  }

  /** The merged-graph literal of version literal l if known without building. */
  private ready(l: number): number | undefined {
    const node = l >> 1;
    const o = this.owner[node]!;
    if (o >= 0 && this.rep[o >> 1]! >= 0) return this.rep[o >> 1]! ^ (o & 1) ^ (l & 1);
    const c = this.copy[node]!;
    return c >= 0 ? c ^ (l & 1) : undefined;
  }
}
