import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/sim/engine/run.js';
import type { IntLayer, Pow2Model } from '../../../src/sim/quantize/model.js';
import { arbSmallFormat, pow2ModelOf, withInputs, type LayerKind } from '../../../src/testing/index.js';
import { arbLayerPlan, type InputPlan } from '../../../src/testing/layer-plan.js';
import { checkAgainstOracle } from './oracle-check.js';
import { directConvFits } from '../../../src/sim/engine/resident/direct-conv.js';

/*
 * The resident pipeline's own kernels on images wide enough for their vector
 * routes (the direct convolution: column stride 1, output rows of 8k pixels or
 * of 7, 14, 15 computed as whole groups of 8): random pow2 networks from helu-sim/testing's shrinkable plans on
 * [1..4, 1..4, 6..18] images, compared with the layer-by-layer engine on the
 * JavaScript GEMM and output stages (codes of every tensor, events) and, layer
 * by layer, with the bigint oracle.
 */

const text = (m: Map<string, ArrayLike<number>>) => JSON.stringify([...m].map(([k, v]) => [k, Array.from(v)]));

const arbImage: fc.Arbitrary<InputPlan> = fc.record({
  image: fc.constant(true),
  channels: fc.integer({ min: 1, max: 4 }),
  height: fc.integer({ min: 1, max: 4 }),
  width: fc.constantFrom(8, 10, 16, 9, 18, 17, 7),
  features: fc.constant(1),
});

function arbWideModel(kinds: readonly LayerKind[]): fc.Arbitrary<Pow2Model> {
  return fc
    .tuple(
      arbImage,
      arbSmallFormat({ maxWidth: 10 }),
      fc.array(arbLayerPlan({ kinds, narrowAccumulators: false }), { minLength: 1, maxLength: 3 }),
    )
    .map(([input, fmt, plans]) => pow2ModelOf(input, fmt, plans));
}

const directConv = (l: IntLayer) => l.op === 'conv' && directConvFits(l);

describe('resident kernels on wide images', () => {
  it('direct convolution and max pools: == layer-by-layer JavaScript engine and == bigint oracle', () => {
    let direct = 0,
      ragged = 0;
    fc.assert(
      fc.property(withInputs(arbWideModel(['conv', 'activation', 'maxpool', 'conv']), { maxBatch: 2 }), ({ model, input, batch }) => {
        const fast = compile(model);
        expect(fast.residentPipeline).toBe(true);
        if (model.layers.some((l) => directConv(l) && !fast.hostLayers.includes(l.name))) direct++;
        if (model.layers.some((l) => directConv(l) && l.op === 'conv' && l.shape[2]! % 8 !== 0 && !fast.hostLayers.includes(l.name)))
          ragged++;
        const a = fast.run(Float64Array.from(input), batch),
          b = compile(model, { kernels: 'js' }).run(Float64Array.from(input), batch);
        expect(text(a.tensors)).toBe(text(b.tensors));
        expect([...a.events]).toEqual([...b.events]);
        checkAgainstOracle(model, input, batch);
      }),
      { seed: 1301, numRuns: 200 },
    );
    expect(direct).toBeGreaterThan(15);
    expect(ragged).toBeGreaterThan(5);
  });

  it.each([
    ['windowed average pool', 'avgpool', 1303],
    ['concat (copies and conversions)', 'concat', 1304],
  ] as const)('%s: == layer-by-layer JavaScript engine and == bigint oracle', (_, op, seed) => {
    let onPipeline = 0;
    fc.assert(
      fc.property(withInputs(arbWideModel([op, 'conv', 'activation']), { maxBatch: 2 }), ({ model, input, batch }) => {
        const fast = compile(model);
        for (const l of model.layers) if (l.op === op && !fast.hostLayers.includes(l.name)) onPipeline++;
        const a = fast.run(Float64Array.from(input), batch),
          b = compile(model, { kernels: 'js' }).run(Float64Array.from(input), batch);
        expect(text(a.tensors)).toBe(text(b.tensors));
        expect([...a.events]).toEqual([...b.events]);
        checkAgainstOracle(model, input, batch);
      }),
      { seed, numRuns: 150 },
    );
    expect(onPipeline).toBeGreaterThan(30);
  });

  it('residual add and global average pool: == layer-by-layer JavaScript engine and == bigint oracle', () => {
    const onPipeline = new Map<string, number>();
    fc.assert(
      fc.property(withInputs(arbWideModel(['add', 'globalavgpool', 'conv', 'activation']), { maxBatch: 2 }), ({ model, input, batch }) => {
        const fast = compile(model);
        for (const l of model.layers)
          if ((l.op === 'add' || l.op === 'globalavgpool') && !fast.hostLayers.includes(l.name))
            onPipeline.set(l.op, (onPipeline.get(l.op) ?? 0) + 1);
        const a = fast.run(Float64Array.from(input), batch),
          b = compile(model, { kernels: 'js' }).run(Float64Array.from(input), batch);
        expect(text(a.tensors)).toBe(text(b.tensors));
        expect([...a.events]).toEqual([...b.events]);
        checkAgainstOracle(model, input, batch);
      }),
      { seed: 1302, numRuns: 150 },
    );
    expect(onPipeline.get('add')).toBeGreaterThan(30);
    expect(onPipeline.get('globalavgpool')).toBeGreaterThan(30);
  });
});
