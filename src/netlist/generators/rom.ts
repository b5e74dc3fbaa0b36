import type { CircuitBuilder } from '../builder.js';
import { ONE, ZERO, type Bit } from '../ir.js';

/**
 * ROM-to-logic: output bit j is the Boolean function i -> bit j of table[i]
 * over the index bits (table[i] is the raw output pattern for raw index i).
 * Each function is built by Shannon decomposition on the top index bit,
 * f = x_top ? f_hi : f_lo, where f_lo / f_hi are the lower / upper halves of
 * the truth table. Sub-functions are memoised on their truth-table content
 * (shared across all output bits and levels), so identical sub-functions are
 * built once and a complemented one costs one inverter; halves that agree
 * skip the variable; constant halves fold (the builder turns a mux with a
 * constant input into AND/OR). One-variable tables are wires or inverters.
 */
export function rom(b: CircuitBuilder, index: readonly Bit[], table: readonly bigint[], outWidth: number): Bit[] {
  const n = index.length;
  if (n > 24) throw new Error(`internal: rom index of ${n} bits is too wide (at most 24)`);
  if (table.length !== 2 ** n) throw new Error(`internal: rom table has ${table.length} entries, expected 2^${n}`);
  const memo = new Map<string, Bit>();
  const out: Bit[] = [];
  for (let j = 0; j < outWidth; j++) {
    out.push(build(b, index, memo, truthTable(table, j), n));
  }
  return out;
}

/** Bit j of every entry, packed 32 entries per word (entry i at bit i%32 of word i>>5). */
function truthTable(table: readonly bigint[], j: number): Uint32Array {
  const words = new Uint32Array(Math.max(1, table.length >>> 5));
  const bj = BigInt(j);
  for (let i = 0; i < table.length; i++) {
    if (((table[i] >> bj) & 1n) === 1n) words[i >>> 5] |= 1 << (i & 31);
  }
  return words;
}

/** Content key of an n-variable truth table (n < 5 uses the low 2^n bits of one word). */
function keyOf(t: Uint32Array, n: number): string {
  if (n < 5) return n + ':' + (t[0] & lowMask(n));
  let s = n + ':';
  for (let i = 0; i < t.length; i++) s += t[i].toString(36) + ',';
  return s;
}

function lowMask(n: number): number {
  return n >= 5 ? 0xffffffff : 2 ** (2 ** n) - 1;
}

function complementOf(t: Uint32Array, n: number): Uint32Array {
  const c = new Uint32Array(t.length);
  for (let i = 0; i < t.length; i++) c[i] = ~t[i] >>> 0;
  if (n < 5) c[0] &= lowMask(n);
  return c;
}

function constantOf(t: Uint32Array, n: number): Bit | undefined {
  const m = lowMask(n) >>> 0;
  if (t.every((w) => (w & m) >>> 0 === 0)) return ZERO;
  if (t.every((w) => (w & m) >>> 0 === m)) return ONE;
  return undefined;
}

/** The halves of an n-variable table: entries with x_{n-1} = 0, and with x_{n-1} = 1. */
function halves(t: Uint32Array, n: number): [Uint32Array, Uint32Array] {
  if (n > 5) {
    const h = t.length >>> 1;
    return [t.slice(0, h), t.slice(h)];
  }
  const half = 2 ** (n - 1);
  const m = lowMask(n - 1) >>> 0;
  return [Uint32Array.of((t[0] & m) >>> 0), Uint32Array.of((t[0] >>> half) & m)];
}

function build(b: CircuitBuilder, index: readonly Bit[], memo: Map<string, Bit>, t: Uint32Array, n: number): Bit {
  const c = constantOf(t, n);
  if (c !== undefined) return c;
  const key = keyOf(t, n);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const notHit = memo.get(keyOf(complementOf(t, n), n));
  if (notHit !== undefined) return b.not(notHit);
  const [lo, hi] = halves(t, n);
  const loBit = build(b, index, memo, lo, n - 1);
  const hiBit = keyOf(lo, n - 1) === keyOf(hi, n - 1) ? loBit : build(b, index, memo, hi, n - 1);
  const r = b.mux(loBit, hiBit, index[n - 1]);
  memo.set(key, r);
  return r;
}
