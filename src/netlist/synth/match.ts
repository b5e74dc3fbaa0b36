import type { CellLibrary, LibCell } from '../tech/library.js';

/**
 * Boolean matching of cut functions against a cell library: every way a cell
 * of n inputs computes a function of n cut leaves, each pin wired to one leaf
 * in either polarity. Key: (n, truth table over the n leaves, leaf i = bit i
 * of the minterm index). A cut function f and its complement are looked up
 * separately (the mapper builds both polarities of every node).
 */
export interface Match {
  readonly cell: LibCell;
  /** Leaf index driving each cell pin (cell.inputs order). */
  readonly leafOfPin: readonly number[];
  /** Bit j set: pin j takes its leaf complemented. */
  readonly complemented: number;
}

export type MatchTable = ReadonlyMap<number, readonly Match[]>;

export const matchKey = (leaves: number, truth: number) => leaves * 0x10000 + truth;

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  }
  return out;
}

/** Truth table over the leaves of `cell` wired by (perm, complemented). */
function wiredTruth(cell: LibCell, perm: readonly number[], complemented: number): number {
  const n = perm.length;
  let t = 0;
  for (let x = 0; x < 1 << n; x++) {
    let pattern = 0;
    for (let j = 0; j < n; j++) pattern |= (((x >> perm[j]!) & 1) ^ ((complemented >> j) & 1)) << j;
    if ((cell.truth! >> pattern) & 1) t |= 1 << x;
  }
  return t;
}

/** Every wiring of every combinational cell of 1-4 inputs (registers excluded). */
export function matchTable(lib: CellLibrary): MatchTable {
  const table = new Map<number, Match[]>();
  const seen = new Set<string>();
  for (const cell of lib.cells) {
    const n = cell.inputs.length;
    if (cell.truth === undefined || n > 4) continue;
    for (const perm of permutations(n)) {
      for (let c = 0; c < 1 << n; c++) {
        const key = matchKey(n, wiredTruth(cell, perm, c));
        // Wirings that differ only in which equivalent pin takes a leaf cost the same: keep one.
        let leafMask = 0;
        for (let j = 0; j < n; j++) if ((c >> j) & 1) leafMask |= 1 << perm[j]!;
        const id = `${key}:${cell.name}:${leafMask}`;
        if (seen.has(id)) continue;
        seen.add(id);
        let list = table.get(key);
        if (!list) table.set(key, (list = []));
        list.push({ cell, leafOfPin: perm, complemented: c });
      }
    }
  }
  return table;
}
