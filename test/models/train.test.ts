// Training with TF.js: HeLU's custom gradient against the paper's rule,
// seeded reproducibility, dead units against an independent count on the
// exported graph, and the exported graph agreeing with TF.js's predictions.
import { describe, expect, it } from 'vitest';
import {
  loadDataset,
  loadTf,
  runFloat,
  tfActivation,
  train,
  planArchitecture,
  type Dataset,
  type GraphNode,
} from '../../src/models/index.js';
import { parseActivation } from '../../src/activations/float.js';
import { conv } from '../../src/models/train/net-tf.js';
import type * as tfTypes from '@tensorflow/tfjs';
import { UserError } from '../../src/errors.js';

const digits = loadDataset('digits');
/** The first n samples of each split: enough to train a few tiny epochs quickly. */
function small(n: number): Dataset {
  const cut = (s: Dataset['train']) => ({ x: s.x.slice(0, n * 64), y: s.y.slice(0, n), count: n });
  return { ...digits, train: cut(digits.train), test: cut(digits.test) };
}

describe('HeLU custom gradient (TF.js)', () => {
  it('forward is relu; gradient is dy where x > -alpha, else 0', async () => {
    const { tf } = await loadTf();
    for (const alpha of [0.05, 0.001, 0.3]) {
      const xs = [-1, -0.5, -alpha - 0.01, Math.fround(-alpha), -alpha + 0.01, -alpha / 2, -1e-6, 0, 1e-6, 0.02, 2];
      const dy = xs.map((_, i) => 0.5 + i);
      const x = tf.tensor1d(xs);
      const f = tfActivation(tf, { kind: 'helu', alpha });
      const y = f(x).arraySync() as number[];
      const g = tf
        .grad((t) => f(t))(x, tf.tensor1d(dy))
        .arraySync() as number[];
      const a32 = Math.fround(alpha);
      xs.forEach((v, i) => {
        const x32 = Math.fround(v);
        expect(y[i]).toBe(x32 > 0 ? x32 : 0);
        expect(g[i], `alpha ${alpha} x ${v}`).toBe(x32 > -a32 ? dy[i] : 0);
      });
    }
  });

  it('ReLU differs from HeLU exactly on (-alpha, 0]', async () => {
    const { tf } = await loadTf();
    const x = tf.tensor1d([-0.04, 0]);
    const relu = tf
      .grad((t) => tfActivation(tf, { kind: 'relu' })(t))(x)
      .arraySync();
    const helu = tf
      .grad((t) => tfActivation(tf, { kind: 'helu', alpha: 0.05 })(t))(x)
      .arraySync();
    expect(relu).toEqual([0, 0]);
    expect(helu).toEqual([1, 1]);
  });
});

