import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseShape, systolicCycles, type Dataflow } from '../../src/hardware/index.js';
import { diagonalsBefore, foldDemand } from '../../src/hardware/scratchpad/demand.js';

/*
 * The closed forms of the demand geometry against SCALE-Sim's construction,
 * enumerated element by element here: a fold's operand block padded to the
 * array edge, null rows before and after, then the skew (column c delayed by
 * c cycles) for streamed operands and outputs; the stationary block's rows
 * flipped. Stream positions: streamed blocks in anti-diagonal order (t + c,
 * then by row, as SCALE-Sim's diagonal rollout), stationary blocks row-major.
 */
interface Demand {
  row: number;
  pos: number;
}

/** Streamed block T x W at fold cycles prefix + t + c; positions in anti-diagonal order. */
function streamedBrute(base: number, prefix: number, T: number, W: number): Demand[] {
  const cells: [number, number][] = [];
  for (let t = 0; t < T; t++) for (let c = 0; c < W; c++) cells.push([t, c]);
  const order = cells.slice().sort((a, b) => a[0] + a[1] - (b[0] + b[1]) || b[0] - a[0]);
  const pos = new Map(order.map(([t, c], i) => [`${t},${c}`, base + i]));
  return cells.map(([t, c]) => ({ row: prefix + t + c, pos: pos.get(`${t},${c}`)! }));
}

/** Stationary rows first..first+Rw-1 of an S_R x W block, flipped after R - Rw null rows. */
function stationaryBrute(base: number, first: number, R: number, Rw: number, W: number): Demand[] {
  const out: Demand[] = [];
  for (let j = 0; j < Rw; j++) for (let c = 0; c < W; c++) out.push({ row: R - Rw + j, pos: base + (first + Rw - 1 - j) * W + c });
  return out;
}

function spansOf(d: Demand[], rows: number): ([number, number] | null)[] {
  return Array.from({ length: rows }, (_, i) => {
    const ps = d.filter((x) => x.row === i).map((x) => x.pos);
    return ps.length === 0 ? null : [Math.min(...ps), Math.max(...ps)];
  });
}

describe('demand geometry', () => {
  it('diagonalsBefore counts t + c < k in a T x W block', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: -3, max: 65 }), (T, W, k) => {
        let n = 0;
        for (let t = 0; t < T; t++) for (let c = 0; c < W; c++) if (t + c < k) n++;
        expect(diagonalsBefore(k, T, W)).toBe(n);
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it("every fold's spans and write counts equal the element-by-element construction", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<Dataflow>('ws', 'os', 'is'),
        (k, n, batch, R, C, df) => {
          const e = systolicCycles(denseShape('d', k, n, batch), { rows: R, cols: C }, df);
          for (let fcI = 0; fcI < e.colFolds; fcI++)
            for (let fr = 0; fr < e.rowFolds; fr++) {
              const Rw = Math.min(R, e.sr - fr * R);
              const Cw = Math.min(C, e.sc - fcI * C);
              const d = foldDemand({ R, C, e }, fcI, fr);
              let ifmap: Demand[], filter: Demand[], writes: Demand[];
              if (df === 'os') {
                ifmap = streamedBrute(e.t * fr * R, 0, e.t, Rw);
                filter = streamedBrute(e.t * fcI * C, 0, e.t, Cw);
                writes = streamedBrute(0, e.t - 1 + (R - Rw), Rw, Cw);
              } else {
                const moving = streamedBrute(e.t * fr * R, R, e.t, Rw);
                const held = stationaryBrute(e.sr * fcI * C, fr * R, R, Rw, Cw);
                [ifmap, filter] = df === 'ws' ? [moving, held] : [held, moving];
                writes = streamedBrute(0, 2 * R - 1, e.t, Cw);
              }
              const rows = e.cyclesPerFold;
              expect(Array.from({ length: rows }, (_, i) => d.ifmap(i))).toEqual(spansOf(ifmap, rows));
              expect(Array.from({ length: rows }, (_, i) => d.filter(i))).toEqual(spansOf(filter, rows));
              expect(Array.from({ length: rows }, (_, i) => d.writes(i))).toEqual(
                Array.from({ length: rows }, (_, i) => writes.filter((x) => x.row === i).length),
              );
              // every demand and write falls inside the fold
              expect(Math.max(...ifmap.map((x) => x.row), ...filter.map((x) => x.row), ...writes.map((x) => x.row))).toBeLessThan(rows);
            }
        },
      ),
      { seed: 20, numRuns: 120 },
    );
  });
});
