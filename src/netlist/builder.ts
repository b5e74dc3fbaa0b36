import { Netlist, ONE, ZERO, type Bit, type GateType } from './ir.js';

const COMMUTATIVE = new Set<GateType>(['$_AND_', '$_OR_', '$_XOR_', '$_NAND_', '$_NOR_', '$_XNOR_']);

/**
 * Adds gates to a netlist with clean-up on the way in: constant propagation,
 * trivial identities (a&a, a&~a, ~~a, ...), absorption of inverters into
 * $_ANDNOT_/$_ORNOT_, and structural hashing (the same gate on the same inputs
 * is created once). Generators are free functions that take a builder, in the
 * style of mockturtle; dead cells are removed afterwards by `prune`.
 */
export class CircuitBuilder {
  readonly net: Netlist;
  private readonly hash = new Map<string, Bit>();
  /** For every $_NOT_ output, its input (lets ~~a fold and a&~b become ANDNOT). */
  private readonly notOf = new Map<Bit, Bit>();

  constructor(nameOrNetlist: string | Netlist) {
    this.net = typeof nameOrNetlist === 'string' ? new Netlist(nameOrNetlist) : nameOrNetlist;
  }

  input(name: string, width: number): Bit[] {
    return this.net.addInput(name, width);
  }

  output(name: string, bits: readonly Bit[]): void {
    this.net.addOutput(name, bits);
  }

  private cell(type: GateType, inputs: Bit[]): Bit {
    const key = type + ':' + (COMMUTATIVE.has(type) ? [...inputs].sort((x, y) => x - y) : inputs).join(',');
    const hit = this.hash.get(key);
    if (hit !== undefined) return hit;
    const out = this.net.addCell(type, inputs);
    this.hash.set(key, out);
    if (type === '$_NOT_') this.notOf.set(out, inputs[0]);
    return out;
  }

  private complementary(a: Bit, b: Bit): boolean {
    return this.notOf.get(a) === b || this.notOf.get(b) === a || (a <= 1 && b <= 1 && a !== b);
  }

  not(a: Bit): Bit {
    if (a === ZERO) return ONE;
    if (a === ONE) return ZERO;
    const inner = this.notOf.get(a);
    return inner !== undefined ? inner : this.cell('$_NOT_', [a]);
  }

  and(a: Bit, b: Bit): Bit {
    const s = this.simplifyAnd(a, b);
    if (s !== undefined) return s;
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    // ~p & ~q is one NOR; a single inverted input is absorbed into ANDNOT.
    if (na !== undefined && nb !== undefined) return this.cell('$_NOR_', [na, nb]);
    if (nb !== undefined) return this.cell('$_ANDNOT_', [a, nb]);
    if (na !== undefined) return this.cell('$_ANDNOT_', [b, na]);
    return this.cell('$_AND_', [a, b]);
  }

  or(a: Bit, b: Bit): Bit {
    const s = this.simplifyOr(a, b);
    if (s !== undefined) return s;
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    if (na !== undefined && nb !== undefined) return this.cell('$_NAND_', [na, nb]);
    if (nb !== undefined) return this.cell('$_ORNOT_', [a, nb]);
    if (na !== undefined) return this.cell('$_ORNOT_', [b, na]);
    return this.cell('$_OR_', [a, b]);
  }

  xor(a: Bit, b: Bit): Bit {
    const s = this.simplifyXor(a, b);
    if (s !== undefined) return s;
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    // ~p ^ ~q = p ^ q; one inverted input turns XOR into XNOR.
    if (na !== undefined && nb !== undefined) return this.xor(na, nb);
    if (na !== undefined) return this.cell('$_XNOR_', [na, b]);
    if (nb !== undefined) return this.cell('$_XNOR_', [a, nb]);
    return this.cell('$_XOR_', [a, b]);
  }

  nand(a: Bit, b: Bit): Bit {
    const s = this.simplifyAnd(a, b);
    if (s !== undefined) return this.not(s);
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    // ~(~p & q) = p | ~q: inverted inputs go to OR/ORNOT instead of NAND + NOT.
    if (na !== undefined && nb !== undefined) return this.or(na, nb);
    if (na !== undefined) return this.ornot(na, b);
    if (nb !== undefined) return this.ornot(nb, a);
    return this.cell('$_NAND_', [a, b]);
  }

