// TensorFlow.js layers import: models built and saved here with TF.js, read
// back by helu-sim, outputs compared with TF.js's own predict().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadModel, loadTf, runFloat } from '../../src/models/index.js';
import { randomInput, relErr, rng } from './onnx-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-tfjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Saves a model as model.json + weights.bin (what tf.io file saving writes), with random non-trivial BN statistics. */
async function save(tf: typeof tfTypes, m: tfTypes.LayersModel, name: string, metadata?: Record<string, string>): Promise<string> {
  const r = rng(5);
  for (const l of m.layers) {
    if (l.getClassName() === 'BatchNormalization')
      l.setWeights(l.getWeights().map((w) => tf.add(tf.mul(tf.randomUniform(w.shape, 0, 1, 'float32', Math.floor(r() * 1e6)), 0.8), 0.4)));
  }
  const d = join(dir, name);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(d, { recursive: true });
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(d, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      writeFileSync(
        join(d, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
          ...(metadata ? { userDefinedMetadata: metadata } : {}),
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(d, 'model.json');
}

async function compare(m: tfTypes.LayersModel, path: string, shape: number[], batch: number, tf: typeof tfTypes): Promise<number> {
  const x = randomInput(batch * shape.reduce((a, b) => a * b, 1), rng(9), -1, 1);
  const want = (m.predict(tf.tensor(x, [batch, ...shape])) as tfTypes.Tensor).dataSync();
  const model = await loadModel(path);
  return relErr(runFloat(model.graph!, x, batch).output, want);
}

describe('TensorFlow.js layers import', () => {
  it('Sequential CNN: Conv2D (same/valid, strides, dilation), DepthwiseConv2D, BatchNorm, pools, Flatten, Dense, activations', async () => {
    const { tf } = await loadTf();
    const L = tf.layers;
    const m = tf.sequential({
      layers: [
        L.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        L.batchNormalization(),
        L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'tanh' }),
        L.conv2d({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same', activation: 'elu' }),
        L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        L.conv2d({ filters: 5, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'sigmoid' }),
        L.averagePooling2d({ poolSize: 2, padding: 'same' }),
        L.flatten(),
        L.dense({ units: 7, activation: 'relu6' }),
        L.dropout({ rate: 0.5 }),
        L.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    const path = await save(tf, m, 'cnn');
    expect(await compare(m, path, [9, 9, 2], 3, tf)).toBeLessThan(1e-5);
  });

  it('functional model: Add, Concatenate, GlobalAveragePooling2D, LeakyReLU/ReLU/Softmax layers; HeLU via userDefinedMetadata', async () => {
    const { tf } = await loadTf();
    const L = tf.layers;
    const inp = tf.input({ shape: [6, 6, 3] });
    const a = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(inp) as tfTypes.SymbolicTensor;
    const r = L.reLU().apply(a) as tfTypes.SymbolicTensor;
    const b = L.conv2d({ filters: 4, kernelSize: 1, activation: 'relu' }).apply(inp) as tfTypes.SymbolicTensor;
    const s = L.add().apply([r, b]) as tfTypes.SymbolicTensor;
    const c = L.concatenate().apply([s, L.leakyReLU({ alpha: 0.2 }).apply(a) as tfTypes.SymbolicTensor]) as tfTypes.SymbolicTensor;
    const g = L.globalAveragePooling2d({}).apply(c) as tfTypes.SymbolicTensor;
    const out = L.softmax().apply(L.dense({ units: 3 }).apply(g)) as tfTypes.SymbolicTensor;
    const m = tf.model({ inputs: inp, outputs: out });
    const path = await save(tf, m, 'functional', { trainedActivation: 'helu' });
    expect(await compare(m, path, [6, 6, 3], 4, tf)).toBeLessThan(1e-5);
    const graph = (await loadModel(join(dir, 'functional'))).graph!;
    expect(graph.nodes.filter((n) => n.op === 'Activation').map((n) => n.op === 'Activation' && n.attrs.activation.kind)).toEqual([
      'helu',
      'helu',
      'leakyrelu',
    ]);
  });

  it('MLP on flat input', async () => {
    const { tf } = await loadTf();
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [10], units: 8, activation: 'swish' }), tf.layers.dense({ units: 3, useBias: false })],
    });
    const path = await save(tf, m, 'mlp');
    expect(await compare(m, path, [10], 5, tf)).toBeLessThan(1e-5);
  });
});
