import type * as tfTypes from '@tensorflow/tfjs';
import type { ActivationSpec } from '../../activations/float.js';
import { Rng } from '../rng.js';
import { samePads } from '../window.js';
import type { LayerSpec, PlannedLayer } from './arch.js';
import { tfActivation } from './activation-tf.js';
import type { Tf } from './tf.js';

type T = tfTypes.Tensor;

/** Trainable parameters of a conv ([K,K,C,F], TensorFlow layout) or dense ([in,out]) layer. */
export interface LayerParams {
  W: tfTypes.Variable;
  b: tfTypes.Variable;
}

/**
 * A planned network in TF.js, NHWC. Convolutions are written as im2col
 * (pad, K*K slices, concat, one matMul) because the WASM backend has no
 * Conv2DBackpropFilter kernel; the result is the same cross-correlation.
 */
export interface TfNet {
  layers: PlannedLayer[];
  params: (LayerParams | undefined)[];
  variables: tfTypes.Variable[];
  /** Weight matrices only (weight decay applies to them, not to biases). */
  kernels: tfTypes.Variable[];
  /** Logits and the output of every activation (hidden layer), in order. */
  /** With `dropout`, each hidden output is passed through seeded inverted dropout (training only). */
  forward(x: T, dropout?: { rate: number; seed: number }): { logits: T; hidden: T[] };
  dispose(): void;
}

const SQUASHING = new Set(['sigmoid', 'tanh', 'hardsigmoid']);

/**
 * Initial weights, uniform: He (limit sqrt(6/fanIn)) for hidden layers, Glorot
 * (sqrt(6/(fanIn+fanOut))) for squashing activations and the output layer.
 * Biases start at 0. Values drawn in layer order from one seeded stream.
 */
function initParams(tf: Tf, l: PlannedLayer, act: ActivationSpec, rng: Rng): LayerParams | undefined {
  const s = l.spec;
  if (s.type !== 'conv' && s.type !== 'dense') return undefined;
  const [shape, fanIn, fanOut] = s.type === 'conv'
    ? [[s.kernel, s.kernel, l.inShape[0]!, s.filters], s.kernel * s.kernel * l.inShape[0]!, s.kernel * s.kernel * s.filters]
    : [[l.inShape[0]!, s.units], l.inShape[0]!, s.units];
  const glorot = SQUASHING.has(act.kind) || (s.type === 'dense' && !s.hidden);
  const limit = glorot ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
  const n = shape.reduce((a, b) => a * b, 1);
  const w = Float32Array.from({ length: n }, () => rng.uniform(limit));
  const nOut = shape[shape.length - 1]!;
  return { W: tf.variable(tf.tensor(w, shape)), b: tf.variable(tf.zeros([nOut])) };
}

function conv(tf: Tf, x: T, p: LayerParams, s: Extract<LayerSpec, { type: 'conv' }>, l: PlannedLayer): T {
  const [C, H, W] = l.inShape as [number, number, number];
  const [F, OH, OW] = l.outShape as [number, number, number];
  const K = s.kernel, st = s.stride;
  const [pt, pb] = s.same ? samePads(H, K, st, 1) : [0, 0];
  const [pl, pr] = s.same ? samePads(W, K, st, 1) : [0, 0];
  // Slices span OH*st rows; extra zero rows at the end are read only by discarded stride phases.
  const extraH = Math.max(0, K - 1 + OH * st - (H + pt + pb));
  const extraW = Math.max(0, K - 1 + OW * st - (W + pl + pr));
  const xp = tf.pad(x, [[0, 0], [pt, pb + extraH], [pl, pr + extraW], [0, 0]]);
  const patches: T[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let p = tf.slice(xp, [0, i, j, 0], [-1, OH * st, OW * st, C]);
      if (st > 1) p = tf.reshape(tf.slice(tf.reshape(p, [-1, OH, st, OW, st * C]), [0, 0, 0, 0, 0], [-1, OH, 1, OW, C]), [-1, OH, OW, C]);
      patches.push(p);
    }
  }
  const cols = patches.length === 1 ? patches[0]! : tf.concat(patches, 3);
  const y = tf.matMul(tf.reshape(cols, [-1, K * K * C]), tf.reshape(p.W, [K * K * C, F]));
  return tf.add(tf.reshape(y, [-1, OH, OW, F]), p.b);
}

/** Builds the TF.js network with seeded initial weights. */
export function buildTfNet(tf: Tf, layers: PlannedLayer[], act: ActivationSpec, seed: number): TfNet {
  const rng = new Rng(seed);
  const params = layers.map((l) => initParams(tf, l, act, rng));
  const variables = params.flatMap((p) => (p ? [p.W, p.b] : []));
  const f = tfActivation(tf, act);
  const forward = (x: T, dropout?: { rate: number; seed: number }): { logits: T; hidden: T[] } => {
    let drops = 0;
    const drop = (h: T): T => (dropout && dropout.rate > 0 ? tf.dropout(h, dropout.rate, undefined, dropout.seed + drops++) : h);
    const hidden: T[] = [];
    let h = x;
    layers.forEach((l, k) => {
      const s = l.spec;
      const p = params[k];
      if (s.type === 'conv') { h = f(conv(tf, h, p!, s, l)); hidden.push(h); h = drop(h); }
      else if (s.type === 'maxpool') h = tf.maxPool(h as tfTypes.Tensor4D, s.size, s.size, 'valid');
      else if (s.type === 'avgpool') h = tf.avgPool(h as tfTypes.Tensor4D, s.size, s.size, 'valid');
      else if (s.type === 'gap') h = tf.mean(h, [1, 2]);
      else if (s.type === 'flatten') h = tf.reshape(h, [-1, l.outShape[0]!]);
      else {
        h = tf.add(tf.matMul(h, p!.W), p!.b);
        if (s.hidden) { h = f(h); hidden.push(h); h = drop(h); }
      }
    });
    return { logits: h, hidden };
  };
  return {
    layers, params, variables, forward,
    kernels: params.flatMap((p) => (p ? [p.W] : [])),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
