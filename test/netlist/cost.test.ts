import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  BUILTIN_TECHS,
  CircuitBuilder,
  Netlist,
  VectorRng,
  add,
  costOf,
  energyPerOpFj,
  fullAdder,
  loadTech,
  pipeline,
  prune,
  simulateVectors,
} from '../../src/netlist/index.js';

function relu(w: number): Netlist {
  const b = new CircuitBuilder('relu');
  const x = b.input('x', w);
  b.output(
    'y',
    x.map((xi) => b.andnot(xi, x[w - 1])),
  );
  prune(b.net);
  return b.net;
}

describe('costOf (figures recomputed by hand)', () => {
  const tech = loadTech('nangate45');

  it('8-bit ReLU: 7 ANDNOT, 42 transistors, INV+NOR2 area each, depth 1', () => {
    const c = costOf(relu(8), tech);
    expect(c.cells).toEqual({ $_ANDNOT_: 7 });
    expect(c.gates).toBe(7);
    expect(c.transistors).toBe(7 * 6);
    expect(c.areaUm2).toBeCloseTo(7 * (0.532 + 0.798), 9);
    expect(c.nand2Equivalents).toBeCloseTo((7 * 1.33) / 0.798, 9);
    expect(c.depth).toBe(1);
    // INV + NOR2 at fanout 4 is 37.3 ps; the NOR2 (g 5/3, tau 3.5 ps) drives only the output port: 37.3 - 4 * 5/3 * 3.5.
    expect(c.gateDelayPs).toBeCloseTo(37.3 - (4 * 5 * 3.5) / 3, 9);
    // Mapped: y_i = NOR2(INV(x_i), x_7): INV (p 1 = 3.5 ps, one NOR2 input: + 3.5 ps) then NOR2 (p 2 = 7 ps) into the port.
    expect(c.mappedCells).toEqual({ INV_X1: 7, NOR2_X1: 7 });
    expect(c.delayPs).toBeCloseTo(14, 9);
    expect(c.registers).toBe(0);
  });

  it('full adder: 2 XOR + 1 MUX = 36 transistors, depth 2, sum path XOR+XOR', () => {
    const b = new CircuitBuilder('fa');
    const [a, c, ci] = b.input('x', 3);
    const fa = fullAdder(b, a, c, ci);
    b.output('y', [fa.sum, fa.carry]);
    const r = costOf(b.net, tech);
    expect(r.cells).toEqual({ $_XOR_: 2, $_MUX_: 1 });
    expect(r.transistors).toBe(36);
    expect(r.gateAreaUm2).toBeCloseTo(2 * 1.596 + 1.862, 9);
    expect(r.depth).toBe(2);
    // XOR2 at fanout 4 = 42.6 ps (17.5 * 36 / 14.8), g 2: intrinsic 42.6 - 28 = 14.6, 7 ps per fanout. p = a^b drives the
    // sum XOR and the carry MUX's select: 14.6 + 14; carry MUX (11 tau = 38.5 at fanout 4, g 1) drives nothing: 38.5 - 14.
    expect(r.gateDelayPs).toBeCloseTo(Math.max(14.6 + 14 + 14.6, 14.6 + 14 + (38.5 - 14)), 9);
  });

  it('every cell type: Yosys cmos transistor counts and NanGate45 areas', () => {
    const net = new Netlist('all');
    const [a, b, s] = net.addInput('x', 3);
    const outs = ['$_NOT_', '$_AND_', '$_OR_', '$_XOR_', '$_NAND_', '$_NOR_', '$_XNOR_', '$_ANDNOT_', '$_ORNOT_', '$_MUX_'].map((t) =>
      net.addCell(t as never, t === '$_NOT_' ? [a] : t === '$_MUX_' ? [a, b, s] : [a, b]),
    );
    outs.push(net.addCell('$_DFF_P_', [outs[0], s]));
    net.addOutput('y', outs);
    const r = costOf(net, tech);
    expect(r.transistors).toBe(2 + 6 + 6 + 12 + 4 + 4 + 12 + 6 + 6 + 12 + 16);
    expect(r.gateAreaUm2).toBeCloseTo(0.532 + 1.064 + 1.064 + 1.596 + 0.798 + 0.798 + 1.596 + 1.33 + 1.33 + 1.862 + 4.522, 9);
    expect(r.gates).toBe(10);
    expect(r.registers).toBe(1);
    // register path: NOT (intrinsic 3.5, drives the D pin: + 3.5) then setup 35 ps; register output: clock-to-Q 70 ps at
    // fanout 4, driving only the port: 70 - 14; the MUX: 38.5 - 14.
    expect(r.delayPs).toBeCloseTo(Math.max(3.5 + 3.5 + 35, 70 - 14, 38.5 - 14), 9);
  });

  it('pipelined ReLU: registers counted, depth per stage', () => {
    const p = pipeline(relu(8), 1);
    const c = costOf(p, tech);
    expect(c.registers).toBeGreaterThanOrEqual(7);
    expect(c.transistors).toBe(7 * 6 + c.registers * 16);
    expect(c.depth).toBe(1);
  });

  it('asap7 ships with the published INV / NAND2 / XOR2 figures', () => {
    const t = loadTech('asap7');
    expect(t.nand2AreaUm2).toBe(0.0875);
    expect(t.cells.$_NOT_.delayPs).toBe(14.8);
    expect(t.cells.$_NAND_.delayPs).toBe(22);
    expect(t.cells.$_XOR_.delayPs).toBe(36);
    expect(costOf(relu(8), t).areaUm2).toBeCloseTo(7 * (1.33 / 0.798) * 0.0875, 3);
  });
});

