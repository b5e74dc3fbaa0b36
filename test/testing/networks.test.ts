// helu-sim/testing's network arbitraries and bit-exactness assertion: drawn models are valid integer models,
// the affine engine equals its reference on them (pow2: test/sim/verify/engine-reference.test.ts), a failing
// property shrinks to a small network, and a corrupted engine value is reported at its layer, sample and index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runInteger } from '../../src/sim/engine/run.js';
import { validateIntModel } from '../../src/sim/quantize/validate.js';
import { runReference } from '../../src/sim/reference/run.js';
import {
  arbAffineModel,
  arbPow2Model,
  bitExactMismatch,
  describeMismatch,
  expectBitExact,
  firstMismatch,
  withInputs,
} from '../../src/testing/index.js';

const valid = <M>(m: M): M => validateIntModel(JSON.parse(JSON.stringify(m))) as M;

describe('network arbitraries', () => {
  it('draw valid pow2 and affine models', () => {
    fc.assert(
      fc.property(arbPow2Model(), (m) => void valid(m)),
      { seed: 1701, numRuns: 150 },
    );
    fc.assert(
      fc.property(arbAffineModel(), (m) => void valid(m)),
      { seed: 1702, numRuns: 150 },
    );
  });

  it('a failing property shrinks to a small network: the smallest input, at most two layers, zero weights', () => {
    // fails on any network with a conv layer
    const r = fc.check(
      fc.property(arbPow2Model({ maxLayers: 6 }), (m) => !m.layers.some((l) => l.op === 'conv')),
      { seed: 1703, numRuns: 300 },
    );
    expect(r.failed).toBe(true);
    const m = r.counterexample![0];
    expect(m.layers.length).toBeLessThanOrEqual(2);
    const conv = m.layers.find((l) => l.op === 'conv')!;
    expect(conv.op === 'conv' && conv.weights.codes.every((c) => c === 0)).toBe(true);
    expect(m.input.shape).toEqual([1, 2, 2]);
  });
});

describe('affine networks: engine (onnxruntime) == the ONNX-definition reference (float32), code for code', () => {
  it('random dense/conv/pool/activation chains', () => {
    fc.assert(
      fc.property(withInputs(arbAffineModel()), ({ model, ...inputs }) => expectBitExact(model, inputs)),
      { seed: 64, numRuns: 150 },
    );
  });
});

describe('expectBitExact reports the first mismatch', () => {
  it('names the layer, sample and index of a corrupted engine value', () => {
    const { model, input, batch } = fc.sample(
      withInputs(arbPow2Model({ minLayers: 2, kinds: ['dense'] }), { maxBatch: 3 }).filter((c) => c.batch === 3),
      { seed: 5, numRuns: 1 },
    )[0]!;
    expect(bitExactMismatch(model, { input, batch })).toBeUndefined();
    const eng = runInteger(model, input, batch);
    const ref = runReference(model, input, batch);
    const last = model.layers[1]!;
    const codes = Float64Array.from(eng.tensors.get(last.output)!);
    const per = codes.length / batch;
    codes[2 * per + per - 1]! += 1; // sample 2, last element
    const tensors = new Map(eng.tensors);
    tensors.set(last.output, codes);
    const m = firstMismatch(model, batch, { tensors, events: eng.events }, { values: ref.tensors, events: ref.events })!;
    expect([m.layer, m.tensor, m.sample, m.index]).toEqual([last.name, last.output, 2, per - 1]);
    expect(describeMismatch(m)).toMatch(
      new RegExp(`^layer '${last.name}' \\(tensor '${last.output}'\\), sample 2, index ${per - 1}: engine `),
    );
    const events = new Map(eng.events);
    events.set(model.layers[0]!.name, { saturations: 99, wraps: 0 });
    expect(
      firstMismatch(model, batch, { tensors: eng.tensors, events }, { values: ref.tensors, events: ref.events })?.events?.engine
        .saturations,
    ).toBe(99);
  });
});
