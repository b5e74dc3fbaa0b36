import type { CircuitBuilder } from '../builder.js';
import type { Bit, Cell } from '../ir.js';
import { zeroExtend } from '../bits.js';
import type { AdderStyle } from './adder.js';
import { sumRows } from './rows.js';

/**
 * Exact product x * y, width Wx + Wy, as an array multiplier.
 * Unsigned operands get one zero bit on top, so both are signed (n and m
 * bits) and one Baugh-Wooley array covers every signedness mix:
 *   x*y = sum_{i<n-1,j<m-1} x_i y_j 2^(i+j) + x_{n-1} y_{m-1} 2^(n+m-2)
 *       + sum_j ~(x_{n-1} y_j) 2^(n-1+j) + sum_i ~(x_i y_{m-1}) 2^(i+m-1)
 *       + 2^(n-1) + 2^(m-1) + 2^(n+m-1)        (mod 2^(n+m)).
 * Complemented products of a padding zero become constant ones, which sumRows
 * merges with the correction into one constant row (for unsigned x unsigned
 * they cancel exactly). The result fits in Wx + Wy bits in every mix
 * (two's complement when either operand is signed), so truncation is exact.
 */
export function multiply(
  b: CircuitBuilder,
  x: readonly Bit[],
  y: readonly Bit[],
  signedX: boolean,
  signedY: boolean,
  style: AdderStyle = 'ripple',
): Bit[] {
  const wOut = x.length + y.length;
  const first = b.net.cells.length;
  if (x.length === 0 || y.length === 0) return zeroExtend([], wOut);
  const xs = signedX ? [...x] : [...x, 0];
  const ys = signedY ? [...y] : [...y, 0];
  const n = xs.length,
    m = ys.length,
    w = n + m;
  const rows: Bit[][] = [];
  for (let j = 0; j < m; j++) {
    const row: Bit[] = zeroExtend([], w);
    for (let i = 0; i < n; i++) {
      const pp = b.and(xs[i], ys[j]);
      row[i + j] = (i === n - 1) !== (j === m - 1) ? b.not(pp) : pp;
    }
    rows.push(row);
  }
  const corr = (1n << BigInt(n - 1)) + (1n << BigInt(m - 1)) + (1n << BigInt(w - 1));
  rows.push(constRow(corr, w));
  const trace = collector ? { width: w, stages: [] as { s: Bit[]; c: Bit[] }[], sum: [] as Bit[] } : undefined;
  const sum = sumRows(b, rows, w, style, trace ? (s, c) => trace.stages.push({ s: [...s], c: [...c] }) : undefined);
  if (trace && collector) collector.push({ ...trace, sum, cells: b.net.cells.slice(first) });
  return sum.slice(0, wOut);
}

/**
 * The cut points of one array multiplier as built: the carry-save pair (S, C)
 * after the first two rows and after every further row (all `width` bits,
 * S + C the running sum of the rows modulo 2^width), and the final sum
 * vector (the product's bits, then padding). Hints for a decomposed proof
 * (src/prove): each stage is proven on its own, so a wrong hint fails a proof
 * and never passes one.
 */
export interface MultiplierTrace {
  readonly width: number;
  readonly stages: readonly { readonly s: readonly Bit[]; readonly c: readonly Bit[] }[];
  readonly sum: readonly Bit[];
  /**
   * The cells the multiplier created, as built: `prune` later removes those
   * the unit does not read (an inverter the builder absorbed into its reader,
   * the low product bits a unit drops), while the trace still names them.
   */
  readonly cells: readonly Cell[];
}

let collector: MultiplierTrace[] | undefined;

/** Runs `build` (synchronous) and returns what it returned with the trace of every multiply() it called, in order. */
export function traceMultipliers<T>(build: () => T): { result: T; multipliers: MultiplierTrace[] } {
  const outer = collector;
  const multipliers: MultiplierTrace[] = [];
  collector = multipliers;
  try {
    return { result: build(), multipliers };
  } finally {
    collector = outer;
  }
}

function constRow(v: bigint, w: number): Bit[] {
  const r: Bit[] = [];
  let k = BigInt.asUintN(w, v);
  for (let i = 0; i < w; i++) {
    r.push(Number(k & 1n));
    k >>= 1n;
  }
  return r;
}
