import type { Bit, Netlist } from '../ir.js';
import { schedule } from '../sim/schedule.js';

/**
 * An and-inverter graph (AIG) with structural hashing: the logic form a
 * synthesis tool minimizes and maps (ABC's `strash`). Node 0 is the constant
 * 0; a literal is 2 * node + complement. Nodes are created after their fanins,
 * so node order is topological. Primary inputs are the netlist's input bits
 * and its register outputs (the registers cut the logic into a combinational
 * part); primary outputs are the output bits and the register D inputs.
 */
export class Aig {
  /** Fanin literals of each node (-1 for the constant and the inputs). */
  readonly fanin0: number[] = [-1];
  readonly fanin1: number[] = [-1];
  readonly inputs: number[] = [];
  private readonly hash = new Map<number, number>();

  get size(): number {
    return this.fanin0.length;
  }

  isAnd(node: number): boolean {
    return this.fanin0[node]! >= 0;
  }

  input(): number {
    const n = this.fanin0.length;
    this.fanin0.push(-1);
    this.fanin1.push(-1);
    this.inputs.push(n);
    return 2 * n;
  }

  /** a & b, simplified (constants, a & a, a & ~a) and hashed. */
  and(a: number, b: number): number {
    const hit = this.find(a, b);
    if (hit !== undefined) return hit;
    if (a > b) [a, b] = [b, a];
    const key = a * 0x100000000 + b;
    const n = this.fanin0.length;
    this.fanin0.push(a);
    this.fanin1.push(b);
    this.hash.set(key, n);
    return 2 * n;
  }

  /** The literal of a & b if it needs no new node (a simplification or an existing node), else undefined. */
  find(a: number, b: number): number | undefined {
    if (a > b) [a, b] = [b, a];
    if (a === 0) return 0;
    if (a === 1) return b;
    if (a === b) return a;
    if ((a ^ 1) === b) return 0;
    const hit = this.hash.get(a * 0x100000000 + b);
    return hit === undefined ? undefined : 2 * hit;
  }

  or(a: number, b: number): number {
    return this.and(a ^ 1, b ^ 1) ^ 1;
  }

  xor(a: number, b: number): number {
    return this.or(this.and(a, b ^ 1), this.and(a ^ 1, b));
  }

  /** s ? b : a */
  mux(a: number, b: number, s: number): number {
    return this.or(this.and(s, b), this.and(s ^ 1, a));
  }
}

/** A netlist as an AIG, with where its ports and registers went. */
export interface AigOfNetlist {
  readonly aig: Aig;
  /** Literal of every output-port bit, in port order. */
  readonly outputs: readonly number[];
  /** Per register (netlist order): the literal of its D input and the input node of its Q. */
  readonly registers: readonly { readonly d: number; readonly q: number }[];
  /**
   * A graph derived from another (balance, rewrite, sweep): for every node of
   * the source, the literal here that computes the same function of the
   * inputs (-1 where the node was swept away). Equal by construction: each
   * pass rebuilds a node from a structure computing its function.
   */
  readonly image?: Int32Array;
}

/** Images through two derivations: source -> a (`first`) then a -> b (`second`). */
export function composeImages(first: Int32Array, second: Int32Array): Int32Array {
  const out = new Int32Array(first.length);
  for (let n = 0; n < first.length; n++) {
    const l = first[n]!;
    const m = l < 0 ? -1 : second[l >> 1]!;
    out[n] = m < 0 ? -1 : m ^ (l & 1);
  }
  return out;
}

/** The combinational logic of `net` as an AIG (gate semantics in ir.ts). */
export function aigOf(net: Netlist): AigOfNetlist {
  const aig = new Aig();
  const lit = new Map<Bit, number>([
    [0, 0],
    [1, 1],
  ]);
  for (const p of net.inputs()) for (const b of p.bits) lit.set(b, aig.input());
  const sched = schedule(net, 'state');
  const qNodes = sched.registers.map((r) => {
    const l = aig.input();
    lit.set(r.output, l);
    return l >> 1;
  });
  const get = (b: Bit) => {
    const l = lit.get(b);
    if (l === undefined) throw new Error(`internal: net ${b} has no driver`);
    return l;
  };
  for (const c of sched.order) {
    const [a, b, s] = c.inputs.map(get) as [number, number, number];
    lit.set(c.output, gateLiteral(aig, c.type, a, b, s));
  }
  return {
    aig,
    outputs: net.outputs().flatMap((p) => p.bits.map(get)),
    registers: sched.registers.map((r, i) => ({ d: get(r.inputs[0]!), q: qNodes[i]! })),
  };
}

function gateLiteral(aig: Aig, type: string, a: number, b: number, s: number): number {
  switch (type) {
    case '$_NOT_':
      return a ^ 1;
    case '$_AND_':
      return aig.and(a, b);
    case '$_NAND_':
      return aig.and(a, b) ^ 1;
    case '$_OR_':
      return aig.or(a, b);
    case '$_NOR_':
      return aig.or(a, b) ^ 1;
    case '$_ANDNOT_':
      return aig.and(a, b ^ 1);
    case '$_ORNOT_':
      return aig.or(a, b ^ 1);
    case '$_XOR_':
      return aig.xor(a, b);
    case '$_XNOR_':
      return aig.xor(a, b) ^ 1;
    case '$_MUX_':
      return aig.mux(a, b, s);
    default:
      throw new Error(`internal: ${type} is not combinational`);
  }
}

