import { CircuitBuilder, GATE_TYPES, Netlist, prune, type Bit, type GateType } from '../../src/netlist/index.js';

/**
 * Independent reference evaluator: one vector at a time, one bit per net, cell
 * semantics written out from Yosys's simcells library. Registers are transparent
 * (Q = D); cells are evaluated by repeated sweeps until every net is known, so
 * it does not depend on the netlist's cell order or on the simulator's schedule.
 */
export function evalNet(net: Netlist, inputs: Record<string, bigint>): Record<string, bigint> {
  const val = evalNets(net, inputs);
  const out: Record<string, bigint> = {};
  for (const p of net.outputs()) {
    let v = 0n;
    for (let i = p.bits.length - 1; i >= 0; i--) v = (v << 1n) | (val.get(p.bits[i]) === 1 ? 1n : 0n);
    out[p.name] = v;
  }
  return out;
}

/** Value (0/1) of every net for one input vector (see evalNet); -1 for nets never driven. */
export function evalNets(net: Netlist, inputs: Record<string, bigint>): { get(b: Bit): number | undefined } {
  const val = new Int8Array(net.nextNet).fill(-1);
  val[0] = 0;
  val[1] = 1;
  for (const p of net.inputs()) {
    const v = BigInt.asUintN(p.bits.length, inputs[p.name] ?? 0n);
    p.bits.forEach((b, i) => {
      val[b] = Number((v >> BigInt(i)) & 1n);
    });
  }
  let pending = [...net.cells];
  while (pending.length > 0) {
    const next = pending.filter((c) => {
      const ins = c.type === '$_DFF_P_' ? [c.inputs[0]] : c.inputs;
      if (ins.some((b) => val[b] < 0)) return true;
      val[c.output] = gate(c.type, val[ins[0]], val[ins[1]], val[ins[2]]);
      return false;
    });
    if (next.length === pending.length) throw new Error('evalNet: loop or undriven net');
    pending = next;
  }
  return { get: (b: Bit) => (val[b] < 0 ? undefined : val[b]) };
}

/** One yosys internal cell's output bit from its input bits (a, b, and s for $_MUX_; a DFF is transparent). */
export function gate(type: string, a: number, b: number, s: number): number {
  switch (type) {
    case '$_NOT_':
      return 1 - a;
    case '$_AND_':
      return a & b;
    case '$_OR_':
      return a | b;
    case '$_XOR_':
      return a ^ b;
    case '$_NAND_':
      return 1 - (a & b);
    case '$_NOR_':
      return 1 - (a | b);
    case '$_XNOR_':
      return 1 - (a ^ b);
    case '$_ANDNOT_':
      return a & (1 - b);
    case '$_ORNOT_':
      return a | (1 - b);
    case '$_MUX_':
      return s ? b : a;
    case '$_DFF_P_':
      return a;
    default:
      throw new Error(`unknown cell ${type}`);
  }
}

/** Raw unsigned W-bit pattern of a signed or unsigned integer value. */
export function toRaw(v: bigint, w: number): bigint {
  return BigInt.asUintN(w, v);
}

/** Integer value of a raw W-bit pattern. */
export function fromRaw(raw: bigint, w: number, signed: boolean): bigint {
  return signed ? BigInt.asIntN(w, raw) : BigInt.asUintN(w, raw);
}

/** Smallest and largest integer of a W-bit operand. */
export function range(w: number, signed: boolean): [bigint, bigint] {
  return signed ? [-(1n << BigInt(w - 1)), (1n << BigInt(w - 1)) - 1n] : [0n, (1n << BigInt(w)) - 1n];
}

/** Builds a netlist with the given input widths and the outputs a generator returns, pruned. */
export function circuit(
  name: string,
  inputs: Record<string, number>,
  gen: (b: CircuitBuilder, ins: Record<string, Bit[]>) => Record<string, Bit[]>,
): Netlist {
  const b = new CircuitBuilder(name);
  const ins: Record<string, Bit[]> = {};
  for (const [k, w] of Object.entries(inputs)) ins[k] = b.input(k, w);
  for (const [k, bits] of Object.entries(gen(b, ins))) b.output(k, bits);
  prune(b.net);
  return b.net;
}

/** Number of cells of one type. */
export function countType(net: Netlist, type: string): number {
  return net.cells.filter((c) => c.type === type).length;
}

/** Every integer in [lo, hi] (small ranges only). */
export function* each(lo: bigint, hi: bigint): Generator<bigint> {
  for (let v = lo; v <= hi; v++) yield v;
}

const COMB = GATE_TYPES.filter((t) => t !== '$_DFF_P_');

/** A random combinational netlist: `picks` choose each gate's type and inputs among the nets so far. */
export function randomNetlist(inputs: number, picks: readonly number[][]): Netlist {
  const net = new Netlist('rand');
  const nets: number[] = [0, 1, ...net.addInput('x', inputs)];
  for (const p of picks) {
    const type = COMB[p[0]! % COMB.length]! as GateType;
    const arity = type === '$_NOT_' ? 1 : type === '$_MUX_' ? 3 : 2;
    nets.push(
      net.addCell(
        type,
        p.slice(1, 1 + arity).map((k) => nets[k % nets.length]!),
      ),
    );
  }
  net.addOutput('y', nets.slice(-4));
  return net;
}
