import { compareConst } from '../netlist/index.js';
import type { CircuitBuilder } from '../netlist/builder.js';
import { ZERO, type Bit } from '../netlist/ir.js';

/**
 * floor(a / 3) and a mod 3 of an unsigned vector, by restoring division from
 * the MSB down. The remainder r in {0, 1, 2} is carried as two bits (r1 = [r == 2],
 * r0 = [r == 1]); per input bit x: t = 2r + x, q = [t >= 3], r' = t - 3q.
 * Five cells per bit, depth about two per bit.
 */
export function divideByThree(b: CircuitBuilder, a: readonly Bit[]): { q: Bit[]; r0: Bit; r1: Bit } {
  const q: Bit[] = new Array<Bit>(a.length);
  let r0: Bit = ZERO,
    r1: Bit = ZERO;
  for (let i = a.length - 1; i >= 0; i--) {
    const x = a[i];
    q[i] = b.or(r1, b.and(r0, x));
    const n1 = b.mux(r0, r1, x); // r' = 2: (r = 1, x = 0) or (r = 2, x = 1)
    const n0 = b.mux(r1, b.nor(r0, r1), x); // r' = 1: (r = 2, x = 0) or (r = 0, x = 1)
    r0 = n0;
    r1 = n1;
  }
  return { q, r0, r1 };
}

/**
 * Estimated cells of compareConst(x op c): it compares against k = c (+2^(W-1)
 * when signed) from the MSB, and for x < k the bits below k's lowest one, for
 * x > k the bits below its lowest zero, do not matter. An estimate used only
 * to choose between equivalent comparisons; results never depend on it.
 */
function compareCost(w: number, signed: boolean, c: bigint, op: '<' | '<=' | '>' | '>='): number {
  const max = (1n << BigInt(w)) - 1n;
  let k = c + (signed ? 1n << BigInt(w - 1) : 0n);
  if (op === '<=') k += 1n;
  if (op === '>=') k -= 1n;
  const less = op === '<' || op === '<=';
  if (less ? k <= 0n || k > max : k < 0n || k >= max) return 0; // folds to a constant
  let skipped = 0;
  while (((k >> BigInt(skipped)) & 1n) === (less ? 0n : 1n)) skipped++;
  return w - skipped;
}

/** The cheapest (by compareCost) of several comparisons the caller knows to be interchangeable. */
export function cheapestCompare(
  b: CircuitBuilder,
  x: readonly Bit[],
  signed: boolean,
  forms: readonly [bigint, '<' | '<=' | '>' | '>='][],
): Bit {
  let best = forms[0];
  for (const f of forms) if (compareCost(x.length, signed, ...f) < compareCost(x.length, signed, ...best)) best = f;
  return compareConst(b, x, best[0], best[1], signed);
}
