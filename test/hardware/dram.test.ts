import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denseShape,
  dramTraffic,
  estimateAccelerator,
  systolicCycles,
  techFigures,
  type LayerCostInput,
} from '../../src/hardware/index.js';
import { UserError } from '../../src/errors.js';

/*
 * Memory in the latency, expected values derived by hand from the documented
 * model (docs/cost-model.md): fill ceil(r/bw), steady max(0, ceil((r+w)/bw) - C)
 * per fold transition, drain ceil(w/bw), with r and w the per-fold DRAM bytes.
 */
const w8 = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32 };
// dense 64 -> 32 on 16x16 ws: S_R 64, S_C 32, T 1: 4 x 2 = 8 folds of 2*16 + 16 + 1 - 2 = 47 cycles (376 compute).
// DRAM: read 64*32 weights + 64 inputs = 2112 B, write 32 B; per fold r = 264, w = 4.
const layer = denseShape('fc', 64, 32);
const e = systolicCycles(layer, { rows: 16, cols: 16 }, 'ws');

describe('DRAM traffic and stalls', () => {
  it('compute-bound at 64 B/cycle: fill 5 + drain 1 cycles only', () => {
    expect(e.folds).toBe(8);
    expect(e.cyclesPerFold).toBe(47);
    const t = dramTraffic(layer, w8, e, 64);
    expect(t).toEqual({ readBytes: 2112, writeBytes: 32, stallCycles: 5 + 0 + 1, memoryBound: false });
  });

  it('memory-bound at 2 B/cycle: fill 132, 7 transitions of 134 - 47, drain 2', () => {
    const t = dramTraffic(layer, w8, e, 2);
    expect(t.stallCycles).toBe(132 + 7 * (134 - 47) + 2);
    expect(t.memoryBound).toBe(true);
  });

  it('the accelerator adds the stalls: cycles = compute + stall, per layer and in total', () => {
    const unit = { areaUm2: 1, delayPs: 1000, energyPjPerOp: 0, cycles: 0 };
    const layers: LayerCostInput[] = [{ name: 'fc', shape: layer, widths: w8, pe: unit, activation: null, requant: null }];
    const base = { array: { rows: 16, cols: 16 }, dataflow: 'ws' as const, tech: techFigures('nangate45') };
    const off = estimateAccelerator(layers, base);
    expect(off.total).toMatchObject({ computeCycles: 376, stallCycles: 0, cycles: 376 });
    const on = estimateAccelerator(layers, { ...base, dramBytesPerCycle: 2 });
    expect(on.layers[0]).toMatchObject({ computeCycles: 376, stallCycles: 743, cycles: 376 + 743 });
    expect(on.total).toMatchObject({ computeCycles: 376, stallCycles: 743, cycles: 1119 });
  });

  it('more bandwidth never adds stalls (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        (k, n, bw, extra) => {
          const l = denseShape('d', k, n);
          const est = systolicCycles(l, { rows: 8, cols: 8 }, 'os');
          expect(dramTraffic(l, w8, est, bw + extra).stallCycles).toBeLessThanOrEqual(dramTraffic(l, w8, est, bw).stallCycles);
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });

  it('a bandwidth that is not positive is a user error', () => {
    expect(() => dramTraffic(layer, w8, e, 0)).toThrow(UserError);
    expect(() => dramTraffic(layer, w8, e, -1)).toThrow(/bytes per cycle/);
  });
});
