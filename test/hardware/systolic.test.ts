import { describe, expect, it } from 'vitest';
import {
  convShape,
  denseShape,
  layerMacs,
  layerOutputs,
  parseArray,
  parseDataflow,
  sramTraffic,
  systolicCycles,
  type Dataflow,
  type LayerShape,
} from '../../src/hardware/index.js';
import { UserError } from '../../src/errors.js';

/** ceil(a / b) for positive integers, without floating division. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/**
 * SCALE-Sim v2 cycle model written from docs/cycle-model.md, independently of the
 * implementation: S_R, S_C, T per dataflow; folds = ceil(S_R/R)*ceil(S_C/C);
 * ws and is: 2R + C + T - 2 per fold; os: R + C + T - 2; groups run one after another.
 * is (SCALE-Sim's systolic_compute_is.py): S_R = window, S_C = output pixels, T = filters.
 */
function reference(
  p: { Fh: number; Fw: number; Cin: number; K: number; pix: number; batch: number; g: number },
  R: number,
  C: number,
  df: Dataflow,
) {
  const window = p.Fh * p.Fw * (p.Cin / p.g);
  const cols = p.K / p.g;
  const rows = p.pix * p.batch;
  const [SR, SC, T] = df === 'ws' ? [window, cols, rows] : df === 'is' ? [window, rows, cols] : [rows, cols, window];
  const folds = p.g * ceilDiv(SR, R) * ceilDiv(SC, C);
  const perFold = df === 'os' ? R + C + T - 2 : 2 * R + C + T - 2;
  return { folds, cycles: folds * perFold };
}

/** MACs by brute-force enumeration of every (sample, pixel, filter, tap) of a small layer. */
function bruteMacs(p: { Fh: number; Fw: number; Cin: number; K: number; pix: number; batch: number; g: number }): number {
  let n = 0;
  for (let b = 0; b < p.batch; b++)
    for (let px = 0; px < p.pix; px++)
      for (let k = 0; k < p.K; k++) {
        const group = Math.floor(k / (p.K / p.g));
        for (let c = 0; c < p.Cin; c++) {
          if (Math.floor(c / (p.Cin / p.g)) !== group) continue;
          n += p.Fh * p.Fw;
        }
      }
  return n;
}

const ARRAYS: [number, number][] = [
  [1, 1],
  [4, 4],
  [8, 16],
  [16, 16],
  [32, 8],
  [128, 128],
];

