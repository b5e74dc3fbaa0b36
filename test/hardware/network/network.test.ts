import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { activationWhatIf, costNetwork, networkContext, estimateNetwork, type NetworkCostReport } from '../../../src/hardware/index.js';
import { BUILTIN_TECHS } from '../../../src/netlist/index.js';
import type { IntModel } from '../../../src/sim/quantize/model.js';
import { validateIntModel } from '../../../src/sim/index.js';
import { acceleratorWhatIfChart, renderSvg } from '../../../src/report/index.js';
import { affineMlp, pow2Cnn, pow2Mlp, windowOut, type ConvSpec } from './models.js';

const SEED = 777;

/** SCALE-Sim v2 cycle count of one GEMM, written from the formulas in docs/cycle-model.md. */
function scaleSim(
  sr: number,
  sc: number,
  t: number,
  groups: number,
  R: number,
  C: number,
  df: 'ws' | 'os',
): { folds: number; cycles: number } {
  const folds = groups * Math.ceil(sr / R) * Math.ceil(sc / C);
  return { folds, cycles: folds * (df === 'ws' ? 2 * R + C + t - 2 : R + C + t - 2) };
}

/** Independent per-layer expectation for a conv (window, filters, output pixels). */
function convExpect(cin: number, h: number, w: number, s: ConvSpec, batch: number, R: number, C: number, df: 'ws' | 'os') {
  const [stride, pad, g] = [s.stride ?? 1, s.pad ?? 0, s.group ?? 1];
  const pixels = windowOut(h, s.kernel, stride, pad) * windowOut(w, s.kernel, stride, pad);
  const window = s.kernel * s.kernel * (cin / g);
  const macs = window * s.filters * pixels;
  const e =
    df === 'ws'
      ? scaleSim(window, s.filters / g, pixels * batch, g, R, C, df)
      : scaleSim(pixels * batch, s.filters / g, window, g, R, C, df);
  return { macs, outputs: s.filters * pixels, ...e };
}

function sum(r: NetworkCostReport, f: (l: NetworkCostReport['layers'][number]) => number): number {
  return r.layers.reduce((s, l) => s + f(l), 0);
}

describe('costNetwork: MACs and SCALE-Sim cycles recomputed independently', () => {
  it('dense layers (MLPs), spread of sizes, arrays, dataflows and batches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('ws' as const, 'os' as const),
        fc.integer({ min: 1, max: 3 }),
        (sizes, R, C, df, batch) => {
          const m = pow2Mlp(sizes);
          validateIntModel(JSON.parse(JSON.stringify(m)));
          const r = costNetwork(m, { array: { rows: R, cols: C }, dataflow: df, batch });
          expect(r.layers.map((l) => l.name)).toEqual(sizes.slice(1).map((_, i) => `fc${i + 1}`));
          r.layers.forEach((l, i) => {
            const [k, n] = [sizes[i]!, sizes[i + 1]!];
            const e = df === 'ws' ? scaleSim(k, n, batch, 1, R, C, df) : scaleSim(batch, n, k, 1, R, C, df);
            expect(l.macs).toBe(k * n);
            expect(l.folds).toBe(e.folds);
            expect(l.arrayCycles).toBe(e.cycles);
            // Combinational activation and requantization units: no latency, C results per cycle.
            expect(l.cycles).toBe(Math.max(e.cycles, Math.ceil((n * batch) / C)));
            expect(l.activations).toBe(i < sizes.length - 2 ? n : 0);
          });
          expect(r.total.macs).toBe(sizes.slice(1).reduce((s, n, i) => s + n * sizes[i]!, 0));
        },
      ),
      { seed: SEED, numRuns: 8 },
    );
  });

  it('conv layers (strides, padding, groups), spread of shapes and arrays', () => {
    const conv = fc.record({
      filters: fc.constantFrom(2, 4, 6),
      kernel: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 1 }),
      group: fc.constantFrom(1, 2),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 10 }),
        fc.array(conv, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 2, max: 16 }),
        fc.constantFrom('ws' as const, 'os' as const),
        (hw, convs, R, C, df) => {
          const specs = convs.map((c, i) => ({ ...c, group: i === 0 ? 1 : c.group }));
          const m = pow2Cnn([2, hw, hw], specs, 5);
          validateIntModel(JSON.parse(JSON.stringify(m))); // the hand-built model follows the schema
          const r = costNetwork(m, { array: { rows: R, cols: C }, dataflow: df });
          let [c, h, w] = [2, hw, hw];
          specs.forEach((s, i) => {
            const e = convExpect(c, h, w, s, 1, R, C, df);
            const l = r.layers[i]!;
            expect(l.op).toBe('conv');
            expect(l.macs).toBe(e.macs);
            expect(l.folds).toBe(e.folds);
            expect(l.arrayCycles).toBe(e.cycles);
            expect(l.activations).toBe(e.outputs);
            expect(l.cycles).toBe(Math.max(e.cycles, Math.ceil(e.outputs / C)));
            [c, h, w] = [s.filters, windowOut(h, s.kernel, s.stride, s.pad), windowOut(w, s.kernel, s.stride, s.pad)];
          });
          const fcl = r.layers[specs.length]!;
          expect(fcl.macs).toBe(c * h * w * 5);
        },
      ),
      { seed: SEED, numRuns: 8 },
    );
  });
});

