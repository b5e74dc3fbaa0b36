import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convShape,
  denseShape,
  dramTraffic,
  estimateAccelerator,
  parseSramKb,
  sramTraffic,
  systolicCycles,
  techFigures,
  type Dataflow,
  type LayerCostInput,
} from '../../src/hardware/index.js';
import { UserError } from '../../src/errors.js';

/*
 * SCALE-Sim v2's memory model (docs/memory-model.md), expected values derived
 * by hand from its rules, not from the code under test.
 *
 * Layer: dense 64 -> 64, batch 1, 8-bit operands, 16 x 16 ws array, SRAMs of
 * 1 KB each (1024 one-byte elements: active half 512, prefetch half 512).
 * GEMM: S_R 64, S_C 64, T 1: 4 row folds x 4 column folds of 2*16 + 16 + 1 - 2 = 47 cycles.
 * Filter stream: column fold blocks of 64 rows x 16 = 1024 elements; fold (fc, fr)
 * needs elements [1024 fc + 256 fr, + 256). The window holds 512 elements:
 * folds (0,0), (0,1) hit the initial window; fold j = 4 fc + fr with fr = 2 or
 * fr = 0 (j = 2, 4, ..., 14) moves it: 7 moves, move k at demand row 94 k.
 * Ifmap stream (64 elements) fits its active half; ofmap writes 4 * 64 = 256 < 512:
 * neither stalls.
 * At B bytes/cycle a move fetches ceil(512 / B) lines and completes at
 * F_k = -1 + k (ceil(512 / B) + 1); the request at cycle 94 k + S (S: stalls so
 * far) waits d_k = F_k - (94 k + S + 1) and SCALE-Sim adds 2 d_k when d_k > 0.
 */
const w8 = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32 };
const A16 = { rows: 16, cols: 16 };
const layer = denseShape('fc', 64, 64);
const e = systolicCycles(layer, A16, 'ws');
const kb1 = { ifmap: 1, filter: 1, ofmap: 1 };

function handStalls(bw: number): number {
  const fetch = Math.ceil(512 / bw) + 1;
  let s = 0;
  for (let k = 1; k <= 7; k++) {
    const d = -1 + k * fetch - (94 * k + s + 1);
    if (d > 0) s += 2 * d;
  }
  return s;
}

describe('SCALE-Sim memory model: stalls', () => {
  it('the layer has 16 folds of 47 cycles', () => {
    expect([e.rowFolds, e.colFolds, e.cyclesPerFold]).toEqual([4, 4, 47]);
  });

  it('compute-bound at 8 B/cycle: every prefetch (65 cycles) is done before its 94-cycle turn', () => {
    expect(handStalls(8)).toBe(0);
    const t = dramTraffic(e, A16, w8, { bytesPerCycle: 8, sramKb: kb1 });
    expect(t.stallCycles).toBe(0);
    expect(t.memoryBound).toBe(false);
  });

  it('memory-bound at 1 B/cycle: 513-cycle prefetches against 94-cycle turns', () => {
    // d = 417, 2, 417, 2, 417, 2, 417 -> 834 + 4 + 834 + 4 + 834 + 4 + 834.
    expect(handStalls(1)).toBe(3348);
    const t = dramTraffic(e, A16, w8, { bytesPerCycle: 1, sramKb: kb1 });
    expect(t.stallCycles).toBe(3348);
    expect(t.memoryBound).toBe(true);
  });

  it('DRAM reads: the initial active half plus 512 elements per move; writes: every output write', () => {
    for (const bw of [1, 2, 8]) {
      const t = dramTraffic(e, A16, w8, { bytesPerCycle: bw, sramKb: kb1 });
      expect(t.filterReadBytes).toBe(512 + 7 * Math.ceil(512 / bw) * bw);
      expect(t.ifmapReadBytes).toBe(Math.ceil(64 / bw) * bw);
      expect(t.writeBytes).toBe(4 * 64);
    }
  });

  it('the accelerator adds the stalls: cycles = compute + stall, per layer and in total', () => {
    const unit = { areaUm2: 1, delayPs: 1000, energyPjPerOp: 0, cycles: 0 };
    const layers: LayerCostInput[] = [{ name: 'fc', shape: layer, widths: w8, pe: unit, activation: null, requant: null }];
    const base = { array: A16, dataflow: 'ws' as const, tech: techFigures('nangate45') };
    const off = estimateAccelerator(layers, base);
    expect(off.total).toMatchObject({ computeCycles: 752, stallCycles: 0, cycles: 752 });
    const on = estimateAccelerator(layers, { ...base, dramBytesPerCycle: 1, sramKb: kb1 });
    expect(on.layers[0]).toMatchObject({ computeCycles: 752, stallCycles: 3348, cycles: 752 + 3348 });
    expect(on.total.breakdown.sramBits).toEqual({ weight: 8192, activation: 8192, output: 8192 });
  });
});

