import { describe, expect, it } from 'vitest';
import {
  acceleratorDelta,
  convShape,
  denseShape,
  estimateAccelerator,
  layerFootprint,
  peUnit,
  systolicCycles,
  techFigures,
  withActivationUnit,
  type AcceleratorOptions,
  type LayerCostInput,
  type SharedUnit,
  type UnitCost,
} from '../../src/hardware/index.js';
import { UserError } from '../../src/errors.js';

const tech = techFigures('nangate45');
const widths = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32, biasBits: 32 };
const pe: UnitCost = { areaUm2: 500, delayPs: 900, energyPjPerOp: 0.25, cycles: 1 };
const helu: SharedUnit = { key: 'helu', areaUm2: 6, delayPs: 40, energyPjPerOp: 0.001, cycles: 0, report: { name: 'helu', gates: 8 } };
const gelu: SharedUnit = { key: 'gelu', areaUm2: 400, delayPs: 1200, energyPjPerOp: 0.05, cycles: 2 };
const requant: SharedUnit = { key: 'rq', areaUm2: 300, delayPs: 700, energyPjPerOp: 0.02, cycles: 1 };

function mlp(batch = 1): LayerCostInput[] {
  return [
    { name: 'fc1', shape: denseShape('fc1', 64, 48, batch), widths, pe, activation: helu, requant },
    { name: 'fc2', shape: denseShape('fc2', 48, 32, batch), widths, pe, activation: helu, requant },
    { name: 'fc3', shape: denseShape('fc3', 32, 10, batch), widths, pe, activation: null, requant },
  ];
}

const opts: AcceleratorOptions = { array: { rows: 8, cols: 8 }, dataflow: 'ws', tech };

