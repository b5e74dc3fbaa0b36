// The training path the study relies on: BatchNorm after a convolution
// against its formula computed here in plain JavaScript, the same initial
// weights for every activation of a seed, and a BatchNorm CNN that trains
// bit for bit reproducibly, exports with its running statistics, and
// verifies bit-exact at 8 bits.
import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { parseActivation } from '../../src/activations/float.js';
import { loadDigits, loadTf, planArchitecture, train, type Dataset } from '../../src/models/index.js';
import { batchNorm, BN_EPSILON, BN_MOMENTUM, initBatchNorm } from '../../src/models/train/batchnorm-tf.js';
import { buildTfNet } from '../../src/models/train/net-tf.js';
import { quantizeModel, verifyModel } from '../../src/sim/index.js';
import { STUDY_ACTIVATIONS } from '../../src/study/index.js';

const digits = loadDigits();
function small(nTrain: number, nTest: number): Dataset {
  const cut = (s: Dataset['train'], n: number) => ({ x: s.x.slice(0, n * 64), y: s.y.slice(0, n), count: n });
  return { ...digits, train: cut(digits.train, nTrain), test: cut(digits.test, nTest) };
}

describe('BatchNorm in training', () => {
  it('training: batch statistics over N, H, W per channel, running statistics move by the momentum; evaluation: running statistics', async () => {
    const { tf } = await loadTf();
    // NHWC [2, 1, 2, 2]: channel 0 holds 1, 2, 3, 4; channel 1 holds 0, 0, 2, -2.
    const xs = [1, 0, 2, 0, 3, 2, 4, -2];
    const x = tf.tensor4d(xs, [2, 1, 2, 2]);
    const p = initBatchNorm(tf, 2);
    p.gamma.assign(tf.tensor1d([2, 1]));
    p.beta.assign(tf.tensor1d([0.5, -1]));
    const y = batchNorm(tf, x, p, true).dataSync();
    const stats = [
      [1, 2, 3, 4],
      [0, 0, 2, -2],
    ].map((v) => {
      const m = v.reduce((a, b) => a + b, 0) / 4;
      return { m, v: v.reduce((a, b) => a + (b - m) ** 2, 0) / 4 };
    });
    const gamma = [2, 1],
      beta = [0.5, -1];
    xs.forEach((v, i) => {
      const c = i % 2,
        s = stats[c]!;
      expect(y[i]).toBeCloseTo(((v - s.m) / Math.sqrt(s.v + BN_EPSILON)) * gamma[c]! + beta[c]!, 5);
    });
    const mean = Array.from(p.mean.dataSync()),
      variance = Array.from(p.variance.dataSync());
    stats.forEach((s, c) => {
      expect(mean[c]).toBeCloseTo((1 - BN_MOMENTUM) * s.m, 6);
      expect(variance[c]).toBeCloseTo(BN_MOMENTUM + (1 - BN_MOMENTUM) * s.v, 6);
    });
    const e = batchNorm(tf, x, p, false).dataSync();
    xs.forEach((v, i) => {
      const c = i % 2;
      expect(e[i]).toBeCloseTo(((v - mean[c]!) / Math.sqrt(variance[c]! + BN_EPSILON)) * gamma[c]! + beta[c]!, 5);
    });
  });
});

describe("the study's training runs", () => {
  it('every activation of a seed starts from the same initial weights', async () => {
    const { tf } = await loadTf();
    const layers = planArchitecture('cnn:4c3b,p2,8', [1, 8, 8], 10);
    const weights = (a: string) => {
      const net = buildTfNet(tf, layers, parseActivation(a), 5);
      const w = net.variables.map((v: tfTypes.Variable) => Array.from(v.dataSync()));
      net.dispose();
      return w;
    };
    const relu = weights('relu');
    for (const a of STUDY_ACTIVATIONS) expect(weights(a), a).toEqual(relu);
  });

  it('a BatchNorm CNN trains bit for bit reproducibly and exports its running statistics; its 8-bit network verifies bit-exact', async () => {
    const ds = small(200, 100);
    const opts = { arch: 'cnn:4c3b,p2,8', activation: parseActivation('helu:0.05'), epochs: 2, seed: 3, batchSize: 32 };
    const a = await train(ds, opts),
      b = await train(ds, opts),
      c = await train(ds, { ...opts, seed: 4 });
    const params = (r: typeof a) =>
      r.graph.nodes.flatMap((n) => ('weights' in n && n.weights ? Object.values(n.weights).map((t) => Array.from(t.data)) : []));
    expect(params(a)).toEqual(params(b));
    expect(params(a)).not.toEqual(params(c));
    const bn = a.graph.nodes.find((n) => n.op === 'BatchNormalization');
    expect(bn && 'weights' in bn ? Array.from(bn.weights.var.data).every((v) => v > 0 && v !== 1) : false).toBe(true);
    // The float64 export (BatchNorm node with running statistics) and TF.js in evaluation mode agree on the test split, up to float32 rounding of one sample.
    expect(Math.abs(a.testAccuracy - a.history[1]!.testAccuracy)).toBeLessThanOrEqual(1 / 100);
    const model = quantizeModel(a.graph, ds.train, { bits: 8 });
    expect(model.layers.some((l) => l.op === ('BatchNormalization' as string))).toBe(false);
    const v = verifyModel(model, ds.test, { mode: 'gate' });
    expect(v.mismatches).toBe(0);
    expect(v.eventMismatches).toBe(0);
  });
});
