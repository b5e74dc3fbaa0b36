// An activation after a residual Add (ResNet's relu(conv(x) + x)) quantizes and is costed: its
// activation unit runs on the outputs of the conv the Add's first input comes from, preceded
// by the Add's adder (checked here against exact integer arithmetic on every format pair tried).
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphNode } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { costNetwork, planNetwork } from '../../src/hardware/network/index.js';
import { buildPow2Adder } from '../../src/hardware/network/residual-adder.js';
import { checkTwoOperandUnit, fracOf, type ExactOf } from './two-operand-unit.js';

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
    const sum: ExactOf = (a, b, fa, fb) => {
      const F = Math.max(fracOf(fa), fracOf(fb));
      return { value: (a << BigInt(F - fracOf(fa))) + (b << BigInt(F - fracOf(fb))), frac: F };
    };
    checkTwoOperandUnit(buildPow2Adder, sum, 7878, 12, '+');
  });
});
