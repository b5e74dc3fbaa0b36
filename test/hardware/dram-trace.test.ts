import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convShape, denseShape, dramTraffic, systolicCycles, type Dataflow } from '../../src/hardware/index.js';
import { convOperands, scaleSimMatrices, scaleSimMatricesOf, scaleSimStalls } from './scalesim-trace.js';

/*
 * helu-sim's span-level memory model against the address-level restatement of
 * SCALE-Sim v2's memory system in scalesim-trace.ts (every address looked up,
 * every demand row built with SCALE-Sim's padding, skew and flips): equal stall
 * cycles, with SRAMs small enough that windows move, wrap and drain.
 */
const w8 = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32 };

describe('memory model against an address-level SCALE-Sim trace', () => {
  it('equal stall cycles on dense layers, every dataflow, small SRAMs and bandwidths', () => {
    let stalled = 0;
    fc.assert(
      fc.property(
        fc.record({
          k: fc.integer({ min: 1, max: 40 }),
          n: fc.integer({ min: 1, max: 40 }),
          batch: fc.integer({ min: 1, max: 6 }),
          R: fc.integer({ min: 2, max: 8 }),
          C: fc.integer({ min: 2, max: 8 }),
          df: fc.constantFrom<Dataflow>('ws', 'os', 'is'),
          bw: fc.integer({ min: 1, max: 12 }),
          si: fc.integer({ min: 2, max: 200 }),
          sf: fc.integer({ min: 2, max: 200 }),
          so: fc.integer({ min: 2, max: 200 }),
        }),
        ({ k, n, batch, R, C, df, bw, si, sf, so }) => {
          const e = systolicCycles(denseShape('d', k, n, batch), { rows: R, cols: C }, df);
          const m = scaleSimMatrices(df, k, n, batch, R, C);
          expect(m.oDem.length).toBe(e.cycles);
          const want = scaleSimStalls(m, { ifmap: si, filter: sf, ofmap: so }, bw);
          if (want > 0) stalled++;
          const sramKb = { ifmap: si / 1024, filter: sf / 1024, ofmap: so / 1024 };
          expect(dramTraffic(e, { rows: R, cols: C }, w8, { bytesPerCycle: bw, sramKb }).stallCycles).toBe(want);
        },
      ),
      { seed: 21, numRuns: 250 },
    );
    expect(stalled).toBeGreaterThan(100); // most drawn layers stall: the comparison is not of zeros
  });

  it('equal stall cycles on convolutions with overlapping windows (by-value ifmap hits), every dataflow', () => {
    let stalled = 0;
    let differs = 0;
    fc.assert(
      fc.property(
        fc.record({
          H: fc.integer({ min: 2, max: 9 }),
          W: fc.integer({ min: 2, max: 9 }),
          ch: fc.integer({ min: 1, max: 3 }),
          Fh: fc.integer({ min: 1, max: 4 }),
          Fw: fc.integer({ min: 1, max: 4 }),
          sh: fc.integer({ min: 1, max: 3 }),
          sw: fc.integer({ min: 1, max: 3 }),
          filters: fc.integer({ min: 1, max: 6 }),
          R: fc.integer({ min: 2, max: 8 }),
          C: fc.integer({ min: 2, max: 8 }),
          df: fc.constantFrom<Dataflow>('ws', 'os', 'is'),
          bw: fc.integer({ min: 1, max: 12 }),
          si: fc.integer({ min: 2, max: 200 }),
          sf: fc.integer({ min: 2, max: 200 }),
          so: fc.integer({ min: 2, max: 200 }),
        }),
        ({ H, W, ch, Fh, Fw, sh, sw, filters, R, C, df, bw, si, sf, so }) => {
          fc.pre(Fh <= H && Fw <= W);
          const g = { H, W, C: ch, Fh, Fw, sh, sw, filters };
          const outputPixels = (Math.floor((H - Fh) / sh) + 1) * (Math.floor((W - Fw) / sw) + 1);
          const im2col = { H, W, strides: [sh, sw] as const, dilations: [1, 1] as const };
          const shape = convShape('c', { Fh, Fw, Cin: ch, filters, outputPixels, im2col });
          const e = systolicCycles(shape, { rows: R, cols: C }, df);
          const m = scaleSimMatricesOf(df, convOperands(g), R, C);
          expect(m.oDem.length).toBe(e.cycles);
          const want = scaleSimStalls(m, { ifmap: si, filter: sf, ofmap: so }, bw);
          if (want > 0) stalled++;
          const mem = { bytesPerCycle: bw, sramKb: { ifmap: si / 1024, filter: sf / 1024, ofmap: so / 1024 } };
          const got = dramTraffic(e, { rows: R, cols: C }, w8, mem, shape).stallCycles;
          expect(got).toBe(want);
          // the same layer counted by stream position (no shared addresses): by-value hits must matter somewhere
          if (dramTraffic(e, { rows: R, cols: C }, w8, mem).stallCycles !== want) differs++;
        },
      ),
      { seed: 22, numRuns: 250 },
    );
    expect(stalled).toBeGreaterThan(100);
    expect(differs).toBeGreaterThan(10);
  });
});
