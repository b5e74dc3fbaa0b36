/*
 * The benchmark networks shared by the engine and verify benchmarks: seeded
 * random float weights (one seeded sequence, `rand`), HeLU activations, and
 * the digits images as inputs (the CNN's upsampled 2x to 16x16).
 */
import { normalizeActivation } from '../../src/activations/float.js';
import { loadDataset, splitOf } from '../../src/models/datasets/index.js';
import type { Graph, GraphNode, Tensor } from '../../src/models/graph.js';
import { buildGraph } from '../../src/models/shapes.js';

let seed = 12345;
export function rand(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
}
function t(shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return { shape, data: Float64Array.from({ length: n }, () => (rand() * 2 - 1) * scale) };
}
const conv = (name: string, input: string, m: number, c: number): GraphNode => ({
  op: 'Conv',
  name,
  inputs: [input],
  output: name,
  weights: { W: t([m, c, 3, 3], 1 / Math.sqrt(9 * c)), B: t([m], 0.05) },
  attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
});
const act = (name: string, input: string): GraphNode => ({
  op: 'Activation',
  name,
  inputs: [input],
  output: name,
  attrs: { activation: normalizeActivation({ kind: 'helu' }) },
});
const pool = (name: string, input: string): GraphNode => ({
  op: 'MaxPool',
  name,
  inputs: [input],
  output: name,
  attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: false },
});
const gemm = (name: string, input: string, n: number, k: number): GraphNode => ({
  op: 'Gemm',
  name,
  inputs: [input],
  output: name,
  attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
  weights: { B: t([n, k], 1 / Math.sqrt(k)), C: t([n], 0.05) },
});
const scaleNode: GraphNode = {
  op: 'Mul',
  name: 'normalize',
  inputs: ['input'],
  output: 'normalized',
  weights: { B: { shape: [], data: Float64Array.of(1 / 16) } },
};

/** 64 -> 256 -> 256 -> 10, HeLU. */
export function mlp(): Graph {
  return buildGraph({
    name: 'bench-mlp',
    inputs: [{ name: 'input', shape: [1, 8, 8] }],
    outputs: ['fc3'],
    metadata: {},
    nodes: [
      scaleNode,
      { op: 'Flatten', name: 'flat', inputs: ['normalized'], output: 'flat' },
      gemm('fc1', 'flat', 256, 64),
      act('a1', 'fc1'),
      gemm('fc2', 'a1', 256, 256),
      act('a2', 'fc2'),
      gemm('fc3', 'a2', 10, 256),
    ],
  });
}

/** [1,16,16]: conv 8, conv 16, maxpool 2, conv 24, conv 32, maxpool 2, dense 10 (0.98 M MACs). */
export function cnn(): Graph {
  return buildGraph({
    name: 'bench-cnn',
    inputs: [{ name: 'input', shape: [1, 16, 16] }],
    outputs: ['fc'],
    metadata: {},
    nodes: [
      scaleNode,
      conv('c1', 'normalized', 8, 1),
      act('a1', 'c1'),
      conv('c2', 'a1', 16, 8),
      act('a2', 'c2'),
      pool('p1', 'a2'),
      conv('c3', 'p1', 24, 16),
      act('a3', 'c3'),
      conv('c4', 'a3', 32, 24),
      act('a4', 'c4'),
      pool('p2', 'a4'),
      { op: 'Flatten', name: 'flat', inputs: ['p2'], output: 'flat' },
      gemm('fc', 'flat', 10, 512),
    ],
  });
}

/** The MLP layer shape: 512 -> 512 -> 512 -> 10, HeLU (run at batch 256: each hidden layer a 256 x 512 x 512 GEMM). */
export function mlp512(): Graph {
  return buildGraph({
    name: 'bench-mlp512',
    inputs: [{ name: 'input', shape: [512] }],
    outputs: ['fc3'],
    metadata: {},
    nodes: [
      scaleNode,
      gemm('fc1', 'normalized', 512, 512),
      act('a1', 'fc1'),
      gemm('fc2', 'a1', 512, 512),
      act('a2', 'fc2'),
      gemm('fc3', 'a2', 10, 512),
    ],
  });
}

/**
 * The convolution shape: [3,112,112], conv 32, conv 64 (the main
 * layer: 12544 pixels x 288 x 64 as a GEMM), two 2x2 max pools, dense 10
 * (243 M MACs per image).
 */
export function cnn112(): Graph {
  return buildGraph({
    name: 'bench-cnn112',
    inputs: [{ name: 'input', shape: [3, 112, 112] }],
    outputs: ['fc'],
    metadata: {},
    nodes: [
      scaleNode,
      conv('c1', 'normalized', 32, 3),
      act('a1', 'c1'),
      conv('c2', 'a1', 64, 32),
      act('a2', 'c2'),
      pool('p1', 'a2'),
      pool('p2', 'p1'),
      { op: 'Flatten', name: 'flat', inputs: ['p2'], output: 'flat' },
      gemm('fc', 'flat', 10, 64 * 28 * 28),
    ],
  });
}

/** `count` samples of `size` random integer values 0..16 (the digits' range), seeded. */
export function randomCodes(count: number, size: number): { x: Float64Array; count: number } {
  return { x: Float64Array.from({ length: count * size }, () => Math.floor(rand() * 17)), count };
}

/** Digits upsampled 2x (nearest), `count` samples cycling through the set, a few pixels perturbed after the first pass. */
export function digits16(count: number): { x: Float64Array; y: Int32Array; count: number } {
  const all = splitOf(loadDataset('digits'), 'all');
  const x = new Float64Array(count * 256),
    y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const s = n % all.count;
    y[n] = all.y[s]!;
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) x[n * 256 + i * 16 + j] = all.x[s * 64 + (i >> 1) * 8 + (j >> 1)]!;
    if (n >= all.count) for (let k = 0; k < 4; k++) x[n * 256 + Math.floor(rand() * 256)] = Math.floor(rand() * 17);
  }
  return { x, y, count };
}
