import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  Netlist,
  costOf,
  loadTech,
  multiply,
  pipeline,
  prune,
  simulateCycles,
  simulateVectors,
} from '../../src/netlist/index.js';
import { UserError } from '../../src/errors.js';

const SEED = 3008;

function mul(w: number): Netlist {
  const b = new CircuitBuilder('mul');
  const x = b.input('x', w),
    y = b.input('y', w);
  b.output('p', multiply(b, x, y, false, false));
  prune(b.net);
  return b.net;
}

describe('pipeline', () => {
  it('adds clk, keeps the combinational function (transparent registers)', () => {
    const net = mul(4);
    for (const stages of [0, 1, 2, 3, 7]) {
      const p = pipeline(net, stages);
      expect(p.ports[0]).toMatchObject({ name: 'clk', direction: 'input' });
      const xs = Array.from({ length: 256 }, (_, i) => i & 15),
        ys = Array.from({ length: 256 }, (_, i) => i >> 4);
      const out = simulateVectors(p, { x: xs, y: ys }, 256).outputs.p;
      xs.forEach((x, i) => expect(out[i]).toBe(x * ys[i]));
    }
  });

  it('has latency exactly `stages` cycles on every path (cycle-accurate)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 12, maxLength: 12 }),
        (stages, xs, ys) => {
          const p = pipeline(mul(6), stages);
          const out = simulateCycles(p, { x: xs, y: ys }, xs.length).p;
          for (let t = stages; t < xs.length; t++) if (out[t] !== xs[t - stages] * ys[t - stages]) return false;
          return true;
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('splits the logic depth into near-equal segments', () => {
    const net = mul(8);
    const tech = loadTech('nangate45');
    const d0 = costOf(net, tech).depth;
    const c1 = costOf(pipeline(net, 1), tech),
      c3 = costOf(pipeline(net, 3), tech);
    expect(c1.depth).toBeLessThanOrEqual(Math.ceil(d0 / 2));
    expect(c3.depth).toBeLessThanOrEqual(Math.ceil(d0 / 4));
    expect(c3.registers).toBeGreaterThan(c1.registers);
    expect(c1.gates).toBe(net.cells.length);
  });

  it('rejects bad stage counts and existing clk ports', () => {
    expect(() => pipeline(mul(2), -1)).toThrow(UserError);
    expect(() => pipeline(pipeline(mul(2), 1), 1)).toThrow(UserError);
  });
});
