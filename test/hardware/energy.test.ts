import { describe, expect, it } from 'vitest';
import {
  addEnergyPj,
  macEnergyPj,
  multEnergyPj,
  registerAreaUm2,
  sramEstimate,
  sramPjPerBit,
  sramRead64Pj,
  techFigures,
} from '../../src/hardware/index.js';
import { UserError } from '../../src/errors.js';

describe('Horowitz 45 nm energy table', () => {
  it('returns the published points exactly', () => {
    expect(addEnergyPj(8)).toBeCloseTo(0.03, 15);
    expect(addEnergyPj(16)).toBeCloseTo(0.05, 15);
    expect(addEnergyPj(32)).toBeCloseTo(0.1, 15);
    expect(multEnergyPj(8)).toBeCloseTo(0.2, 15);
    expect(multEnergyPj(32)).toBeCloseTo(3.1, 15);
    expect(sramRead64Pj(8 * 1024)).toBeCloseTo(10, 12);
    expect(sramRead64Pj(32 * 1024)).toBeCloseTo(20, 12);
    expect(sramRead64Pj(1024 * 1024)).toBeCloseTo(100, 12);
  });

  it('interpolates as documented (hand-computed values)', () => {
    expect(addEnergyPj(12)).toBeCloseTo(0.04, 15); // midway 8..16
    expect(addEnergyPj(24)).toBeCloseTo(0.075, 15); // midway 16..32
    expect(addEnergyPj(4)).toBeCloseTo(0.015, 15); // proportional below 8
    expect(addEnergyPj(64)).toBeCloseTo(0.2, 15); // proportional above 32
    // 16x16: product 256 on the segment (64, 0.2)..(1024, 3.1): 0.2 + 192 * 2.9 / 960.
    expect(multEnergyPj(16)).toBeCloseTo(0.2 + (192 * 2.9) / 960, 15);
    expect(multEnergyPj(8, 16)).toBeCloseTo(0.2 + (64 * 2.9) / 960, 15);
    expect(multEnergyPj(4)).toBeCloseTo(0.05, 15); // 0.2 * 16/64
    expect(macEnergyPj(8, 8, 32)).toBeCloseTo(0.3, 15);
    expect(sramRead64Pj(16 * 1024)).toBeCloseTo(15, 12); // log-midpoint of 8 KB..32 KB
    expect(sramRead64Pj(1024)).toBeCloseTo(10 * Math.sqrt(1 / 8), 12); // square-root law below 8 KB
    expect(sramRead64Pj(512)).toBeCloseTo(2.5, 12);
    expect(sramRead64Pj(2 * 1024 * 1024)).toBeCloseTo(116, 12); // last slope 80 pJ / 5 doublings
    expect(sramPjPerBit(32 * 1024)).toBeCloseTo(20 / 64, 12);
  });

  it('is monotonic in width and size', () => {
    for (let w = 1; w < 64; w++) {
      expect(addEnergyPj(w + 1)).toBeGreaterThan(addEnergyPj(w));
      expect(multEnergyPj(w + 1)).toBeGreaterThan(multEnergyPj(w));
    }
    for (let b = 3; b < 24; b++) expect(sramRead64Pj(2 ** (b + 1))).toBeGreaterThan(sramRead64Pj(2 ** b));
  });

  it('scales every energy by the technology factor', () => {
    const s = techFigures('asap7').energyScale;
    expect(s).toBeCloseTo((7 / 45) * (0.7 / 0.9) ** 2, 15);
    expect(addEnergyPj(16, s)).toBeCloseTo(0.05 * s, 15);
    expect(sramRead64Pj(32 * 1024, s)).toBeCloseTo(20 * s, 12);
  });
});

describe('technology memory figures', () => {
  const periphery = 1e6 / (31.8 * 1048576) / 0.021; // N3E macro density over bit cell, written from the source figures

  it('sizes SRAM and registers from the cited figures', () => {
    const t45 = techFigures('nangate45');
    expect(t45.sramUm2PerBit).toBeCloseTo(0.37 * periphery, 12);
    expect(t45.registerUm2PerBit).toBeCloseTo(5.98 * (45 / 40) ** 2, 12);
    const t7 = techFigures('asap7');
    // ASAP7 publishes no SRAM bit-cell area: unsupported, with the reason.
    expect(t7.sramUm2PerBit).toBeNull();
    expect(t7.sramAreaNote).toMatch(/no published ASAP7 SRAM bit-cell area/);
    expect(sramEstimate(1024, t7).areaUm2).toBeNull();
    expect(t7.registerUm2PerBit).toBeCloseTo(5.98 * (7 / 40) ** 2, 12);
    expect(registerAreaUm2(100, t45)).toBeCloseTo(100 * 5.98 * (45 / 40) ** 2, 9);
    const s = sramEstimate(64 * 1024 * 8, t45);
    expect(s.bytes).toBe(64 * 1024);
    expect(s.areaUm2).toBeCloseTo(64 * 1024 * 8 * 0.37 * periphery, 6);
    expect(s.pjPerBit).toBeCloseTo((20 + (80 / 5) * 1) / 64, 12); // 64 KB: one doubling past 32 KB on the 32 KB..1 MB segment
    expect(sramEstimate(0, t45)).toEqual({ bits: 0, bytes: 0, areaUm2: 0, pjPerBit: 0 });
  });

  it('scales other nodes from their feature size and refuses an unknown one without it', () => {
    const t = techFigures('mytech', { featureNm: 22.5, vdd: 0.9 });
    expect(t.sramCellUm2).toBeCloseTo(0.37 / 4, 12);
    expect(t.energyScale).toBeCloseTo(0.5, 12);
    expect(() => techFigures('mytech')).toThrow(UserError);
    expect(() => techFigures('mytech')).toThrow(/nangate45, asap7/);
  });
});