describe('costNetwork: totals, shared units, technology', () => {
  const mlp = pow2Mlp([64, 64, 32, 10]);

  it('the sum over layers equals the totals; breakdowns add up', () => {
    for (const df of ['ws', 'os'] as const) {
      const r = costNetwork(mlp, { dataflow: df, array: { rows: 8, cols: 8 } });
      expect(Object.keys(r)).toEqual(['array', 'layers', 'total']);
      expect(r.total.macs).toBe(sum(r, (l) => l.macs));
      expect(r.total.macs).toBe(64 * 64 + 64 * 32 + 32 * 10);
      expect(r.total.cycles).toBe(sum(r, (l) => l.cycles));
      expect(r.total.energyPj).toBeCloseTo(
        sum(r, (l) => l.energyPj),
        6,
      );
      const a = r.total.breakdown.areaUm2;
      expect(a.peArray + a.activation + a.requant + a.sram).toBeCloseTo(r.total.areaUm2, 6);
      const e = r.total.breakdown.energyPj;
      expect(e.peArray + e.activation + e.requant + e.sram).toBeCloseTo(r.total.energyPj, 6);
      expect(r.total.latencyUs).toBeCloseTo(r.total.cycles / r.array.clockMhz, 9);
      expect(r.total.inferencesPerSecond).toBeCloseTo(1e6 / r.total.latencyUs, 3);
      // PE array energy = MACs x each layer's PE energy per MAC.
      expect(e.peArray).toBeCloseTo(
        sum(r, (l) => (l.macs * l.units.pe.pe.energyFjPerOp) / 1000),
        6,
      );
      // Clock from the slowest unit when not fixed.
      const slowest = Math.max(
        ...r.layers.flatMap((l) => [
          l.units.pe.pe.delayPs,
          l.units.requant?.circuit.delayPs ?? 0,
          (l.activationUnit as { delayPs: number } | null)?.delayPs ?? 0,
        ]),
      );
      expect(r.array.clockMhz).toBeCloseTo(1e6 / slowest, 9);
      // Memory: every weight and bias at its width.
      expect(sum(r, (l) => l.memoryBits.weight)).toBe((64 * 64 + 64 * 32 + 32 * 10) * 8 + (64 + 32 + 10) * 32);
    }
  });

  it('area of n identical units is n x one unit (shared activation and requantization units, R x C PEs)', () => {
    const ctx = networkContext(mlp);
    const base = estimateNetwork(ctx, { actUnits: 1, requantUnits: 1 });
    const helu = base.layers[0]!.activationUnit as { areaUm2: number; gates: number };
    const rq = base.layers[0]!.units.requant!.circuit.areaUm2;
    expect(helu.gates).toBeLessThanOrEqual(8);
    for (const n of [1, 2, 5, 16]) {
      const r = estimateNetwork(ctx, { actUnits: n, requantUnits: n });
      // Both activation layers use the same helu unit: counted once, n instances.
      expect(r.total.breakdown.areaUm2.activation).toBeCloseTo(n * helu.areaUm2, 9);
      expect(r.total.breakdown.areaUm2.requant).toBeCloseTo(n * rq, 9);
    }
    for (const [R, C] of [
      [4, 4],
      [16, 16],
      [8, 32],
    ] as const) {
      const r = estimateNetwork(ctx, { array: { rows: R, cols: C } });
      expect(r.total.breakdown.areaUm2.peArray).toBeCloseTo(R * C * Math.max(...r.layers.map((l) => l.units.pe.pe.areaUm2)), 6);
    }
  });

  it('a fixed clock sets latency; cycles do not depend on it', () => {
    const a = costNetwork(mlp, { clockMhz: 100 });
    const b = costNetwork(mlp, { clockMhz: 400 });
    expect(a.array.clockMhz).toBe(100);
    expect(a.total.cycles).toBe(b.total.cycles);
    expect(a.total.latencyUs).toBeCloseTo(a.total.cycles / 100, 12);
    expect(b.total.breakdown.timingMet).toBe(b.total.breakdown.criticalPathPs <= 2500);
  });

  it('changing the technology file changes area and delay, never gate counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helu-cost-'));
    const ref = BUILTIN_TECHS.nangate45!;
    const cells = Object.fromEntries(
      Object.entries(ref.cells).map(([k, c]) => [k, { areaUm2: 2 * c.areaUm2, delayPs: 1.5 * c.delayPs, energyFj: c.energyFj }]),
    );
    const file = join(dir, 'slow45.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...ref,
        name: 'slow45',
        source: 'test: nangate45 with doubled areas, 1.5x delays',
        nand2AreaUm2: 2 * ref.nand2AreaUm2,
        dffSetupPs: 1.5 * ref.dffSetupPs,
        cells,
      }),
    );
    const a = costNetwork(mlp, {});
    const b = costNetwork(mlp, { tech: file });
    expect(b.array.tech).toBe('slow45');
    a.layers.forEach((la, i) => {
      const lb = b.layers[i]!;
      for (const [x, y] of [
        [la.units.pe.pe, lb.units.pe.pe],
        [la.units.pe.multiplier, lb.units.pe.multiplier],
        [la.units.requant!.circuit, lb.units.requant!.circuit],
      ] as const) {
        expect(y.cells).toEqual(x.cells);
        expect(y.gates).toBe(x.gates);
        expect(y.transistors).toBe(x.transistors);
        expect(y.gateAreaUm2).toBeCloseTo(2 * x.gateAreaUm2, 6);
        expect(y.gateDelayPs).toBeCloseTo(1.5 * x.gateDelayPs, 6);
        // The mapped estimate scales the same way (the derived library scales uniformly, the mapping is unchanged).
        expect(y.areaUm2).toBeCloseTo(2 * x.areaUm2, 6);
        expect(y.delayPs).toBeCloseTo(1.5 * x.delayPs, 6);
      }
      const [ua, ub] = [la.activationUnit, lb.activationUnit] as ({
        gates: number;
        cells: object;
        areaUm2: number;
        delayPs: number;
      } | null)[];
      if (ua) {
        expect(ub!.cells).toEqual(ua.cells);
        expect(ub!.areaUm2).toBeCloseTo(2 * ua.areaUm2, 6);
        expect(ub!.delayPs).toBeCloseTo(1.5 * ua.delayPs, 6);
      }
    });
    expect(b.array.clockMhz).toBeCloseTo(a.array.clockMhz / 1.5, 6);
    expect(b.total.breakdown.areaUm2.peArray).toBeCloseTo(2 * a.total.breakdown.areaUm2.peArray, 3);
  });
});

