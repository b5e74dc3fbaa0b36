import fc from 'fast-check';
import { describe, it } from 'vitest';
import { arbPow2Model, expectBitExact, withInputs } from '../../../src/testing/index.js';

/*
 * The integer engine against the float reference on random pow2 networks
 * drawn with helu-sim/testing's shrinkable arbitraries: every value of every
 * layer (code * 2^-F === the reference's real) and every layer's event
 * counts. A failure shrinks to a small network and names the first
 * mismatching layer, sample and index.
 */

describe('integer engine == float reference on random networks', () => {
  it('exact accumulators', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model({ narrowAccumulators: false, maxLayers: 5 })), ({ model, ...x }) => expectBitExact(model, x)),
      { seed: 61, numRuns: 150 },
    );
  });
  it('narrowed accumulators: overflows counted identically', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model({ maxLayers: 5 })), ({ model, ...x }) => expectBitExact(model, x)),
      { seed: 62, numRuns: 150 },
    );
  });
});

describe('functional mode == gate mode == reference', () => {
  it('every tensor of random networks, every activation kind', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model()), ({ model, ...x }) => expectBitExact(model, x, { mode: 'gate' })),
      { seed: 63, numRuns: 60 },
    );
  });
});