describe('energyPerOpFj', () => {
  it('counts toggles times cell energy (hand-computed AND gate)', () => {
    const b = new CircuitBuilder('and');
    const [x, y] = b.input('x', 2);
    b.output('y', [b.and(x, y)]);
    // x=(x0,x1) sequence: 3, 0, 3, 1, 3 -> AND output 1,0,1,0,1: 4 transitions over 5 vectors
    const sim = simulateVectors(b.net, { x: [3, 0, 3, 1, 3] }, 5, { toggles: true });
    const tech = loadTech('nangate45');
    expect(energyPerOpFj(b.net, sim.toggles!, 5, tech)).toBeCloseTo((4 * tech.cells.$_AND_.energyFj) / 4, 9);
  });

  it('nangate45 calibration: an 8-bit ripple-carry add costs 0.03 pJ under random operands (Horowitz 2014)', () => {
    const b = new CircuitBuilder('add8');
    b.output('s', add(b, b.input('x', 8), b.input('y', 8)).sum);
    prune(b.net);
    const n = 1 << 16,
      rng = new VectorRng(11);
    const xs = new Float64Array(n).map(() => rng.bits(8)),
      ys = new Float64Array(n).map(() => rng.bits(8));
    const sim = simulateVectors(b.net, { x: xs, y: ys }, n, { toggles: true });
    const fj = energyPerOpFj(b.net, sim.toggles!, n, loadTech('nangate45'));
    expect(fj).toBeGreaterThan(30 * 0.97);
    expect(fj).toBeLessThan(30 * 1.03);
  });
});

describe('loadTech', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tech-'));
  const write = (name: string, v: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
    return p;
  };

  it('loads built-ins by name, default nangate45', () => {
    expect(loadTech().name).toBe('nangate45');
    expect(Object.keys(BUILTIN_TECHS)).toEqual(['nangate45', 'asap7']);
  });

  it('accepts a valid user JSON file', () => {
    const t = loadTech(write('ok.json', { ...BUILTIN_TECHS.nangate45, name: 'mine' }));
    expect(t.name).toBe('mine');
    expect(t.cells.$_MUX_.areaUm2).toBe(1.862);
  });

  it('names the bad field in a UserError', () => {
    const base = JSON.parse(JSON.stringify(BUILTIN_TECHS.nangate45));
    const bad1 = { ...base, cells: { ...base.cells, $_AND_: { ...base.cells.$_AND_, delayPs: 'fast' } } };
    expect(() => loadTech(write('b1.json', bad1))).toThrow(/cells\.\$_AND_\.delayPs/);
    const { $_MUX_: _m, ...noMux } = base.cells;
    expect(() => loadTech(write('b2.json', { ...base, cells: noMux }))).toThrow(/cells\.\$_MUX_/);
    expect(() => loadTech(write('b3.json', { ...base, nand2AreaUm2: 0 }))).toThrow(/nand2AreaUm2/);
    expect(() => loadTech(write('b4.json', { ...base, cells: { ...base.cells, $_FOO_: {} } }))).toThrow(/cells\.\$_FOO_/);
    expect(() => loadTech(write('b5.json', '{not json'))).toThrow(UserError);
    expect(() => loadTech(join(dir, 'missing.json'))).toThrow(/cannot read/);
    expect(() => loadTech('tsmc5')).toThrow(/unknown technology 'tsmc5'/);
  });
});
