import type { Cut } from './cuts.js';
import type { Match } from './match.js';

/** a < b beyond rounding (relative, so that a uniformly scaled library maps the same way). */
export const less = (a: number, b: number) => (b === Infinity ? a < b : a < b - 1e-9 * Math.abs(b));

/**
 * Exact-area recovery over a mapped cover (the local area recovery of
 * Mishchenko, Chatterjee, Brayton, "Improvements to technology mapping for
 * LUT-based FPGAs", FPGA 2006, applied to cells): every used literal is
 * re-mapped, in topological order, to the candidate whose cells not already
 * in the cover are least in area (counted by referencing the candidate's
 * leaves and dereferencing them again), among candidates meeting the
 * literal's required time. An inverter on the other polarity of the same node
 * costs one inverter when that polarity is already built.
 */
export type Choice = { readonly cut: Cut; readonly match: Match } | 'inv' | 'const' | null;

export interface CoverState {
  readonly choice: Choice[];
  readonly arr: Float64Array;
  readonly req: Float64Array;
  /** Users of each literal in the cover (cells and outputs). */
  readonly refs: Int32Array;
  readonly invArea: number;
  readonly invDelay: number;
  delayOf(c: Choice): number;
}

export function choiceLeaves(lit: number, c: Choice): number[] {
  if (c === 'inv') return [lit ^ 1];
  if (c === null || c === 'const') return [];
  return c.match.leafOfPin.map((leaf, j) => 2 * c.cut.leaves[leaf]! + ((c.match.complemented >> j) & 1));
}

function cellArea(s: CoverState, c: Choice): number {
  return c === 'inv' ? s.invArea : c === null || c === 'const' ? 0 : c.match.cell.areaUm2;
}

/** Area freed (deref) or added (ref) by dropping / taking the cells under `leaves`. */
function walk(s: CoverState, leaves: readonly number[], dir: 1 | -1): number {
  let area = 0;
  for (const l of leaves) {
    const before = s.refs[l]!;
    s.refs[l] = before + dir;
    if ((dir === 1 && before === 0) || (dir === -1 && before === 1)) {
      const c = s.choice[l]!;
      area += cellArea(s, c) + walk(s, choiceLeaves(l, c), dir);
    }
  }
  return area;
}

function arrivalOf(s: CoverState, lit: number, c: Choice): number {
  let a = 0;
  for (const l of choiceLeaves(lit, c)) a = Math.max(a, s.arr[l]!);
  return a + s.delayOf(c);
}

/** Re-maps used literal `lit` among `candidates` (rules in the file comment). */
export function recoverLiteral(s: CoverState, lit: number, candidates: readonly Choice[]): void {
  const current = s.choice[lit]!;
  walk(s, choiceLeaves(lit, current), -1);
  let best = current,
    bestArea = Infinity,
    bestArr = Infinity;
  for (const c of candidates) {
    const a = arrivalOf(s, lit, c);
    if (c === null || (c !== current && less(s.req[lit]!, a))) continue;
    const leaves = choiceLeaves(lit, c);
    const area = cellArea(s, c) + walk(s, leaves, 1);
    walk(s, leaves, -1);
    if (less(area, bestArea) || (!less(bestArea, area) && less(a, bestArr))) {
      best = c;
      bestArea = area;
      bestArr = a;
    }
  }
  s.choice[lit] = best;
  s.arr[lit] = arrivalOf(s, lit, best);
  walk(s, choiceLeaves(lit, best), 1);
}
