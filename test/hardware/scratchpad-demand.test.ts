import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseShape, systolicCycles, type Dataflow } from '../../src/hardware/index.js';
import { diagonalsBefore, foldDemand } from '../../src/hardware/scratchpad/demand.js';
import { scaleSimMatrices } from './scalesim-trace.js';

/*
 * The closed forms of the demand geometry against SCALE-Sim's matrices built
 * element by element (scalesim-trace.ts): for every demand row, the stream
 * positions of the addresses it asks for (their places in the prefetch
 * matrix, empty slots skipped) span exactly the range helu-sim computes, and
 * the output writes per row are the row's filled slots.
 */
function positions(pre: readonly number[]): Map<number, number> {
  const pos = new Map<number, number>();
  let p = 0;
  for (const v of pre) if (v !== -1) pos.set(v, p++);
  return pos;
}

function span(row: readonly number[], pos: Map<number, number>): [number, number] | null {
  const ps = row.filter((v) => v !== -1).map((v) => pos.get(v)!);
  return ps.length === 0 ? null : [Math.min(...ps), Math.max(...ps)];
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

  it("every row's spans and write counts equal SCALE-Sim's matrices", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<Dataflow>('ws', 'os', 'is'),
        (k, n, batch, R, C, df) => {
          const e = systolicCycles(denseShape('d', k, n, batch), { rows: R, cols: C }, df);
          const m = scaleSimMatrices(df, k, n, batch, R, C);
          const pi = positions(m.ifPre);
          const pf = positions(m.fPre);
          expect(m.ifDem.length).toBe(e.cycles);
          for (let i = 0; i < e.cycles; i++) {
            const j = Math.floor(i / e.cyclesPerFold);
            const d = foldDemand({ R, C, e }, Math.floor(j / e.rowFolds), j % e.rowFolds);
            const r = i % e.cyclesPerFold;
            expect(d.ifmap(r)).toEqual(span(m.ifDem[i]!, pi));
            expect(d.filter(r)).toEqual(span(m.fDem[i]!, pf));
            expect(d.writes(r)).toBe(m.oDem[i]!.filter((v) => v !== -1).length);
          }
        },
      ),
      { seed: 20, numRuns: 150 },
    );
  });
});
