// An activation after a residual Add (ResNet's relu(conv(x) + x)) quantizes and is costed: its
// activation unit runs on the outputs of the conv the Add's first input comes from, preceded
// by the Add's adder (checked here against exact integer arithmetic on every format pair tried).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../src/fixedpoint/format.js';
import type { FixedFormat } from '../../src/fixedpoint/types.js';
import { buildGraph, type GraphNode } from '../../src/models/index.js';
import { simulateVectors } from '../../src/netlist/index.js';
import { Rng } from '../../src/random.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { costNetwork, planNetwork } from '../../src/hardware/network/index.js';
import { buildPow2Adder } from '../../src/hardware/network/residual-adder.js';
import { narrow } from '../sim/oracle.js';

const rng = new Rng(3);
const conv: GraphNode = {
  op: 'Conv',
  name: 'conv',
  inputs: ['x'],
  output: 'conv',
  attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
  weights: { W: { shape: [2, 2, 3, 3], data: Float64Array.from({ length: 36 }, () => rng.uniform(0.5)) } },
};
const g = buildGraph({
  name: 'residual',
  inputs: [{ name: 'x', shape: [2, 6, 6] }],
  outputs: ['relu'],
  metadata: {},
  nodes: [
    conv,
    { op: 'Add', name: 'add', inputs: ['conv', 'x'], output: 'add', weights: {} },
    { op: 'Activation', name: 'relu', inputs: ['add'], output: 'relu', attrs: { activation: { kind: 'relu' } } },
  ],
});
const m = quantizeModel(g, { x: Float64Array.from({ length: 16 * 72 }, () => rng.uniform(1)), count: 16 });

describe('cost after a residual Add', () => {
  it('attaches the ReLU after the Add to the conv feeding it, with the adder', () => {
    const plans = planNetwork(m);
    expect(plans.map((p) => [p.name, p.activationLayer, p.residualAdd?.layer])).toEqual([['conv', 'relu', 'add']]);
  });

  it("costs the adder in series before the activation unit (its area and energy added to the unit's)", () => {
    const r = costNetwork(m);
    const unit = r.layers[0]!.activationUnit as {
      areaUm2: number;
      residualAdder: { layer: string; gates: number; areaUm2: number; energyFjPerOp: number };
    };
    expect(unit.residualAdder.layer).toBe('add');
    expect(unit.residualAdder.gates).toBeGreaterThan(8);
    const plain = costNetwork({ ...m, layers: m.layers.map((l) => (l.op === 'activation' ? { ...l, inputs: ['conv'] } : l)) });
    expect(r.total.areaUm2 - plain.total.areaUm2).toBeGreaterThan(0);
    expect(r.total.energyPj - plain.total.energyPj).toBeGreaterThan(0);
  });

  it('the pow2 adder circuit computes the aligned exact sum narrowed into the output format', () => {
    const fmt = fc.record({
      width: fc.integer({ min: 2, max: 12 }),
      intBits: fc.integer({ min: -2, max: 8 }),
      signed: fc.boolean(),
      rounding: fc.constantFrom('TRN' as const, 'RND_CONV' as const, 'RND' as const),
      overflow: fc.constantFrom('SAT' as const, 'WRAP' as const),
    });
    fc.assert(
      fc.property(fmt, fmt, fmt, fc.integer({ min: 0, max: 2 ** 30 }), (fa, fb, fo, seed) => {
        const net = buildPow2Adder(fa as FixedFormat, fb as FixedFormat, fo as FixedFormat);
        const r = new Rng(seed);
        const n = 64;
        const ra = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fa.width));
        const rb = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fb.width));
        const y = simulateVectors(net, { a: ra, b: rb }, n).outputs.y!;
        const code = (raw: number, f: FixedFormat) => (f.signed ? BigInt.asIntN(f.width, BigInt(raw)) : BigInt(raw));
        const F = (f: FixedFormat) => f.width - f.intBits;
        const Fm = Math.max(F(fa as FixedFormat), F(fb as FixedFormat));
        for (let k = 0; k < n; k++) {
          const s =
            (code(ra[k]!, fa as FixedFormat) << BigInt(Fm - F(fa as FixedFormat))) +
            (code(rb[k]!, fb as FixedFormat) << BigInt(Fm - F(fb as FixedFormat)));
          const want = narrow(s, Fm, fo as FixedFormat, { saturations: 0, wraps: 0 });
          expect(
            code(y[k]!, fo as FixedFormat),
            `${formatToString(fa as FixedFormat)} + ${formatToString(fb as FixedFormat)} -> ${formatToString(fo as FixedFormat)}`,
          ).toBe(want);
        }
      }),
      { seed: 7878, numRuns: 60 },
    );
  });
});
