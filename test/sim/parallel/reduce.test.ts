import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slice } from '../../../src/sim/parallel/slices.js';
import { verifyTask } from '../../../src/sim/parallel/worker.js';
import { reduceVerify, verifiedTensors, verifyModel } from '../../../src/sim/verify/verify.js';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';

/*
 * Any division of a verification into slices (threads, shards), each run on
 * its own samples only and the slices folded in any order, gives the report
 * of one run over all samples: the same JSON text.
 */
describe('verify divided into slices', () => {
  it('slices cover the samples once, on the batch grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }), (count, batch, n) => {
        let next = 0;
        for (let k = 0; k < n; k++) {
          const s = slice(count, batch, k, n);
          expect(s.from).toBe(next);
          expect(s.from % batch === 0 || s.from === count).toBe(true);
          next = s.to;
        }
        expect(next).toBe(count);
      }),
      { seed: 1313 },
    );
  });

  it('folded slices == one run (random models, slice counts and orders)', () => {
    fc.assert(
      fc.property(
        withInputs(arbPow2Model({ maxLayers: 5 }), { maxBatch: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        ({ model, input: values, batch: count }, n, batch) => {
          const input = Float64Array.from(values);
          const y = Int32Array.from({ length: count }, (_, i) => i % 3);
          const per = input.length / count;
          const whole = verifyModel(model, { x: input, y, count }, { batch, mode: 'both' });
          const tallies = Array.from({ length: n }, (_, k) => slice(count, batch, k, n))
            .reverse()
            .flatMap((s) =>
              verifyTask({
                kind: 'verify',
                model,
                x: input.slice(s.from * per, s.to * per),
                y: y.slice(s.from, s.to),
                offset: s.from,
                count: s.to - s.from,
                opts: { batch, mode: 'both' },
              }),
            );
          const folded = reduceVerify(verifiedTensors(model), { count, labelled: true }, tallies, { mode: 'both', hasFloat: false });
          expect(JSON.stringify(folded)).toBe(JSON.stringify(whole));
        },
      ),
      { seed: 1314, numRuns: 40 },
    );
  });
});
