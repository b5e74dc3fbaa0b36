import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Netlist, loadTech } from '../../src/netlist/index.js';
import { mapNetlist } from '../../src/netlist/synth/map.js';
import { CONST, CONST_ONE, mappedFigures, type MappedNetlist } from '../../src/netlist/synth/mapped-timing.js';
import { cellLibrary, type CellLibrary } from '../../src/netlist/tech/library.js';
import { evalNet, randomNetlist } from './helpers.js';

/*
 * helu-sim's technology mapping: the mapped cells compute exactly the
 * netlist's function (every input vector of random netlists, evaluated
 * against the independent reference evaluator), with the figures a hand
 * count gives on small circuits.
 */
const SEED = 20261203;

/** Mapped netlist value of every output bit for input bits `x` (one bit per input net, in order). */
function evalMapped(m: MappedNetlist, lib: CellLibrary, x: readonly number[]): number[] {
  const val = new Map<number, number>([
    [CONST, 0],
    [CONST_ONE, 1],
  ]);
  m.inputs.forEach((n, i) => val.set(n, x[i] ?? 0));
  let pending = [...m.cells];
  while (pending.length > 0) {
    const next = pending.filter((c) => {
      const cell = lib.cells.find((k) => k.name === c.type)!;
      const ins = cell.inputs.map((p) => val.get(c.inputs.get(p)!));
      if (ins.some((v) => v === undefined)) return true;
      const pattern = ins.reduce((acc: number, v, j) => acc | (v! << j), 0);
      val.set(c.output, (cell.truth! >> pattern) & 1);
      return false;
    });
    if (next.length === pending.length) throw new Error('mapped netlist: loop or undriven net');
    pending = next;
  }
  return m.outputs.map((o) => val.get(o)!);
}

describe('technology mapping onto the generated library', () => {
  const lib = cellLibrary(loadTech('nangate45'));

  it('computes the same function as the netlist on every input vector (random netlists)', () => {
    const pick = fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(pick, { minLength: 1, maxLength: 40 }), (n, picks) => {
        const net = randomNetlist(n, picks);
        const m = mapNetlist(net, lib);
        for (let x = 0; x < 1 << n; x++) {
          const want = evalNet(net, { x: BigInt(x) }).y!;
          const bits = Array.from({ length: n }, (_, i) => (x >> i) & 1);
          const got = evalMapped(m, lib, bits).reduce((acc, b, i) => acc | (BigInt(b) << BigInt(i)), 0n);
          expect(got).toBe(want);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('a 4-input AND is one AND4 cell; a 2:1 mux one MUX2 (area and zero-load delay by hand)', () => {
    const net = new Netlist('and4');
    const [a, b, c, d] = net.addInput('x', 4);
    const ab = net.addCell('$_AND_', [a!, b!]);
    const cd = net.addCell('$_AND_', [c!, d!]);
    net.addOutput('y', [net.addCell('$_AND_', [ab, cd])]);
    const f = mappedFigures(mapNetlist(net, lib), lib);
    expect(f.cells).toEqual({ AND4_X1: 1 });
    // AND4: 6 sites of 0.266 um^2 (NanGate45 footprint); into the port (no load): NAND4 p 4 + INV (h 1) 2 + INV p 1 = 7 tau.
    expect(f.areaUm2).toBeCloseTo(6 * 0.266, 9);
    expect(f.delayPs).toBeCloseTo(7 * 3.5, 9);
    const mux = new Netlist('mux');
    const [x0, x1, s] = mux.addInput('x', 3);
    mux.addOutput('y', [mux.addCell('$_MUX_', [x0!, x1!, s!])]);
    const g = mappedFigures(mapNetlist(mux, lib), lib);
    expect(g.cells).toEqual({ MUX2_X1: 1 });
    expect(g.areaUm2).toBeCloseTo(1.862, 9);
  });

  it('registers map to the flip-flop and stay in the function (D = logic of inputs)', () => {
    const net = new Netlist('reg');
    const [a, b, clk] = net.addInput('x', 3);
    const q = net.addCell('$_DFF_P_', [net.addCell('$_XOR_', [a!, b!]), clk!]);
    net.addOutput('y', [net.addCell('$_NOT_', [q])]);
    const f = mappedFigures(mapNetlist(net, lib), lib);
    expect(f.cells).toEqual({ DFF_X1: 1, XOR2_X1: 1, INV_X1: 1 });
  });
});