describe('SCALE-Sim memory model: overlapping windows, by hand', () => {
  /*
   * 1 x 3 kernel, stride 1, over a 1 x 4 ifmap of 1 channel: 2 output pixels, window 3, addresses
   * pixel + tap. ws on a 3 x 1 array: one fold of 2R + C + T - 2 = 7 cycles; the ifmap block (2
   * pixels x 3 taps) rolls out along anti-diagonals, highest row first: addresses 0 | 1 1 | 2 2 | 3
   * at positions 0 .. 5; demand row 3 + k asks for diagonal k (positions 0; 1-2; 3-4; 5).
   * Ifmap SRAM 2 elements at 1 B/cycle: active 1 line of 1, 7 lines, each move 1 line, fetch k
   * done at F_k = -1 + 2k. Filter (3 elements) and ofmap SRAMs hold everything: no stalls there.
   * By value: row 4 (cycle 4): position 1 misses, move 1 (d = 1 - 5 < 0), position 2 holds the same
   * address as position 1: hit. Row 5 (cycle 5): address 2 lies in lines 3, 4; moves 2 (d = 3 - 6,
   * offset -2) and 3 (d = 5 - 3 = 2, counted twice: offset 2): stall 1; position 4 hits line 3.
   * Row 6 (cycle 7): moves 4 (d = 7 - 8, offset 0) and 5 (d = 9 - 7 = 2: offset 4): stall 3. Total 4.
   * By position: row 4 moves twice (lines 1 and 2; d = -4, then 3 - 1 = 2: stall 0); row 5 moves to
   * line 3 (d = -1, offset 0) and 4 (d = 7 - 5 = 2: offset 4): stall 3; row 6 (cycle 9) moves to
   * line 5 (d = -1): no stall. Total 3.
   */
  const im2col = { H: 1, W: 4, strides: [1, 1] as const, dilations: [1, 1] as const };
  const shape = convShape('c', { Fh: 1, Fw: 3, Cin: 1, filters: 1, outputPixels: 2, im2col });
  const A = { rows: 3, cols: 1 };
  const est = systolicCycles(shape, A, 'ws');
  const mem = { bytesPerCycle: 1, sramKb: { ifmap: 2 / 1024, filter: 1, ofmap: 1 } };

  it("a neighbouring window's copy is a hit: 4 stall cycles by value, 3 by stream position", () => {
    expect([est.folds, est.cyclesPerFold]).toEqual([1, 7]);
    expect(dramTraffic(est, A, w8, mem, shape).stallCycles).toBe(4);
    expect(dramTraffic(est, A, w8, mem).stallCycles).toBe(3);
  });
});

const arb = fc.record({
  k: fc.integer({ min: 1, max: 80 }),
  n: fc.integer({ min: 1, max: 80 }),
  batch: fc.integer({ min: 1, max: 6 }),
  rows: fc.integer({ min: 2, max: 12 }),
  cols: fc.integer({ min: 2, max: 12 }),
  df: fc.constantFrom<Dataflow>('ws', 'os', 'is'),
  bw: fc.integer({ min: 1, max: 16 }),
  kb: fc.integer({ min: 1, max: 3 }),
});