describe('train', () => {
  it('is reproducible with a seed, and the seed matters', async () => {
    const ds = small(160);
    const opts = { arch: 'mlp:12', activation: parseActivation('helu'), epochs: 2, seed: 7 };
    const a = await train(ds, opts);
    const b = await train(ds, opts);
    const c = await train(ds, { ...opts, seed: 8 });
    const weights = (r: typeof a) => r.graph.nodes.flatMap((n) => (n.op === 'Gemm' ? [...n.weights.B.data] : []));
    expect(weights(a)).toEqual(weights(b));
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    expect(weights(a)).not.toEqual(weights(c));
  });

  it('reports dead units equal to an independent count on the exported graph', async () => {
    const ds = small(300);
    const r = await train(ds, { arch: 'mlp:48,24', activation: parseActivation('relu'), epochs: 3, learningRate: 0.05, seed: 3 });
    const run = runFloat(r.graph, Float64Array.from(ds.train.x), ds.train.count, { intermediates: true });
    const acts = r.graph.nodes.filter((n): n is Extract<GraphNode, { op: 'Activation' }> => n.op === 'Activation');
    const counted = acts.map((n) => {
      const v = run.tensors!.get(n.output)!;
      const units = v.length / ds.train.count;
      let dead = 0;
      for (let u = 0; u < units; u++) {
        let zero = true;
        for (let s = 0; s < ds.train.count && zero; s++) zero = v[s * units + u] === 0;
        if (zero) dead++;
      }
      return dead / units;
    });
    expect(counted.some((d) => d > 0)).toBe(true);
    expect(r.deadFraction).toEqual(counted);
    expect(r.history).toHaveLength(3);
    expect(r.history[2]!.deadFraction).toEqual(r.deadFraction);
  });

  it('exports a CNN whose float64 predictions match TF.js (NHWC -> NCHW weights)', async () => {
    const ds = small(240);
    const r = await train(ds, { arch: 'cnn:4c3,p2,6c3s2,5', activation: parseActivation('gelu'), epochs: 2, seed: 2 });
    expect(r.graph.nodes.map((n) => n.op)).toEqual([
      'Mul',
      'Sub',
      'Conv',
      'Activation',
      'MaxPool',
      'Conv',
      'Activation',
      'Flatten',
      'Gemm',
      'Activation',
      'Gemm',
    ]);
    const last = r.history[r.history.length - 1]!;
    // Same weights, float32 (TF.js) vs float64 (graph): predictions may differ only on near-ties.
    expect(Math.abs(r.trainAccuracy - last.trainAccuracy)).toBeLessThanOrEqual(1 / 240);
    expect(Math.abs(r.testAccuracy - last.testAccuracy)).toBeLessThanOrEqual(1 / 240);
    expect(r.graph.metadata['trainedActivation']).toBe('gelu');
  });

  it('rejects architectures that do not fit the data', () => {
    expect(() => planArchitecture('cnn:8c3v,p2,p2,p2', [1, 8, 8], 10)).toThrow(/pooling 2x2 does not fit/);
    expect(() => planArchitecture('cnn:8c3', [64], 10)).toThrow(UserError);
    expect(() => planArchitecture('mlp:8c3', [64], 10)).toThrow(/mlp layers are unit counts/);
    expect(() => planArchitecture('resnet', [64], 10)).toThrow(/accepted: 'mlp:H1/);
    expect(planArchitecture('cnn:8c3,p2,16c3,p2,32', [1, 8, 8], 10).map((l) => l.outShape)).toEqual([
      [8, 8, 8],
      [8, 4, 4],
      [16, 4, 4],
      [16, 2, 2],
      [64],
      [32],
      [10],
    ]);
  });
});

describe('convolution gradients (custom filter gradient for the WASM backend)', () => {
  it('dW and dx equal the definition, stride 1 and 2, same and valid padding', async () => {
    const { tf } = await loadTf();
    const r = (n: number, seed: number) => {
      let a = seed;
      return Float32Array.from({ length: n }, () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
    };
    for (const [st, same, H] of [
      [1, true, 6],
      [2, true, 7],
      [2, false, 7],
      [1, false, 5],
    ] as const) {
      const [N, C, F, K] = [2, 3, 4, 3];
      const layer = planArchitecture(`cnn:${F}c${K}s${st}${same ? '' : 'v'}`, [C, H, H], 2)[0]!;
      const [, OH, OW] = layer.outShape as [number, number, number];
      const [pt, pl] = same
        ? [Math.floor(Math.max((OH - 1) * st + K - H, 0) / 2), Math.floor(Math.max((OW - 1) * st + K - H, 0) / 2)]
        : [0, 0];
      const xv = r(N * H * H * C, 3),
        wv = r(K * K * C * F, 5),
        rv = r(N * OH * OW * F, 7);
      const x = tf.tensor4d(xv, [N, H, H, C]);
      const W = tf.variable(tf.tensor4d(wv, [K, K, C, F]));
      const b = tf.variable(tf.zeros([F]));
      const R = tf.tensor4d(rv, [N, OH, OW, F]);
      const loss = (xx: tfTypes.Tensor, ww: tfTypes.Tensor) =>
        tf.sum(tf.mul(conv(tf, xx, { W: ww as tfTypes.Variable, b }, layer.spec as never, layer), R));
      const [gx, gw] = tf
        .grads(loss)([x, W])
        .map((g) => g.dataSync());
      const X = (n: number, h: number, w: number, c: number) =>
        h < 0 || h >= H || w < 0 || w >= H ? 0 : xv[((n * H + h) * H + w) * C + c]!;
      const wantW = new Float64Array(K * K * C * F),
        wantX = new Float64Array(N * H * H * C);
      for (let n = 0; n < N; n++)
        for (let a = 0; a < OH; a++)
          for (let c2 = 0; c2 < OW; c2++)
            for (let i = 0; i < K; i++)
              for (let j = 0; j < K; j++)
                for (let c = 0; c < C; c++)
                  for (let f = 0; f < F; f++) {
                    const h = a * st - pt + i,
                      w = c2 * st - pl + j,
                      d = rv[((n * OH + a) * OW + c2) * F + f]!;
                    wantW[((i * K + j) * C + c) * F + f] += X(n, h, w, c) * d;
                    if (h >= 0 && h < H && w >= 0 && w < H) wantX[((n * H + h) * H + w) * C + c] += wv[((i * K + j) * C + c) * F + f]! * d;
                  }
      wantW.forEach((v, i) => expect(Math.abs(gw![i]! - v), `dW st ${st} same ${same}`).toBeLessThan(1e-4));
      wantX.forEach((v, i) => expect(Math.abs(gx![i]! - v), `dx st ${st} same ${same}`).toBeLessThan(1e-4));
    }
  });
});