describe('what-if: the same network with another activation unit', () => {
  const mlp = pow2Mlp([64, 64, 32, 10]);

  it('HeLU vs GELU: the GELU unit is larger; the delta is n x the unit difference', () => {
    const r = costNetwork(mlp, { swapActivation: 'gelu', actUnits: 4 });
    const w = r.whatIf!;
    expect(w.activation).toBe('gelu');
    const helu = r.layers[0]!.activationUnit as { areaUm2: number; gates: number; activation: string };
    const gelu = w.report.layers[0]!.activationUnit as { areaUm2: number; gates: number; activation: string; romBits: number };
    expect([helu.activation, gelu.activation]).toEqual(['helu', 'gelu']);
    expect(gelu.gates).toBeGreaterThan(helu.gates);
    expect(gelu.areaUm2).toBeGreaterThan(helu.areaUm2);
    expect(gelu.romBits).toBeGreaterThan(0);
    expect(w.delta.areaUm2).toBeCloseTo(4 * (gelu.areaUm2 - helu.areaUm2), 6);
    expect(w.delta.areaUm2).toBeGreaterThan(0);
    expect(w.report.total.macs).toBe(r.total.macs);
    // The PE array and SRAM do not change.
    expect(w.report.total.breakdown.areaUm2.peArray).toBe(r.total.breakdown.areaUm2.peArray);
    expect(w.report.total.breakdown.areaUm2.sram).toBe(r.total.breakdown.areaUm2.sram);
  });

  it('activationWhatIf rows feed the report chart (SVG)', async () => {
    const rows = activationWhatIf(mlp, ['helu', 'relu', 'gelu', 'silu'], { actUnits: 16 });
    expect(rows.map((r) => r.activation)).toEqual(['helu', 'relu', 'gelu', 'silu']);
    expect(rows[0]!.delta.areaUm2).toBe(0);
    const by = Object.fromEntries(rows.map((r) => [r.activation, r]));
    expect(by.gelu!.areaUm2).toBeGreaterThan(by.helu!.areaUm2);
    expect(by.silu!.activationAreaUm2).toBeGreaterThan(by.helu!.activationAreaUm2);
    const svg = await renderSvg(acceleratorWhatIfChart(rows, { highlight: 'helu' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('gelu');
  });
});

describe('affine models and refused inputs', () => {
  it('affine int8 MLP: table activation units, gemmlowp requantization units', () => {
    const m = affineMlp([16, 12, 4]);
    validateIntModel(JSON.parse(JSON.stringify(m)));
    const r = costNetwork(m, { array: { rows: 4, cols: 4 } });
    const u = r.layers[0]!.activationUnit as { romBits: number; verification: { mismatches: number; vectors: number } };
    expect(u.romBits).toBe(2048);
    expect(u.verification).toMatchObject({ mismatches: 0, vectors: 256 });
    expect(r.layers[0]!.units.requant!.kind).toBe('affine');
    expect(r.layers[0]!.units.pe.weight).toBe('fixed<8,8>');
    expect(r.layers[0]!.units.pe.input).toBe('ufixed<8,8>');
    expect(r.total.macs).toBe(16 * 12 + 12 * 4);
  });

  it('per-channel pow2 formats: one PE for the widest channel, a requantization unit with a per-channel shift', () => {
    const base = pow2Mlp([16, 8, 4]);
    const perChannel = structuredClone(base);
    for (const l of perChannel.layers) {
      if (l.op !== 'dense') continue;
      const n = l.weights.shape[0]!;
      l.weights.quant = {
        kind: 'pow2-channel',
        axis: 0,
        formats: Array.from({ length: n }, (_, c) => (c % 2 ? 'fixed<8,2>' : 'fixed<8,1>')),
      };
      l.acc = { kind: 'pow2', formats: Array.from({ length: n }, (_, c) => (c % 2 ? 'fixed<32,22>' : 'fixed<32,21>')), bound: 0 };
    }
    validateIntModel(JSON.parse(JSON.stringify(perChannel)));
    const [a, b] = [costNetwork(base), costNetwork(perChannel)];
    const [ra, rb] = [a.layers[0]!.units.requant!, b.layers[0]!.units.requant!];
    expect(rb.input).toBe('fixed<32,21> / fixed<32,22>');
    // Channels with 10 and 11 fraction bits: a 1-bit left shifter in front of the shared rounder and saturator.
    expect(rb.circuit.gates).toBeGreaterThan(ra.circuit.gates);
    expect(b.layers[0]!.units.pe.pe.registers).toBe(a.layers[0]!.units.pe.pe.registers);
    expect(b.total.macs).toBe(a.total.macs);
  });

  it('user errors: unknown swap activation, bad technology, activation that does not follow a GEMM', () => {
    const mlp = pow2Mlp([8, 4, 2]);
    expect(() => costNetwork(mlp, { swapActivation: 'softmax' })).toThrow(UserError);
    expect(() => costNetwork(mlp, { tech: 'nosuch' })).toThrow(UserError);
    expect(() => costNetwork(mlp, { batch: 0 })).toThrow(UserError);
    const [fc1, act1] = mlp.layers as [IntModel['layers'][number], IntModel['layers'][number]];
    const onInput = { ...act1, inputs: ['x'], shape: [8] } as IntModel['layers'][number];
    const afterInput: IntModel = {
      ...mlp,
      layers: [onInput, { ...fc1, inputs: [onInput.output] } as IntModel['layers'][number]],
      outputs: ['fc1'],
    };
    expect(() => costNetwork(afterInput)).toThrow(/activation layer 'act1' does not follow a dense or conv layer.*model input/);
    expect(() => costNetwork({ ...afterInput, layers: [onInput], outputs: ['act1'] })).toThrow(/no dense or conv layer/);
  });
});