describe('SCALE-Sim cycle model', () => {
  it('matches the reference formula over a grid of conv and dense shapes, arrays and dataflows', () => {
    let compared = 0;
    for (const [R, C] of ARRAYS)
      for (const df of ['ws', 'os', 'is'] as const)
        for (const Fh of [1, 3, 5])
          for (const Cin of [1, 3, 16, 100])
            for (const K of [1, 8, 33, 64])
              for (const pix of [1, 49, 196])
                for (const batch of [1, 4]) {
                  const p = { Fh, Fw: Fh, Cin, K, pix, batch, g: 1 };
                  const shape: LayerShape =
                    Fh === 1 && pix === 1
                      ? denseShape('d', Cin, K, batch)
                      : convShape('c', { Fh, Fw: Fh, Cin, filters: K, outputPixels: pix, batch });
                  const e = systolicCycles(shape, { rows: R, cols: C }, df);
                  const ref = reference(p, R, C, df);
                  expect(e.folds).toBe(ref.folds);
                  expect(e.cycles).toBe(ref.cycles);
                  expect(e.macs).toBe(Fh * Fh * Cin * K * pix * batch);
                  expect(e.utilization).toBeCloseTo(e.macs / (R * C * ref.cycles), 12);
                  expect(e.utilization).toBeGreaterThan(0);
                  expect(e.utilization).toBeLessThanOrEqual(1);
                  compared++;
                }
    expect(compared).toBe(6 * 3 * 3 * 4 * 4 * 3 * 2);
  });

  it('handles grouped and depthwise convolution as one layer per group', () => {
    for (const [R, C] of ARRAYS)
      for (const df of ['ws', 'os', 'is'] as const)
        for (const [Cin, K, g] of [
          [4, 4, 4],
          [32, 32, 32],
          [16, 32, 4],
          [12, 6, 3],
        ] as const) {
          const p = { Fh: 3, Fw: 3, Cin, K, pix: 25, batch: 2, g };
          const shape = convShape('g', { Fh: 3, Fw: 3, Cin, filters: K, outputPixels: 25, batch: 2, groups: g });
          const e = systolicCycles(shape, { rows: R, cols: C }, df);
          const ref = reference(p, R, C, df);
          expect(e.folds).toBe(ref.folds);
          expect(e.cycles).toBe(ref.cycles);
        }
  });

  it('counts MACs like a brute-force enumeration', () => {
    for (const [Fh, Cin, K, pix, batch, g] of [
      [1, 5, 3, 1, 1, 1],
      [3, 4, 6, 9, 2, 2],
      [3, 4, 4, 4, 1, 4],
      [2, 6, 9, 5, 3, 3],
    ] as const) {
      const p = { Fh, Fw: Fh, Cin, K, pix, batch, g };
      const shape = convShape('m', { Fh, Fw: Fh, Cin, filters: K, outputPixels: pix, batch, groups: g });
      expect(layerMacs(shape)).toBe(bruteMacs(p));
      expect(layerOutputs(shape)).toBe(K * pix * batch);
    }
  });

  it('reproduces hand-computed cases', () => {
    const a16 = { rows: 16, cols: 16 };
    // dense 64 -> 10 on 16x16, ws: S_R 64, S_C 10, T 1: 4 folds of 32+16+1-2 = 47.
    const d = denseShape('fc', 64, 10);
    expect(systolicCycles(d, a16, 'ws')).toMatchObject({ sr: 64, sc: 10, t: 1, folds: 4, cyclesPerFold: 47, cycles: 188 });
    // os: S_R 1, S_C 10, T 64: 1 fold of 16+16+64-2 = 94.
    expect(systolicCycles(d, a16, 'os')).toMatchObject({ sr: 1, sc: 10, t: 64, folds: 1, cycles: 94 });
    // conv 3x3x3 -> 8, 32x32 outputs on 8x8: ws 4 folds * (16+8+1024-2) = 4184; os 128 folds * (8+8+27-2) = 5248.
    const c = convShape('conv', { Fh: 3, Fw: 3, Cin: 3, filters: 8, outputPixels: 1024 });
    expect(systolicCycles(c, { rows: 8, cols: 8 }, 'ws').cycles).toBe(4184);
    expect(systolicCycles(c, { rows: 8, cols: 8 }, 'os').cycles).toBe(5248);
    // depthwise 3x3, 4 channels, 10x10 outputs on 4x4 ws: per group 3 folds of 8+4+100-2 = 110; 4 groups: 1320.
    const dw = convShape('dw', { Fh: 3, Fw: 3, Cin: 4, filters: 4, outputPixels: 100, groups: 4 });
    expect(systolicCycles(dw, { rows: 4, cols: 4 }, 'ws')).toMatchObject({ folds: 12, cycles: 1320 });
    // dense batch 8 in os: S_R = batch.
    expect(systolicCycles(denseShape('b', 20, 5, 8), { rows: 4, cols: 4 }, 'os')).toMatchObject({ sr: 8, sc: 5, t: 20, folds: 4 });
  });

  it('counts SRAM traffic like SCALE-Sim demand requests', () => {
    const c = convShape('conv', { Fh: 3, Fw: 3, Cin: 8, filters: 40, outputPixels: 36 });
    const ws = sramTraffic(systolicCycles(c, { rows: 16, cols: 16 }, 'ws'));
    // S_R 72 (5 row folds), S_C 40 (3 col folds), T 36.
    expect(ws).toEqual({
      ifmapReads: 3 * 36 * 72,
      filterReads: 72 * 40,
      outputWrites: 36 * 40,
      partialSumWrites: 4 * 36 * 40,
      partialSumReads: 4 * 36 * 40,
    });
    const os = sramTraffic(systolicCycles(c, { rows: 16, cols: 16 }, 'os'));
    // S_R 36 (3 row folds), S_C 40 (3 col folds), T 72.
    expect(os).toEqual({
      ifmapReads: 3 * 36 * 72,
      filterReads: 3 * 72 * 40,
      outputWrites: 36 * 40,
      partialSumWrites: 0,
      partialSumReads: 0,
    });
  });

  it('parses arrays and dataflows, rejecting bad input with a UserError', () => {
    expect(parseArray('16x16')).toEqual({ rows: 16, cols: 16 });
    expect(parseArray(' 32X8 ')).toEqual({ rows: 32, cols: 8 });
    for (const bad of ['16', '0x4', '4x', 'x4', '16x16x2', '-4x4', '4.5x4', 'axb', '', '70000x1']) {
      expect(() => parseArray(bad)).toThrow(UserError);
    }
    expect(() => parseArray('0x4')).toThrow(/'0x4'.*RxC/);
    expect(parseDataflow('WS')).toBe('ws');
    expect(parseDataflow('os')).toBe('os');
    expect(parseDataflow(' IS ')).toBe('is');
    expect(() => parseDataflow('rs')).toThrow(UserError);
  });

  it('rejects malformed layer shapes', () => {
    expect(() =>
      systolicCycles(convShape('x', { Fh: 3, Fw: 3, Cin: 6, filters: 4, outputPixels: 4, groups: 4 }), { rows: 4, cols: 4 }, 'ws'),
    ).toThrow(/groups 4 must divide/);
    expect(() => systolicCycles(denseShape('y', 0, 4), { rows: 4, cols: 4 }, 'ws')).toThrow(UserError);
    expect(() => systolicCycles(denseShape('z', 4, 4), { rows: 0, cols: 4 }, 'ws')).toThrow(UserError);
  });
});
