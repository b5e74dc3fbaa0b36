import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';
import { checkAgainstOracle, reached } from './oracle-check.js';

describe('integer engine == bigint oracle, layer by layer', () => {
  it('exact accumulators', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model({ narrowAccumulators: false, maxLayers: 5 })), ({ model, input, batch }) =>
        checkAgainstOracle(model, input, batch),
      ),
      { seed: 71, numRuns: 120 },
    );
    const ops = ['add', 'avgpool', 'concat', 'conv', 'dense', 'flatten', 'globalavgpool', 'maxpool', 'reshape', 'transpose'];
    expect([...reached.keys()].sort()).toEqual(ops);
  });
  it('narrowed accumulators (every rounding and overflow mode)', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model({ maxLayers: 5 })), ({ model, input, batch }) => checkAgainstOracle(model, input, batch)),
      { seed: 72, numRuns: 120 },
    );
  });
});
