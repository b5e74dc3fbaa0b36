import type { CircuitBuilder } from '../builder.js';
import { ONE, ZERO, type Bit } from '../ir.js';
import { extend } from '../bits.js';

export type CompareOp = '<' | '<=' | '>' | '>=' | '==';

/**
 * x < y for two vectors, as unsigned or two's-complement signed numbers
 * (operands of different widths are extended by their signedness first).
 * A borrow chain from the LSB: lt_{i+1} = (x_i ^ y_i) ? y_i : lt_i, so one
 * XOR and one MUX per bit. Signed: at the sign bit the roles swap (a set
 * sign bit is the smaller number): lt = (x_s ^ y_s) ? x_s : lt.
 */
export function lessThan(b: CircuitBuilder, x: readonly Bit[], y: readonly Bit[], signed: boolean): Bit {
  const w = Math.max(x.length, y.length);
  if (w === 0) return ZERO;
  const xs = extend(x, w, signed),
    ys = extend(y, w, signed);
  let lt: Bit = ZERO;
  for (let i = 0; i < w; i++) {
    const d = b.xor(xs[i], ys[i]);
    const top = signed && i === w - 1;
    lt = b.mux(lt, top ? xs[i] : ys[i], d);
  }
  return lt;
}

/** x == y (extended by signedness to a common width): XNOR per bit and an AND tree. */
export function equalBits(b: CircuitBuilder, x: readonly Bit[], y: readonly Bit[], signed: boolean): Bit {
  const w = Math.max(x.length, y.length);
  const xs = extend(x, w, signed),
    ys = extend(y, w, signed);
  return andTree(
    b,
    xs.map((xi, i) => b.xnor(xi, ys[i])),
  );
}

/** AND of all bits as a balanced tree (depth ceil(log2 n)); 1 for none. */
export function andTree(b: CircuitBuilder, bits: readonly Bit[]): Bit {
  return reduceTree(bits, ONE, (p, q) => b.and(p, q));
}

/** OR of all bits as a balanced tree; 0 for none. */
export function orTree(b: CircuitBuilder, bits: readonly Bit[]): Bit {
  return reduceTree(bits, ZERO, (p, q) => b.or(p, q));
}

function reduceTree(bits: readonly Bit[], empty: Bit, op: (p: Bit, q: Bit) => Bit): Bit {
  let level = [...bits];
  if (level.length === 0) return empty;
  while (level.length > 1) {
    const next: Bit[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(op(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/**
 * x OP c for a constant c (any bigint; values outside x's range fold to a
 * constant result). Signed inputs are mapped to unsigned order by flipping
 * the sign bit (x + 2^(W-1)), so only unsigned forms are built:
 *   x < k  from the MSB: k_i = 1 -> ~x_i | lt(rest), k_i = 0 -> ~x_i & lt(rest);
 *          bits of x below k's lowest set bit do not matter;
 *   x > k  dually with x_i and k's trailing ones; x <= k is x < k+1 and
 *   x >= k is x > k-1; x == k is an AND tree of literals.
 * Each relevant bit costs one 2-input cell (inverters fold into ANDNOT/ORNOT).
 */
export function compareConst(b: CircuitBuilder, x: readonly Bit[], c: bigint, op: CompareOp, signed: boolean): Bit {
  const w = x.length;
  const offset = signed && w > 0 ? 1n << BigInt(w - 1) : 0n;
  const xu = signed && w > 0 ? [...x.slice(0, w - 1), b.not(x[w - 1])] : [...x];
  const k = c + offset;
  switch (op) {
    case '<':
      return ltConst(b, xu, k);
    case '<=':
      return ltConst(b, xu, k + 1n);
    case '>':
      return gtConst(b, xu, k);
    case '>=':
      return gtConst(b, xu, k - 1n);
    case '==':
      return eqConst(b, xu, k);
  }
}

/** Unsigned x < k. */
function ltConst(b: CircuitBuilder, x: readonly Bit[], k: bigint): Bit {
  if (k <= 0n) return ZERO;
  if (k >= 1n << BigInt(x.length)) return ONE;
  let r: Bit = ZERO;
  for (let i = 0; i < x.length; i++) {
    const nx = b.not(x[i]);
    r = ((k >> BigInt(i)) & 1n) === 1n ? b.or(nx, r) : b.and(nx, r);
  }
  return r;
}

/** Unsigned x > k. */
function gtConst(b: CircuitBuilder, x: readonly Bit[], k: bigint): Bit {
  if (k < 0n) return ONE;
  if (k >= (1n << BigInt(x.length)) - 1n) return ZERO;
  let r: Bit = ZERO;
  for (let i = 0; i < x.length; i++) {
    r = ((k >> BigInt(i)) & 1n) === 1n ? b.and(x[i], r) : b.or(x[i], r);
  }
  return r;
}

/** Unsigned x == k. */
function eqConst(b: CircuitBuilder, x: readonly Bit[], k: bigint): Bit {
  if (k < 0n || k >= 1n << BigInt(x.length)) return ZERO;
  return andTree(
    b,
    x.map((xi, i) => (((k >> BigInt(i)) & 1n) === 1n ? xi : b.not(xi))),
  );
}