describe('SCALE-Sim memory model: properties', () => {
  it('a bandwidth that moves every stream in one line never stalls', () => {
    fc.assert(
      fc.property(arb, ({ k, n, batch, rows, cols, df, kb }) => {
        const l = denseShape('d', k, n, batch);
        const est = systolicCycles(l, { rows, cols }, df);
        const huge = (k + 1) * (n + 1) * (batch + 1) * 8;
        const t = dramTraffic(est, { rows, cols }, w8, { bytesPerCycle: huge, sramKb: { ifmap: kb, filter: kb, ofmap: kb } });
        expect(t.stallCycles).toBe(0);
      }),
      { seed: 15, numRuns: 150 },
    );
  });

  it('SRAMs that hold whole streams never stall when a line is as wide as the array (no port conflicts)', () => {
    fc.assert(
      fc.property(arb, ({ k, n, batch, rows, cols, df }) => {
        // a demand row asks for at most max(R, C) consecutive stream elements: 2 lines at most
        const bw = Math.max(rows, cols);
        const l = denseShape('d', k, n, batch);
        const est = systolicCycles(l, { rows, cols }, df);
        // every stream and all output writes (<= 80 * 80 * 6 * 12 elements) fit in half of 512 KB
        const t = dramTraffic(est, { rows, cols }, w8, { bytesPerCycle: bw, sramKb: { ifmap: 512, filter: 512, ofmap: 512 } });
        expect(t.stallCycles).toBe(0);
      }),
      { seed: 16, numRuns: 150 },
    );
  });

  it('port conflicts alone: a row found in L lines costs ceil(L / 2) - 1 cycles', () => {
    // 64 -> 64 ws on 16 x 16, SRAMs of 512 KB (nothing ever moves), 1 B/cycle: lines of 1 element.
    // Each fold loads 16 filter rows of 16 elements (16 lines: 7 extra cycles each);
    // ifmap rows ask for 1 element (T = 1), the ofmap writes never wait: 16 folds * 16 * 7.
    const big = { ifmap: 512, filter: 512, ofmap: 512 };
    expect(dramTraffic(e, A16, w8, { bytesPerCycle: 1, sramKb: big }).stallCycles).toBe(16 * 16 * 7);
    // 2 B/cycle: 8 lines, 3 extra; 8 B/cycle: 2 lines, none
    expect(dramTraffic(e, A16, w8, { bytesPerCycle: 2, sramKb: big }).stallCycles).toBe(16 * 16 * 3);
    expect(dramTraffic(e, A16, w8, { bytesPerCycle: 8, sramKb: big }).stallCycles).toBe(0);
  });

  it('stalls never grow when the bandwidth is multiplied, where demand follows the stream (ws, one fold, only the ifmap SRAM small)', () => {
    // a span in L lines of bw elements lies in at most L lines of m * bw elements: port conflicts do not grow either
    // SCALE-Sim's window is not monotone in general (docs/memory-model.md): near a fold boundary the
    // rolled-out stream puts the next fold's first elements before this fold's last, and a fold that
    // asks for a stationary block's last row first can push the window past rows it still needs.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 2, max: 4 }),
        (k, n, batch, bw, m) => {
          const l = denseShape('d', k, n, batch);
          const est = systolicCycles(l, { rows: 8, cols: 8 }, 'ws');
          const mem = (b: number) => ({ bytesPerCycle: b, sramKb: { ifmap: 1, filter: 1024, ofmap: 1024 } });
          const slow = dramTraffic(est, { rows: 8, cols: 8 }, w8, mem(bw)).stallCycles;
          expect(dramTraffic(est, { rows: 8, cols: 8 }, w8, mem(bw * m)).stallCycles).toBeLessThanOrEqual(slow);
        },
      ),
      { seed: 18, numRuns: 100 },
    );
  });

  it('writes equal the SCALE-Sim ofmap write count; stalls never fall below zero', () => {
    fc.assert(
      fc.property(arb, ({ k, n, batch, rows, cols, df, bw, kb }) => {
        const l = denseShape('d', k, n, batch);
        const est = systolicCycles(l, { rows, cols }, df);
        const t = dramTraffic(est, { rows, cols }, w8, { bytesPerCycle: bw, sramKb: { ifmap: kb, filter: kb, ofmap: kb } });
        // SCALE-Sim: ws and is write T x S_C per row fold (ws: T = batch, S_C = n; is: T = n, S_C = batch);
        // os writes S_R x S_C = batch x n once.
        expect(t.writeBytes).toBe((df === 'os' ? 1 : Math.ceil(k / rows)) * batch * n);
        expect(t.stallCycles).toBeGreaterThanOrEqual(0);
      }),
      { seed: 17, numRuns: 150 },
    );
  });
});

describe('SRAM traffic equals SCALE-Sim counts', () => {
  // conv 3x3, Cin 4, 8 filters, 5x5 output pixels on 8x4: S_R window 36, pixels 25.
  const conv = convShape('c', { Fh: 3, Fw: 3, Cin: 4, filters: 8, outputPixels: 25 });
  it.each([
    // ws: ifmap colFolds * T * S_R, filter S_R * S_C, ofmap rowFolds * T * S_C
    ['ws', { ifmapReads: 2 * 25 * 36, filterReads: 36 * 8, outputWrites: 25 * 8, partialSumWrites: 4 * 25 * 8 }],
    // os: S_R = 25 pixels, S_C = 8 filters, T = 36: ifmap colFolds * S_R * T, filter rowFolds * T * S_C
    ['os', { ifmapReads: 2 * 25 * 36, filterReads: 4 * 36 * 8, outputWrites: 25 * 8, partialSumWrites: 0 }],
    // is: S_R = 36 window, S_C = 25 pixels, T = 8: ifmap S_R * S_C, filter colFolds * T * S_R, ofmap rowFolds * T * S_C
    ['is', { ifmapReads: 36 * 25, filterReads: 7 * 8 * 36, outputWrites: 25 * 8, partialSumWrites: 4 * 8 * 25 }],
  ] as const)('%s', (df, want) => {
    const t = sramTraffic(systolicCycles(conv, { rows: 8, cols: 4 }, df));
    expect(t).toMatchObject(want);
  });
});

describe('memory options', () => {
  it('bad bandwidths and SRAM sizes are user errors', () => {
    expect(() => dramTraffic(e, A16, w8, { bytesPerCycle: 0, sramKb: kb1 })).toThrow(UserError);
    expect(() => dramTraffic(e, A16, w8, { bytesPerCycle: 1.5, sramKb: kb1 })).toThrow(/bytes per cycle/);
    expect(() => dramTraffic(e, A16, { ...w8, weightBits: 16 }, { bytesPerCycle: 1, sramKb: kb1 })).toThrow(/below one filter element/);
    expect(parseSramKb('64, 32,16')).toEqual({ ifmap: 64, filter: 32, ofmap: 16 });
    expect(() => parseSramKb('64,32')).toThrow(/ifmap,filter,ofmap/);
    expect(() => parseSramKb('64,0,1')).toThrow(UserError);
  });
});
