import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { buildPe, compareWithSynthesis, techLibrary } from '../../src/hardware/index.js';
import { libertyText } from '../../src/netlist/synth/liberty.js';

/*
 * Synthesis in the loop: helu-sim's Verilog through Yosys + ABC onto the
 * Liberty library generated from the technology figures. Figures the tests
 * expect are derived by hand from the library's published areas and the
 * logical-effort delay rule, never read from helu-sim's own estimate.
 */
const fmt = parseFormat;

describe('generated library', () => {
  it('NanGate45 X1 areas in sites of 0.266 um^2; delays intrinsic + drive x load (logical effort, tau = 3.5 ps)', () => {
    const lib = techLibrary('nangate45');
    const cell = (n: string) => lib.cells.find((c) => c.name === n)!;
    expect(cell('NAND2_X1').areaUm2).toBeCloseTo(0.798, 9);
    expect(cell('INV_X1').areaUm2).toBeCloseTo(0.532, 9);
    expect(cell('AOI21_X1').areaUm2).toBeCloseTo(1.064, 9);
    expect(cell('MUX2_X1').areaUm2).toBeCloseTo(1.862, 9);
    expect(cell('DFF_X1').areaUm2).toBeCloseTo(4.522, 9);
    // FO4 inverter: p + 4 = 5 tau = 17.5 ps.
    const inv = cell('INV_X1');
    expect(inv.intrinsicPs + inv.drivePsPerFf * 4 * inv.pinCapFf).toBeCloseTo(17.5, 9);
    // NAND2 at fanout 4: 2 + 4/3 * 4 tau.
    const nand = cell('NAND2_X1');
    expect(nand.intrinsicPs + nand.drivePsPerFf * 4 * nand.pinCapFf).toBeCloseTo(3.5 * (2 + 16 / 3), 9);
    const text = libertyText(lib);
    expect(text).toMatch(/cell \(AOI22_X1\)/);
    expect(text).toMatch(/ff \(IQ, IQN\)/);
  });
});

describe('synthesized figure against helu-sim estimate (Yosys + ABC, nangate45)', () => {
  for (const name of ['helu', 'relu']) {
    it(`${name} fixed<8,4>: synthesized area equals helu-sim's exactly; critical path INV + NOR2 = 14 ps`, async () => {
      const inF = fmt('fixed<8,4>');
      const def = getActivation(name);
      const c = await compareWithSynthesis(def.circuit(inF, def.defaultOutput(inF)), { tech: 'nangate45' });
      // 7 outputs y_i = x_i & ~x_7: INV_X1 + NOR2_X1 each (0.532 + 0.798), or an equal-area mapping.
      expect(c.synthesized.areaUm2).toBeCloseTo(7 * (0.532 + 0.798), 9);
      expect(c.synthesized.areaUm2).toBeCloseTo(c.estimate.areaUm2, 9);
      // INV (3.5 ps + one NOR2 input: 3.5 ps) then NOR2 (2 tau = 7 ps) driving the port.
      expect(c.synthesized.delayPs).toBeCloseTo(14, 6);
      expect(Math.abs(c.delayRatio! - 1)).toBeLessThan(0.15);
    }, 120_000);
  }

  // Units whose estimate (helu-sim's own rewriting and mapping, src/netlist/synth) lands in the band on nangate45, table
  // activations (gelu, tanh: ROM logic) included; bench/synthesis.ts has them all.
  for (const name of ['leakyrelu', 'hardswish', 'gelu', 'tanh']) {
    it(`${name} fixed<8,4>: estimate within +-15 % of the synthesized area and delay`, async () => {
      const inF = fmt('fixed<8,4>');
      const def = getActivation(name);
      const c = await compareWithSynthesis(def.circuit(inF, def.defaultOutput(inF)), { tech: 'nangate45' });
      expect(Math.abs(c.areaRatio - 1)).toBeLessThan(0.15);
      expect(Math.abs(c.delayRatio! - 1)).toBeLessThan(0.15);
    }, 120_000);
  }

  it('PE fixed<6,1> x fixed<6,3> + fixed<16,8>: estimate within +-15 % of the synthesized area and delay', async () => {
    const net = buildPe({ weight: fmt('fixed<6,1>'), input: fmt('fixed<6,3>'), acc: fmt('fixed<16,8>') });
    const c = await compareWithSynthesis(net, { tech: 'nangate45' });
    expect(c.synthesized.cells.DFF_X1).toBe(6 + 6 + 16);
    expect(Math.abs(c.areaRatio - 1)).toBeLessThan(0.15);
    expect(Math.abs(c.delayRatio! - 1)).toBeLessThan(0.15);
  }, 120_000);
});
