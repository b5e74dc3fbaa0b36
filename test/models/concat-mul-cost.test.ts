// An activation after a Concat or after an elementwise Mul of two runtime tensors is costed:
// after a Concat the unit runs on the outputs of each conv feeding it (concatenation is wiring),
// after a Mul on the outputs of the conv feeding its first operand, with the Mul's multiplier in
// series (checked here against exact integer arithmetic on random format triples).
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphNode } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { costNetwork, planNetwork } from '../../src/hardware/network/index.js';
import { buildPow2Multiplier } from '../../src/hardware/network/eltwise-multiplier.js';
import { afterUnit } from '../../src/hardware/network/residual-adder.js';
import { checkTwoOperandUnit, fracOf } from './two-operand-unit.js';

const rng = new Rng(5);
const conv = (name: string): GraphNode => ({
  op: 'Conv',
  name,
  inputs: ['x'],
  output: name,
  attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
  weights: { W: { shape: [2, 2, 3, 3], data: Float64Array.from({ length: 36 }, () => rng.uniform(0.5)) } },
});
const net = (join: GraphNode) =>
  buildGraph({
    name: join.op,
    inputs: [{ name: 'x', shape: [2, 6, 6] }],
    outputs: ['act'],
    metadata: {},
    nodes: [
      conv('c1'),
      conv('c2'),
      join,
      { op: 'Activation', name: 'act', inputs: ['j'], output: 'act', attrs: { activation: { kind: 'relu' } } },
    ],
  });
const x = Float64Array.from({ length: 16 * 72 }, () => rng.uniform(1));
const concat = net({ op: 'Concat', name: 'cat', inputs: ['c1', 'c2'], output: 'j', attrs: { axis: 0 } });
const mul = net({ op: 'Mul', name: 'mul', inputs: ['c1', 'c2'], output: 'j', weights: {} });

describe('cost after a Concat and after a Mul', () => {
  it('after a Concat: one activation unit on each conv feeding it', () => {
    for (const m of [quantizeModel(concat, { x, count: 16 }), quantizeAffine(concat, { x, count: 16 })]) {
      expect(planNetwork(m).map((p) => [p.name, p.activationLayer])).toEqual([
        ['c1', 'act'],
        ['c2', 'act'],
      ]);
    }
    expect(costNetwork(quantizeModel(concat, { x, count: 16 })).layers.every((l) => l.activationUnit !== null)).toBe(true);
  });

  it("after a Mul: the unit on the first operand's conv, the multiplier costed in series", () => {
    for (const m of [quantizeModel(mul, { x, count: 16 }), quantizeAffine(mul, { x, count: 16 })]) {
      const plans = planNetwork(m);
      expect(plans.map((p) => [p.name, p.activationLayer, p.residualAdd?.op])).toEqual([
        ['c1', 'act', 'mul'],
        ['c2', null, undefined],
      ]);
    }
    const unit = costNetwork(quantizeModel(mul, { x, count: 16 })).layers[0]!.activationUnit as {
      elementwiseMultiplier: { layer: string; gates: number; areaUm2: number };
    };
    expect(unit.elementwiseMultiplier.layer).toBe('mul');
    expect(unit.elementwiseMultiplier.gates).toBeGreaterThan(60);
  });

  it('the pow2 multiplier circuit computes the exact product narrowed into the output format', () => {
    checkTwoOperandUnit(buildPow2Multiplier, (a, b, fa, fb) => ({ value: a * b, frac: fracOf(fa) + fracOf(fb) }), 4242, 10, '*');
  });
});

describe('two activation units on the same outputs', () => {
  const u = (key: string, v: number) => ({
    key,
    areaUm2: v,
    delayPs: 10 * v,
    energyPjPerOp: v / 10,
    cycles: v > 2 ? 1 : 0,
    report: { key },
  });
  it('in series: area, delay, energy and cycles add; beside: area and energy add, delay and cycles are the larger', () => {
    const s = afterUnit(u('softplus', 2), u('tanh', 3), 'tanh');
    expect([s.areaUm2, s.delayPs, s.energyPjPerOp, s.cycles]).toEqual([5, 50, 0.5, 1]);
    expect(s.report).toEqual({ key: 'softplus', then: [{ layer: 'tanh', key: 'tanh' }] });
    const p = afterUnit(u('relu', 2), u('min:0', 3), 'min', true);
    expect([p.areaUm2, p.delayPs, p.energyPjPerOp, p.cycles]).toEqual([5, 30, 0.5, 1]);
  });
});