/**
 * AIG balancing (ABC's `balance`): every AND node's supergate (the
 * multi-input AND reached through uncomplemented fanins used only there) is
 * rebuilt as a tree pairing its two shallowest operands first, so the depth
 * of a chain of ANDs becomes logarithmic. Returns the new AIG, holding only
 * the nodes the outputs and register inputs reach, with the
 * outputs' and registers' literals carried over (register inputs keep their
 * node numbers: inputs are created first, in the same order).
 */
export function balance(src: AigOfNetlist): AigOfNetlist {
  const { aig } = src;
  const fanout = new Int32Array(aig.size);
  for (let n = 1; n < aig.size; n++) {
    if (!aig.isAnd(n)) continue;
    fanout[aig.fanin0[n]! >> 1]++;
    fanout[aig.fanin1[n]! >> 1]++;
  }
  for (const o of [...src.outputs, ...src.registers.map((r) => r.d)]) fanout[o >> 1] += 2;
  const out = new Aig();
  const level: number[] = [0];
  const lit = new Int32Array(aig.size);
  for (const n of aig.inputs) {
    lit[n] = out.input();
    level[lit[n] >> 1] = 0;
  }
  const map = (l: number) => lit[l >> 1]! ^ (l & 1);
  for (let n = 1; n < aig.size; n++) {
    if (!aig.isAnd(n)) continue;
    const ops = supergate(aig, n, fanout).map(map);
    lit[n] = balancedAnd(out, ops, level);
  }
  // Every source node was rebuilt, including a supergate's inner nodes that
  // its root then rebuilt from the leaves: those are unreachable, and
  // sweeping them keeps them out of the fanout counts later passes and the
  // mapper read. Their image becomes -1 (no live node computes them).
  return sweepRebuilt(src, out, lit);
}

function supergate(aig: Aig, root: number, fanout: Int32Array): number[] {
  const ops: number[] = [];
  const stack = [aig.fanin0[root]!, aig.fanin1[root]!];
  while (stack.length > 0) {
    const l = stack.pop()!;
    const n = l >> 1;
    if ((l & 1) === 0 && aig.isAnd(n) && fanout[n] === 1 && ops.length + stack.length < 16) stack.push(aig.fanin0[n]!, aig.fanin1[n]!);
    else ops.push(l);
  }
  return ops;
}

function balancedAnd(out: Aig, ops: number[], level: number[]): number {
  const lv = (l: number) => level[l >> 1] ?? 0;
  const work = [...ops];
  while (work.length > 1) {
    work.sort((a, b) => lv(b) - lv(a));
    const a = work.pop()!,
      b = work.pop()!;
    const r = out.and(a, b);
    if (level[r >> 1] === undefined) level[r >> 1] = 1 + Math.max(lv(a), lv(b));
    work.push(r);
  }
  return work[0] ?? 1;
}

/**
 * A pass's result: `out` holds, for every node n of `src`, the literal
 * `lit[n]` computing n's function; the graph keeps only what the outputs and
 * register inputs reach, and its image maps src to it (-1: swept).
 */
export function sweepRebuilt(src: AigOfNetlist, out: Aig, lit: Int32Array): AigOfNetlist {
  const map = (l: number) => lit[l >> 1]! ^ (l & 1);
  const swept = sweep({
    aig: out,
    outputs: src.outputs.map(map),
    registers: src.registers.map((r) => ({ d: map(r.d), q: lit[r.q]! >> 1 })),
  });
  return { ...swept, image: composeImages(lit, swept.image!) };
}

/** The graph with only the nodes the outputs and register inputs reach, inputs first in their order. */
export function sweep(src: AigOfNetlist): AigOfNetlist {
  const { aig } = src;
  const out = new Aig();
  const lit = new Int32Array(aig.size).fill(-1);
  lit[0] = 0;
  for (const n of aig.inputs) lit[n] = out.input();
  const build = (root: number): void => {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack[stack.length - 1]!;
      if (lit[n]! >= 0) {
        stack.pop();
        continue;
      }
      const a = aig.fanin0[n]! >> 1,
        b = aig.fanin1[n]! >> 1;
      if (lit[a]! < 0) stack.push(a);
      else if (lit[b]! < 0) stack.push(b);
      else {
        lit[n] = out.and(lit[a]! ^ (aig.fanin0[n]! & 1), lit[b]! ^ (aig.fanin1[n]! & 1));
        stack.pop();
      }
    }
  };
  const map = (l: number) => {
    build(l >> 1);
    return lit[l >> 1]! ^ (l & 1);
  };
  const outputs = src.outputs.map(map);
  const registers = src.registers.map((r) => ({ d: map(r.d), q: lit[r.q]! >> 1 }));
  return { aig: out, outputs, registers, image: lit };
}
