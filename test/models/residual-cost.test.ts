// An activation after a residual Add (ResNet's relu(conv(x) + x)) quantizes and is costed: its
// activation unit runs on the outputs of the conv the Add's first input comes from.
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphNode } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { planNetwork } from '../../src/hardware/network/index.js';

const rng = new Rng(3);
const conv: GraphNode = {
  op: 'Conv', name: 'conv', inputs: ['x'], output: 'conv', attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
  weights: { W: { shape: [2, 2, 3, 3], data: Float64Array.from({ length: 36 }, () => rng.uniform(0.5)) } },
};
const g = buildGraph({
  name: 'residual', inputs: [{ name: 'x', shape: [2, 6, 6] }], outputs: ['relu'], metadata: {},
  nodes: [conv, { op: 'Add', name: 'add', inputs: ['conv', 'x'], output: 'add', weights: {} }, { op: 'Activation', name: 'relu', inputs: ['add'], output: 'relu', attrs: { activation: { kind: 'relu' } } }],
});

describe('cost after a residual Add', () => {
  it('attaches the ReLU after the Add to the conv feeding it', () => {
    const m = quantizeModel(g, { x: Float64Array.from({ length: 16 * 72 }, () => rng.uniform(1)), count: 16 });
    const plans = planNetwork(m);
    expect(plans.map((p) => [p.name, p.activationLayer])).toEqual([['conv', 'relu']]);
  });
});
