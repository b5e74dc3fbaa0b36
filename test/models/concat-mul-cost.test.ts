// An activation after a Concat or after an elementwise Mul of two runtime tensors is costed:
// after a Concat the unit runs on the outputs of each conv feeding it (concatenation is wiring),
// after a Mul on the outputs of the conv feeding its first operand, with the Mul's multiplier in
// series (checked here against exact integer arithmetic on random format triples).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../src/fixedpoint/format.js';
import type { FixedFormat } from '../../src/fixedpoint/types.js';
import { buildGraph, type GraphNode } from '../../src/models/index.js';
import { simulateVectors } from '../../src/netlist/index.js';
import { Rng } from '../../src/random.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { costNetwork, planNetwork } from '../../src/hardware/network/index.js';
import { buildPow2Multiplier } from '../../src/hardware/network/eltwise-multiplier.js';
import { narrow } from '../sim/oracle.js';

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
    const fmt = fc.record({
      width: fc.integer({ min: 2, max: 10 }),
      intBits: fc.integer({ min: -2, max: 8 }),
      signed: fc.boolean(),
      rounding: fc.constantFrom('TRN' as const, 'RND_CONV' as const, 'RND' as const),
      overflow: fc.constantFrom('SAT' as const, 'WRAP' as const),
    });
    fc.assert(
      fc.property(fmt, fmt, fmt, fc.integer({ min: 0, max: 2 ** 30 }), (fa, fb, fo, seed) => {
        const net = buildPow2Multiplier(fa as FixedFormat, fb as FixedFormat, fo as FixedFormat);
        const r = new Rng(seed);
        const n = 64;
        const ra = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fa.width));
        const rb = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fb.width));
        const y = simulateVectors(net, { a: ra, b: rb }, n).outputs.y!;
        const code = (raw: number, f: FixedFormat) => (f.signed ? BigInt.asIntN(f.width, BigInt(raw)) : BigInt(raw));
        const F = (f: FixedFormat) => f.width - f.intBits;
        for (let k = 0; k < n; k++) {
          const p = code(ra[k]!, fa as FixedFormat) * code(rb[k]!, fb as FixedFormat);
          const want = narrow(p, F(fa as FixedFormat) + F(fb as FixedFormat), fo as FixedFormat, { saturations: 0, wraps: 0 });
          expect(
            code(y[k]!, fo as FixedFormat),
            `${formatToString(fa as FixedFormat)} * ${formatToString(fb as FixedFormat)} -> ${formatToString(fo as FixedFormat)}`,
          ).toBe(want);
        }
      }),
      { seed: 4242, numRuns: 60 },
    );
  });
});
