/* Small float graphs with seeded random weights, for export tests. */
import { buildGraph } from '../../src/models/shapes.js';
import type { Graph, GraphNode, Tensor } from '../../src/models/graph.js';
import { Prng } from './random-model.js';

export function randTensor(r: Prng, shape: number[], scale = 0.5): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return { shape, data: Float64Array.from({ length: n }, () => (r.next() * 2 - 1) * scale) };
}

export const win = (k: number, pad = 0, stride = 1) => ({
  kernel: [k, k] as [number, number],
  strides: [stride, stride] as [number, number],
  pads: [pad, pad, pad, pad] as [number, number, number, number],
  dilations: [1, 1] as [number, number],
});

/** input [1,8,8] digits-like -> Mul 1/16 -> Flatten -> Gemm 16 -> helu -> Gemm 10 -> Softmax. */
export function mlpGraph(seed = 1, scaleNode: GraphNode['op'] = 'Mul', scale = 1 / 16): Graph {
  const r = new Prng(seed);
  const nodes: GraphNode[] = [
    {
      op: scaleNode as 'Mul',
      name: 'normalize',
      inputs: ['input'],
      output: 'normalized',
      weights: { B: { shape: [], data: Float64Array.of(scaleNode === 'Div' ? 1 / scale : scale) } },
    },
    { op: 'Flatten', name: 'flatten', inputs: ['normalized'], output: 'flat' },
    {
      op: 'Gemm',
      name: 'fc1',
      inputs: ['flat'],
      output: 'h1',
      attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
      weights: { B: randTensor(r, [16, 64], 0.4), C: randTensor(r, [16], 0.2) },
    },
    { op: 'Activation', name: 'act1', inputs: ['h1'], output: 'a1', attrs: { activation: { kind: 'helu', alpha: 0.05 } } },
    {
      op: 'Gemm',
      name: 'fc2',
      inputs: ['a1'],
      output: 'logits',
      attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
      weights: { B: randTensor(r, [10, 16], 0.5), C: randTensor(r, [10], 0.1) },
    },
    { op: 'Softmax', name: 'softmax', inputs: ['logits'], output: 'probs', attrs: { axis: 0 } },
  ];
  return buildGraph({ name: 'test-mlp', inputs: [{ name: 'input', shape: [1, 8, 8] }], outputs: ['probs'], nodes, metadata: {} });
}

const bn = (r: Prng, name: string, input: string, output: string, C: number): GraphNode => ({
  op: 'BatchNormalization',
  name,
  inputs: [input],
  output,
  attrs: { epsilon: 1e-5 },
  weights: {
    scale: { shape: [C], data: Float64Array.from({ length: C }, () => 0.5 + r.next()) },
    bias: randTensor(r, [C], 0.3),
    mean: randTensor(r, [C], 0.3),
    var: { shape: [C], data: Float64Array.from({ length: C }, () => 0.2 + r.next()) },
  },
});

/**
 * input [1,8,8] -> Sub mean, Div std (per image, not a power of two) -> Conv 4@3x3 pad 1 -> BN -> relu
 * -> MaxPool 2 -> Conv depthwise 3x3 pad 1 -> BN -> gelu -> AvgPool 2 -> residual Add with a 1x1 conv
 * -> Concat with itself through relu6 -> GlobalAveragePool -> Flatten -> Gemm 10 (MatMul + Add form).
 */
export function cnnGraph(seed = 2): Graph {
  const r = new Prng(seed);
  const nodes: GraphNode[] = [
    { op: 'Sub', name: 'center', inputs: ['input'], output: 'centered', weights: { B: { shape: [], data: Float64Array.of(5) } } },
    { op: 'Div', name: 'scale', inputs: ['centered'], output: 'normalized', weights: { B: { shape: [], data: Float64Array.of(6) } } },
    {
      op: 'Conv',
      name: 'conv1',
      inputs: ['normalized'],
      output: 'c1',
      attrs: { ...win(3, 1), group: 1 },
      weights: { W: randTensor(r, [4, 1, 3, 3], 0.6), B: randTensor(r, [4], 0.1) },
    },
    bn(r, 'bn1', 'c1', 'b1', 4),
    { op: 'Activation', name: 'relu1', inputs: ['b1'], output: 'a1', attrs: { activation: { kind: 'relu' } } },
    { op: 'MaxPool', name: 'pool1', inputs: ['a1'], output: 'p1', attrs: { ...win(2, 0, 2), ceilMode: false, countIncludePad: false } },
    {
      op: 'Conv',
      name: 'dw',
      inputs: ['p1'],
      output: 'd1',
      attrs: { ...win(3, 1), group: 4 },
      weights: { W: randTensor(r, [4, 1, 3, 3], 0.6) },
    },
    bn(r, 'bn2', 'd1', 'b2', 4),
    { op: 'Activation', name: 'gelu', inputs: ['b2'], output: 'g1', attrs: { activation: { kind: 'gelu' } } },
    { op: 'AveragePool', name: 'pool2', inputs: ['g1'], output: 'p2', attrs: { ...win(2, 0, 2), ceilMode: false, countIncludePad: false } },
    {
      op: 'Conv',
      name: 'proj',
      inputs: ['p2'],
      output: 'pr',
      attrs: { ...win(1), group: 1 },
      weights: { W: randTensor(r, [4, 4, 1, 1], 0.5), B: randTensor(r, [4], 0.1) },
    },
    { op: 'Add', name: 'res', inputs: ['p2', 'pr'], output: 'r1', weights: {} },
    { op: 'Activation', name: 'relu6', inputs: ['r1'], output: 'r6', attrs: { activation: { kind: 'relu6' } } },
    { op: 'Concat', name: 'cat', inputs: ['r1', 'r6'], output: 'cat', attrs: { axis: 0 } },
    { op: 'GlobalAveragePool', name: 'gap', inputs: ['cat'], output: 'gap' },
    { op: 'Flatten', name: 'flat', inputs: ['gap'], output: 'flat' },
    { op: 'MatMul', name: 'fc', inputs: ['flat'], output: 'mm', weights: { B: randTensor(r, [8, 10], 0.7) } },
    { op: 'Add', name: 'fc_bias', inputs: ['mm'], output: 'logits', weights: { B: randTensor(r, [10], 0.1) } },
  ];
  return buildGraph({ name: 'test-cnn', inputs: [{ name: 'input', shape: [1, 8, 8] }], outputs: ['logits'], nodes, metadata: {} });
}

/** Random raw digit-like inputs: integers 0..16. */
export function digitInputs(seed: number, count: number): { x: Float64Array; count: number } {
  const r = new Prng(seed);
  return { x: Float64Array.from({ length: count * 64 }, () => r.int(0, 16)), count };
}