  nor(a: Bit, b: Bit): Bit {
    const s = this.simplifyOr(a, b);
    if (s !== undefined) return this.not(s);
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    // ~(~p | q) = p & ~q.
    if (na !== undefined && nb !== undefined) return this.and(na, nb);
    if (na !== undefined) return this.andnot(na, b);
    if (nb !== undefined) return this.andnot(nb, a);
    return this.cell('$_NOR_', [a, b]);
  }

  xnor(a: Bit, b: Bit): Bit {
    const s = this.simplifyXor(a, b);
    if (s !== undefined) return this.not(s);
    const na = this.notOf.get(a),
      nb = this.notOf.get(b);
    if (na !== undefined && nb !== undefined) return this.xnor(na, nb);
    if (na !== undefined) return this.xor(na, b);
    if (nb !== undefined) return this.xor(a, nb);
    return this.cell('$_XNOR_', [a, b]);
  }

  /** a & ~b */
  andnot(a: Bit, b: Bit): Bit {
    if (a === b) return ZERO;
    if (b <= 1 || a <= 1 || a === b || this.complementary(a, b)) return this.and(a, this.not(b));
    const nb = this.notOf.get(b);
    return nb !== undefined ? this.and(a, nb) : this.cell('$_ANDNOT_', [a, b]);
  }

  /** a | ~b */
  ornot(a: Bit, b: Bit): Bit {
    if (a === b) return ONE;
    if (b <= 1 || a <= 1 || a === b || this.complementary(a, b)) return this.or(a, this.not(b));
    const nb = this.notOf.get(b);
    return nb !== undefined ? this.or(a, nb) : this.cell('$_ORNOT_', [a, b]);
  }

  /** s ? b : a */
  mux(a: Bit, b: Bit, s: Bit): Bit {
    if (s === ZERO || a === b) return a;
    if (s === ONE) return b;
    if (a === ZERO && b === ONE) return s;
    if (a === ONE && b === ZERO) return this.not(s);
    if (a === ZERO) return this.and(s, b);
    if (b === ZERO) return this.andnot(a, s);
    if (a === ONE) return this.ornot(b, s);
    if (b === ONE) return this.or(a, s);
    if (a === s) return this.and(s, b);
    if (b === s) return this.or(a, s);
    const ns = this.notOf.get(s);
    if (ns !== undefined) return this.mux(b, a, ns);
    if (this.complementary(a, b)) return this.xor(a, s);
    return this.cell('$_MUX_', [a, b, s]);
  }

  /** A positive-edge D flip-flop; never hashed (two registers of one signal are two registers). */
  dff(d: Bit, clk: Bit): Bit {
    return this.net.addCell('$_DFF_P_', [d, clk]);
  }

  private simplifyAnd(a: Bit, b: Bit): Bit | undefined {
    if (a === ZERO || b === ZERO) return ZERO;
    if (a === ONE) return b;
    if (b === ONE) return a;
    if (a === b) return a;
    if (this.complementary(a, b)) return ZERO;
    return undefined;
  }

  private simplifyOr(a: Bit, b: Bit): Bit | undefined {
    if (a === ONE || b === ONE) return ONE;
    if (a === ZERO) return b;
    if (b === ZERO) return a;
    if (a === b) return a;
    if (this.complementary(a, b)) return ONE;
    return undefined;
  }

  private simplifyXor(a: Bit, b: Bit): Bit | undefined {
    if (a === ZERO) return b;
    if (b === ZERO) return a;
    if (a === ONE) return this.not(b);
    if (b === ONE) return this.not(a);
    if (a === b) return ZERO;
    if (this.complementary(a, b)) return ONE;
    return undefined;
  }
}

/**
 * Dead-cell removal: keeps only cells whose output reaches an output port
 * (through any number of cells and registers). Returns the number removed.
 * Run it when building is finished: a builder's structural hash may still
 * hand out a removed cell's net.
 */
export function prune(net: Netlist): number {
  const driver = new Map<Bit, number>();
  net.cells.forEach((c, i) => driver.set(c.output, i));
  const live = new Uint8Array(net.cells.length);
  const stack: Bit[] = net.outputs().flatMap((p) => [...p.bits]);
  while (stack.length > 0) {
    const i = driver.get(stack.pop()!);
    if (i === undefined || live[i]) continue;
    live[i] = 1;
    stack.push(...net.cells[i].inputs);
  }
  const kept = net.cells.filter((_, i) => live[i]);
  const removed = net.cells.length - kept.length;
  net.cells.splice(0, net.cells.length, ...kept);
  return removed;
}