describe('accelerator estimate', () => {
  it('has the documented JSON shape', () => {
    const r = estimateAccelerator(mlp(), opts);
    expect(Object.keys(r)).toEqual(['array', 'layers', 'total']);
    expect(r.array).toMatchObject({ rows: 8, cols: 8, dataflow: 'ws', actUnits: 8, requantUnits: 8, batch: 1 });
    for (const l of r.layers) {
      for (const k of ['name', 'macs', 'activations', 'activationUnit', 'cycles', 'areaUm2', 'energyPj']) expect(l).toHaveProperty(k);
    }
    for (const k of ['macs', 'cycles', 'latencyUs', 'inferencesPerSecond', 'areaUm2', 'energyPj', 'breakdown'])
      expect(r.total).toHaveProperty(k);
    expect(r.layers[0]!.activationUnit).toEqual({ name: 'helu', gates: 8 });
    expect(r.layers[2]!.activationUnit).toBeNull();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('totals are the sums over layers', () => {
    for (const batch of [1, 4])
      for (const dataflow of ['ws', 'os'] as const) {
        const r = estimateAccelerator(mlp(batch), { ...opts, dataflow });
        const sum = (f: (l: (typeof r.layers)[number]) => number) => r.layers.reduce((s, l) => s + f(l), 0);
        expect(r.total.macs).toBe(sum((l) => l.macs));
        expect(r.total.macs).toBe(64 * 48 + 48 * 32 + 32 * 10);
        expect(r.total.cycles).toBe(sum((l) => l.cycles));
        expect(r.total.energyPj).toBeCloseTo(
          sum((l) => l.energyPj),
          9,
        );
        const b = r.total.breakdown.energyPj;
        expect(b.peArray + b.activation + b.requant + b.sram).toBeCloseTo(r.total.energyPj, 9);
        expect(b.peArray).toBeCloseTo(r.total.macs * 0.25, 9);
        expect(b.activation).toBeCloseTo((48 + 32) * 0.001, 12);
        expect(b.requant).toBeCloseTo((48 + 32 + 10) * 0.02, 12);
        const a = r.total.breakdown.areaUm2;
        expect(a.peArray + a.activation + a.requant + a.sram).toBeCloseTo(r.total.areaUm2, 6);
        expect(r.total.areaMm2).toBeCloseTo(r.total.areaUm2 / 1e6, 12);
      }
  });

  it('area of n identical units is n times one; shared keys count once, distinct keys add', () => {
    for (const n of [1, 2, 3, 8, 17]) {
      const r = estimateAccelerator(mlp(), { ...opts, actUnits: n, requantUnits: n });
      expect(r.total.breakdown.areaUm2.activation).toBeCloseTo(n * helu.areaUm2, 9);
      expect(r.total.breakdown.areaUm2.requant).toBeCloseTo(n * requant.areaUm2, 9);
      expect(r.total.breakdown.areaUm2.peArray).toBeCloseTo(64 * pe.areaUm2, 9);
    }
    const mixed = mlp();
    mixed[1] = { ...mixed[1]!, activation: gelu };
    const r = estimateAccelerator(mixed, { ...opts, actUnits: 3 });
    expect(r.total.breakdown.areaUm2.activation).toBeCloseTo(3 * (helu.areaUm2 + gelu.areaUm2), 9);
  });

  it('changing the technology changes SRAM energy, never counts; asap7 leaves SRAM area out, saying why', () => {
    const a = estimateAccelerator(mlp(), opts);
    const b = estimateAccelerator(mlp(), { ...opts, tech: techFigures('asap7') });
    expect(b.total.cycles).toBe(a.total.cycles);
    expect(b.total.macs).toBe(a.total.macs);
    expect(b.total.breakdown.sramBits).toEqual(a.total.breakdown.sramBits);
    b.layers.forEach((l, i) => {
      expect(l.folds).toBe(a.layers[i]!.folds);
      expect(l.footprint).toEqual(a.layers[i]!.footprint);
    });
    expect(a.total.breakdown.areaUm2.sram).toBeGreaterThan(0);
    expect(b.total.breakdown.areaUm2.sram).toBe(0);
    expect(b.total.breakdown.sramAreaNote).toMatch(/asap7/);
    expect(b.total.breakdown.srams.map((s) => s.areaUm2)).toEqual([null, null]);
    expect(b.total.breakdown.energyPj.sram).toBeLessThan(a.total.breakdown.energyPj.sram);
  });

  it('applies the activation-stage cycle rule', () => {
    // fc1 on 8x8 ws: S_R 64 -> 8 row folds, S_C 48 -> 6 col folds, T 1: 48 folds of 16+8+1-2 = 23.
    const base = estimateAccelerator(mlp(), opts);
    expect(base.layers[0]!.arrayCycles).toBe(48 * 23);
    expect(base.layers[0]!.cycles).toBe(48 * 23 + 0 + 1); // helu combinational, requant 1 cycle latency
    // With a big batch and one unit, the activation stage is the bottleneck: ceil(outputs / 1).
    const big = mlp(512).map((l) => ({ ...l, requant: null }));
    const wide = { ...opts, array: { rows: 64, cols: 64 }, dataflow: 'os' as const, actUnits: 1 };
    const r = estimateAccelerator(big, wide);
    const fc1 = systolicCycles(big[0]!.shape, wide.array, 'os');
    expect(fc1.cycles).toBeLessThan(48 * 512);
    expect(r.layers[0]!.cycles).toBe(48 * 512);
    const g = estimateAccelerator(withActivationUnit(big, gelu), wide);
    expect(g.layers[0]!.cycles).toBe(48 * 512 + 2);
    expect(g.layers[2]!.cycles).toBe(r.layers[2]!.cycles); // no activation on fc3
  });

  it('derives the clock from the slowest unit unless fixed, and latency from cycles', () => {
    const r = estimateAccelerator(mlp(), opts);
    expect(r.total.breakdown.criticalPathPs).toBe(900);
    expect(r.array.clockMhz).toBeCloseTo(1e6 / 900, 9);
    expect(r.total.latencyUs).toBeCloseTo(r.total.cycles / r.array.clockMhz, 12);
    expect(r.total.inferencesPerSecond).toBeCloseTo(1e6 / r.total.latencyUs, 6);
    const g = estimateAccelerator(withActivationUnit(mlp(), gelu), opts);
    expect(g.total.breakdown.criticalPathPs).toBe(1200);
    const fixed = estimateAccelerator(mlp(), { ...opts, clockMhz: 2000 });
    expect(fixed.array.clockMhz).toBe(2000);
    expect(fixed.total.breakdown.timingMet).toBe(false);
    expect(estimateAccelerator(mlp(), { ...opts, clockMhz: 500 }).total.breakdown.timingMet).toBe(true);
    const batch = estimateAccelerator(mlp(8), opts);
    expect(batch.total.inferencesPerSecond).toBeCloseTo(8e6 / batch.total.latencyUs, 3);
  });

  it('sizes SRAM from the footprints', () => {
    const layers = mlp();
    const r = estimateAccelerator(layers, opts);
    const weights = 64 * 48 * 8 + 48 * 32 + 32 * 10;
    expect(r.total.breakdown.sramBits.weight).toBe((64 * 48 + 48 * 32 + 32 * 10) * 8 + (48 + 32 + 10) * 32);
    expect(weights).toBeGreaterThan(0);
    // fc1 needs input 64*8 + output 48*8 + partial sums (8 row folds): T 1 * min(8, 48) * 32.
    expect(r.layers[0]!.footprint).toEqual({
      weightBits: 64 * 48 * 8,
      biasBits: 48 * 32,
      inputBits: 512,
      outputBits: 384,
      partialSumBits: 256,
    });
    expect(r.total.breakdown.sramBits.activation).toBe(512 + 384 + 256);
    const conv = convShape('c', { Fh: 3, Fw: 3, Cin: 2, filters: 4, outputPixels: 16, inputPixels: 36 });
    expect(layerFootprint(conv, widths)).toEqual({
      weightBits: 72 * 8,
      biasBits: 4 * 32,
      inputBits: 72 * 8,
      outputBits: 64 * 8,
      partialSumBits: 0,
    });
  });

  it('builds a PE from its circuits and compares what-ifs', () => {
    const p = peUnit({
      multiplier: { areaUm2: 300, delayPs: 600, energyPj: 0.2 },
      adder: { areaUm2: 100, delayPs: 200, energyPj: 0.05 },
      registerBits: 48,
      tech,
    });
    expect(p.delayPs).toBe(800);
    expect(p.energyPjPerOp).toBeCloseTo(0.25, 15);
    expect(p.areaUm2).toBeCloseTo(400 + 48 * 5.98 * (45 / 40) ** 2, 9);
    const a = estimateAccelerator(mlp(), opts);
    const b = estimateAccelerator(withActivationUnit(mlp(), gelu), opts);
    const d = acceleratorDelta(a, b);
    expect(d.areaUm2).toBeCloseTo(8 * (gelu.areaUm2 - helu.areaUm2), 6);
    expect(d.energyPj).toBeCloseTo((48 + 32) * (0.05 - 0.001), 9);
    expect(d.areaRatio).toBeCloseTo(b.total.areaUm2 / a.total.areaUm2, 12);
  });

  it('rejects inconsistent input with a UserError', () => {
    const l = mlp();
    l[1] = { ...l[1]!, shape: denseShape('fc2', 48, 32, 2) };
    expect(() => estimateAccelerator(l, opts)).toThrow(UserError);
    expect(() => estimateAccelerator([], opts)).toThrow(UserError);
    expect(() => estimateAccelerator(mlp(), { ...opts, actUnits: 0 })).toThrow(UserError);
    expect(() => estimateAccelerator(mlp(), { ...opts, clockMhz: -1 })).toThrow(UserError);
  });
});
