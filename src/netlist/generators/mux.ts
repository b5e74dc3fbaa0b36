import type { CircuitBuilder } from '../builder.js';
import type { Bit } from '../ir.js';

/** Bitwise s ? c : a over equal-width vectors (one $_MUX_ per bit before constant folding). */
export function muxBits(b: CircuitBuilder, a: readonly Bit[], c: readonly Bit[], s: Bit): Bit[] {
  if (a.length !== c.length) throw new Error(`internal: muxBits needs equal widths, got ${a.length} and ${c.length}`);
  return a.map((ai, i) => b.mux(ai, c[i], s));
}

/** Bitwise AND of every bit with one enable: x & en (zero when en = 0). */
export function gateBits(b: CircuitBuilder, x: readonly Bit[], en: Bit): Bit[] {
  return x.map((xi) => b.and(xi, en));
}
