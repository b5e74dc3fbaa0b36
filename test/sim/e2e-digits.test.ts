/*
 * End to end on the bundled digits set: HeLU networks trained here (seeded,
 * short), exported to 8-bit pow2 fixed point, verified bit-exact against the
 * float reference on all 1,797 samples, losing at most one point of test
 * accuracy against the unquantized network.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset, splitOf } from '../../src/models/datasets/index.js';
import { train } from '../../src/models/train/train.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { verifyModel } from '../../src/sim/verify/verify.js';

const ds = loadDataset('digits');

async function endToEnd(arch: string, epochs: number): Promise<void> {
  const trained = await train(ds, { arch, activation: { kind: 'helu', alpha: 0.05 }, epochs, seed: 1, batchSize: 128, learningRate: 0.01 });
  const model = quantizeModel(trained.graph, ds.train, { bits: 8 });
  expect(model.layers.filter((l) => l.op === 'activation').every((l) => l.op === 'activation' && l.activation === 'helu')).toBe(true);
  const all = verifyModel(model, splitOf(ds, 'all'), { float: trained.graph });
  expect(all.samples).toBe(1797);
  expect([all.mismatches, all.maxLsbError, all.eventMismatches]).toEqual([0, 0, 0]);
  expect(all.tensorsCompared).toBe(1797 * (model.layers.length + 1));
  const test = verifyModel(model, ds.test, { float: trained.graph, mode: 'both' });
  expect([test.mismatches, test.modeMismatches]).toEqual([0, 0]);
  expect(test.unquantizedAccuracy).toBeCloseTo(trained.testAccuracy, 10);
  expect(test.intAccuracy).toBe(test.floatAccuracy);
  expect(test.intAccuracy!).toBeGreaterThanOrEqual(test.unquantizedAccuracy! - 0.01);
  console.log(
    `${arch}: unquantized ${test.unquantizedAccuracy}, 8-bit integer ${test.intAccuracy}; SQNR ${test.layers.map((l) => `${l.name} ${l.sqnrDb}`).join(', ')}`,
  );
}

describe('digits: trained HeLU networks, 8-bit pow2, bit-exact', () => {
  it('MLP', () => endToEnd('mlp:32', 10));
  it('CNN', () => endToEnd('cnn:4c3,p2,8c3,p2', 8));
});
