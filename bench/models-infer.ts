// Float inference throughput: helu-sim's float64 reference engine (and its
// float32 mode) in MACs per second on an MLP and a CNN, next to
// onnxruntime-node's float32 on the same exported model.
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/random.js';
import { buildGraph, exportOnnx, macsPerSample, runFloat, type Graph, type GraphNode, type Tensor } from '../src/models/index.js';

const rng = new Rng(1);
const w = (shape: number[], scale: number): Tensor => ({
  shape,
  data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(scale)),
});
const relu = (name: string, input: string): GraphNode => ({
  op: 'Activation',
  name,
  inputs: [input],
  output: name,
  attrs: { activation: { kind: 'helu', alpha: 0.05 } },
});
const gemm = (name: string, input: string, nIn: number, nOut: number): GraphNode => ({
  op: 'Gemm',
  name,
  inputs: [input],
  output: name,
  attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
  weights: { B: w([nOut, nIn], Math.sqrt(6 / nIn)), C: w([nOut], 0.1) },
});
const conv = (name: string, input: string, cin: number, cout: number): GraphNode => ({
  op: 'Conv',
  name,
  inputs: [input],
  output: name,
  attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
  weights: { W: w([cout, cin, 3, 3], Math.sqrt(6 / (9 * cin))), B: w([cout], 0.1) },
});
const pool = (name: string, input: string): GraphNode => ({
  op: 'MaxPool',
  name,
  inputs: [input],
  output: name,
  attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: false },
});

const mlp = buildGraph({
  name: 'mlp-784-256-128-10',
  inputs: [{ name: 'x', shape: [784] }],
  outputs: ['fc3'],
  metadata: {},
  nodes: [gemm('fc1', 'x', 784, 256), relu('a1', 'fc1'), gemm('fc2', 'a1', 256, 128), relu('a2', 'fc2'), gemm('fc3', 'a2', 128, 10)],
});
const cnn = buildGraph({
  name: 'cnn-28x28-16c3-p2-32c3-p2-64',
  inputs: [{ name: 'x', shape: [1, 28, 28] }],
  outputs: ['fc2'],
  metadata: {},
  nodes: [
    conv('c1', 'x', 1, 16),
    relu('a1', 'c1'),
    pool('p1', 'a1'),
    conv('c2', 'p1', 16, 32),
    relu('a2', 'c2'),
    pool('p2', 'a2'),
    { op: 'Flatten', name: 'f', inputs: ['p2'], output: 'f' },
    gemm('fc1', 'f', 32 * 7 * 7, 64),
    relu('a3', 'fc1'),
    gemm('fc2', 'a3', 64, 10),
  ],
});

/** Repeats fn until at least `seconds` have passed; returns runs per second. */
async function rate(fn: () => unknown, seconds: number): Promise<number> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function bench(g: Graph, batch: number): Promise<void> {
  const per = g.inputs[0]!.shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * per }, () => rng.next());
  const macs = macsPerSample(g) * batch;
  const f64 = await rate(() => runFloat(g, x, batch), 4);
  const f32 = await rate(() => runFloat(g, x, batch, { precision: 'float32' }), 2);
  const session = await ort.InferenceSession.create(exportOnnx(g));
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', x, [batch, ...g.inputs[0]!.shape]) };
  const o = await rate(() => session.run(feeds), 4);
  const g64 = (f64 * macs) / 1e9,
    g32 = (f32 * macs) / 1e9,
    go = (o * macs) / 1e9;
  console.log(`${g.name}: ${macsPerSample(g)} MACs/sample, batch ${batch}`);
  console.log(
    `  helu-sim float64 ${g64.toFixed(3)} GMAC/s, float32 mode ${g32.toFixed(3)} GMAC/s; onnxruntime-node float32 ${go.toFixed(3)} GMAC/s; ratio float64/onnxruntime ${(g64 / go).toFixed(3)}`,
  );
}

await bench(mlp, 256);
await bench(cnn, 32);
