import { describe, expect, it } from 'vitest';
import { compile, runAffineCodes, runInteger } from '../../../src/sim/engine/run.js';
import { runAffineReference, runReference } from '../../../src/sim/reference/run.js';
import type { IntModel } from '../../../src/sim/quantize/model.js';
import { verifyModel } from '../../../src/sim/verify/verify.js';
import { buildModel, inputCodes } from '../affine-random-layer.js';
import { randomModel } from '../random-model.js';

/*
 * A compiled model owns its plan: editing a model's weights in place after a
 * run must change the next run's results (no plan kept by object identity).
 * Each check compares the edited model against a structured clone of it (a
 * new object no cache can know) and requires the edit to have changed the
 * results, so a stale plan cannot pass.
 */

/** Reverses every dense/conv weight array in place (codes stay valid codes of their format). */
function editWeights(m: IntModel): void {
  for (const l of m.layers) if (l.op === 'dense' || l.op === 'conv') l.weights.codes.reverse();
}

const hasLinear = (m: IntModel) => m.layers.some((l) => (l.op === 'dense' || l.op === 'conv') && new Set(l.weights.codes).size > 1);
const same = (a: Map<string, ArrayLike<number>>, b: Map<string, ArrayLike<number>>) =>
  [...a].every(([k, v]) => String(v) === String(b.get(k)));

/** Seeds of random pow2 models with a dense or conv layer whose outputs the edit changes. */
function editedCases(count: number): { seed: number; m: IntModel; input: Float64Array; batch: number }[] {
  const out = [];
  for (let seed = 1; out.length < count && seed < 500; seed++) {
    const { model, input, batch } = randomModel(seed, { narrowAcc: 0.5 });
    if (!hasLinear(model)) continue;
    const before = runInteger(model, input, batch).tensors;
    const clone = structuredClone(model);
    editWeights(clone);
    if (!same(before, runInteger(clone, input, batch).tensors)) out.push({ seed, m: model, input, batch });
  }
  return out;
}

describe('no stale plans', () => {
  const cases = editedCases(6);

  it('integer engine (pow2): a run after an in-place edit sees the new weights; a compiled model keeps the plan it compiled', () => {
    expect(cases.length).toBe(6);
    for (const { seed, m, input, batch } of cases) {
      const compiledBefore = compile(m);
      const before = runInteger(m, input, batch).tensors;
      editWeights(m);
      const after = runInteger(m, input, batch).tensors;
      expect(same(after, runInteger(structuredClone(m), input, batch).tensors), `seed ${seed}`).toBe(true);
      expect(same(after, before), `seed ${seed}`).toBe(false);
      expect(same(compiledBefore.run(input, batch).tensors, before), `seed ${seed}`).toBe(true);
      expect(same(compile(m).run(input, batch).tensors, after), `seed ${seed}`).toBe(true);
    }
  });

  it('float reference (pow2): a run after an in-place edit sees the new weights', () => {
    for (const { seed, m: m0, input, batch } of cases) {
      const m = structuredClone(m0);
      const before = runReference(m, input, batch).tensors;
      editWeights(m);
      const after = runReference(m, input, batch).tensors;
      expect(same(after, runReference(structuredClone(m), input, batch).tensors), `seed ${seed}`).toBe(true);
      expect(same(after, before), `seed ${seed}`).toBe(false);
    }
  });

  it('verify: the report after an in-place edit is the report of the edited model', () => {
    let differs = 0;
    for (const { seed, m: m0, input, batch } of cases) {
      const m = structuredClone(m0);
      const out = m.outputs[0]!;
      // labels: the argmax of the edited model's output, so a stale run loses accuracy
      const edited = structuredClone(m);
      editWeights(edited);
      const codes = runInteger(edited, input, batch).tensors.get(out)!;
      const k = codes.length / batch;
      const y = Array.from({ length: batch }, (_, r) => {
        let best = 0;
        for (let j = 1; j < k; j++) if (codes[r * k + j]! > codes[r * k + best]!) best = j;
        return best;
      });
      const data = { x: input, y, count: batch };
      const before = verifyModel(m, data);
      editWeights(m);
      const after = verifyModel(m, data);
      expect(after, `seed ${seed}`).toEqual(verifyModel(edited, data));
      expect(after.intAccuracy, `seed ${seed}`).toBe(1);
      if (JSON.stringify(after) !== JSON.stringify(before)) differs++;
    }
    // the report carries accuracies and event counts only: most edits show there
    expect(differs).toBeGreaterThanOrEqual(3);
  });

  it('affine engine and reference: a run after an in-place edit sees the new weights', () => {
    let changed = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const m = buildModel({ op: seed % 2 ? 'dense' : 'conv', seed, type: seed % 3 ? 'int8' : 'uint8', accBits: 32, saturate: false });
      const x = inputCodes(m, seed, 2);
      const before = runAffineCodes(m, x, 2).tensors;
      const refBefore = runAffineReference(m, x, 2, { inputCodes: true }).codes;
      editWeights(m);
      const after = runAffineCodes(m, x, 2).tensors;
      expect(same(after, runAffineCodes(structuredClone(m), x, 2).tensors)).toBe(true);
      expect(
        same(
          runAffineReference(m, x, 2, { inputCodes: true }).codes,
          runAffineReference(structuredClone(m), x, 2, { inputCodes: true }).codes,
        ),
      ).toBe(true);
      if (!same(after, before) && !same(runAffineReference(m, x, 2, { inputCodes: true }).codes, refBefore)) changed++;
    }
    expect(changed).toBeGreaterThan(6);
  });
});
