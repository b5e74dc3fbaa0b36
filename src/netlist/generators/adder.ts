import type { CircuitBuilder } from '../builder.js';
import { ONE, ZERO, type Bit } from '../ir.js';

export type AdderStyle = 'ripple' | 'kogge-stone';

function assertSameWidth(x: readonly Bit[], y: readonly Bit[], what: string): void {
  if (x.length !== y.length) throw new Error(`internal: ${what} needs equal widths, got ${x.length} and ${y.length}`);
}

/**
 * Full adder as XOR, XOR, MUX: carry = (a ^ b) ? cin : a. Three cells instead of
 * the five of the AND/OR form, and constant inputs fold through the builder.
 */
export function fullAdder(b: CircuitBuilder, a: Bit, c: Bit, cin: Bit): { sum: Bit; carry: Bit } {
  const p = b.xor(a, c);
  return { sum: b.xor(p, cin), carry: b.mux(a, cin, p) };
}

/**
 * x + y + cin modulo 2^W (W = common width) and the carry out of bit W-1.
 * Unsigned: carry is bit W of the exact sum. 'ripple' is W full adders in a
 * chain (depth O(W)); 'kogge-stone' is a parallel-prefix carry network
 * (depth O(log W), about W log W prefix cells).
 */
export function add(
  b: CircuitBuilder,
  x: readonly Bit[],
  y: readonly Bit[],
  cin: Bit = ZERO,
  style: AdderStyle = 'ripple',
): { sum: Bit[]; carry: Bit } {
  assertSameWidth(x, y, 'add');
  return style === 'kogge-stone' ? koggeStone(b, x, y, cin) : ripple(b, x, y, cin);
}

function ripple(b: CircuitBuilder, x: readonly Bit[], y: readonly Bit[], cin: Bit): { sum: Bit[]; carry: Bit } {
  const sum: Bit[] = [];
  let carry = cin;
  for (let i = 0; i < x.length; i++) {
    const fa = fullAdder(b, x[i], y[i], carry);
    sum.push(fa.sum);
    carry = fa.carry;
  }
  return { sum, carry };
}

/**
 * Kogge-Stone: generate g = x&y and propagate p = x^y per bit; cin is folded
 * into bit 0's generate. log2(W) levels combine (G,P) pairs at distance 1,2,4..
 * with (G,P) o (G',P') = (G | P&G', P&P'); then carry into bit i+1 is G[i:0].
 */
function koggeStone(b: CircuitBuilder, x: readonly Bit[], y: readonly Bit[], cin: Bit): { sum: Bit[]; carry: Bit } {
  const w = x.length;
  if (w === 0) return { sum: [], carry: cin };
  const p = x.map((xi, i) => b.xor(xi, y[i]));
  let G = x.map((xi, i) => b.and(xi, y[i]));
  let P = [...p];
  G[0] = b.or(G[0], b.and(p[0], cin));
  for (let d = 1; d < w; d *= 2) {
    const nG = [...G],
      nP = [...P];
    for (let i = d; i < w; i++) {
      nG[i] = b.or(G[i], b.and(P[i], G[i - d]));
      nP[i] = b.and(P[i], P[i - d]);
    }
    G = nG;
    P = nP;
  }
  const sum = p.map((pi, i) => b.xor(pi, i === 0 ? cin : G[i - 1]));
  return { sum, carry: G[w - 1] };
}

/**
 * x - y modulo 2^W as x + ~y + 1; borrow = 1 exactly when x < y as unsigned
 * numbers (the complement of the adder's carry).
 */
export function subtract(
  b: CircuitBuilder,
  x: readonly Bit[],
  y: readonly Bit[],
  style: AdderStyle = 'ripple',
): { diff: Bit[]; borrow: Bit } {
  assertSameWidth(x, y, 'subtract');
  const r = add(
    b,
    x,
    y.map((v) => b.not(v)),
    ONE,
    style,
  );
  return { diff: r.sum, borrow: b.not(r.carry) };
}

/** x + cin modulo 2^W with a half-adder chain, and the carry out. */
export function increment(b: CircuitBuilder, x: readonly Bit[], cin: Bit = ONE): { sum: Bit[]; carry: Bit } {
  const sum: Bit[] = [];
  let c = cin;
  for (const xi of x) {
    sum.push(b.xor(xi, c));
    c = b.and(xi, c);
  }
  return { sum, carry: c };
}

/** -x modulo 2^W (two's complement: ~x + 1). The most negative value maps to itself. */
export function negate(b: CircuitBuilder, x: readonly Bit[]): Bit[] {
  return increment(
    b,
    x.map((v) => b.not(v)),
    ONE,
  ).sum;
}
