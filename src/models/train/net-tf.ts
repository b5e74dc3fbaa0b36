import type * as tfTypes from '@tensorflow/tfjs';
import type { ActivationSpec } from '../../activations/float.js';
import { Rng } from '../../random.js';
import { samePads } from '../window.js';
import type { LayerSpec, PlannedLayer } from './arch.js';
import { tfActivation } from './activation-tf.js';
import { batchNorm, initBatchNorm, type BatchNormParams } from './batchnorm-tf.js';
import type { Tf } from './tf.js';

type T = tfTypes.Tensor;

/** Trainable parameters of a conv ([K,K,C,F], TensorFlow layout) or dense ([in,out]) layer. */
export interface LayerParams {
  W: tfTypes.Variable;
  b: tfTypes.Variable;
  /** A convolution followed by BatchNorm ('b' in the architecture). */
  bn?: BatchNormParams;
}

/**
 * A planned network in TF.js, NHWC (convolutions: see conv()).
 */
export interface TfNet {
  layers: PlannedLayer[];
  params: (LayerParams | undefined)[];
  variables: tfTypes.Variable[];
  /** Weight matrices only (weight decay applies to them, not to biases). */
  kernels: tfTypes.Variable[];
  /**
   * Logits and the output of every activation (hidden layer), in order.
   * `dropout` is given in training only: each hidden output then passes
   * through seeded inverted dropout, and BatchNorm uses batch statistics.
   */
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
  const [shape, fanIn, fanOut] =
    s.type === 'conv'
      ? [[s.kernel, s.kernel, l.inShape[0]!, s.filters], s.kernel * s.kernel * l.inShape[0]!, s.kernel * s.kernel * s.filters]
      : [[l.inShape[0]!, s.units], l.inShape[0]!, s.units];
  const glorot = SQUASHING.has(act.kind) || (s.type === 'dense' && !s.hidden);
  const limit = glorot ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
  const n = shape.reduce((a, b) => a * b, 1);
  const w = Float32Array.from({ length: n }, () => rng.uniform(limit));
  const nOut = shape[shape.length - 1]!;
  const p = { W: tf.variable(tf.tensor(w, shape)), b: tf.variable(tf.zeros([nOut])) };
  return s.type === 'conv' && s.batchNorm ? { ...p, bn: initBatchNorm(tf, nOut) } : p;
}

/**
 * The filter gradient dW[i,j,c,f] = sum over n, a, b of
 * xpad[n, a*st + i, b*st + j, c] * dy[n, a, b, f], computed as one
 * convolution: the padded input with batch and channels swapped ([C,Hp,Wp,N])
 * correlated with dy as a filter ([OH,OW,N,F], dilated by the stride).
 */
function filterGrad(tf: Tf, x: T, dy: T, s: Extract<LayerSpec, { type: 'conv' }>, l: PlannedLayer): T {
  const [C, H, W] = l.inShape as [number, number, number];
  const K = s.kernel,
    st = s.stride,
    F = s.filters;
  const [pt, pb] = s.same ? samePads(H, K, st, 1) : [0, 0];
  const [pl, pr] = s.same ? samePads(W, K, st, 1) : [0, 0];
  const xt = tf.transpose(
    tf.pad(x, [
      [0, 0],
      [pt, pb],
      [pl, pr],
      [0, 0],
    ]),
    [3, 1, 2, 0],
  ) as tfTypes.Tensor4D;
  const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tfTypes.Tensor4D;
  const g = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', st);
  return tf.transpose(tf.slice(g, [0, 0, 0, 0], [C, K, K, F]), [1, 2, 0, 3]);
}

/**
 * Convolution: forward tf.conv2d (TensorFlow 'same'/'valid' padding, the
 * rule samePads states); custom gradient because the WASM backend has no
 * Conv2DBackpropFilter kernel: dx by tf.conv2dTranspose (Conv2DBackpropInput),
 * dW by filterGrad — the exact filter gradient.
 */
export function conv(tf: Tf, x: T, p: LayerParams, s: Extract<LayerSpec, { type: 'conv' }>, l: PlannedLayer): T {
  const pad = s.same ? 'same' : 'valid';
  const f = tf.customGrad((...args: (T | ((s: T[]) => void))[]) => {
    const [xi, wi, save] = args as [tfTypes.Tensor4D, tfTypes.Tensor4D, (s: T[]) => void];
    save([xi, wi]);
    return {
      value: tf.conv2d(xi, wi, s.stride, pad),
      gradFunc: (dy: T, saved: T[]) => {
        const [xs, ws] = saved as [tfTypes.Tensor4D, tfTypes.Tensor4D];
        const dx = tf.conv2dTranspose(dy as tfTypes.Tensor4D, ws, xs.shape, s.stride, pad);
        const dw = filterGrad(tf, xs, dy, s, l);
        return [dx, dw];
      },
    };
  });
  return tf.add(f(x, p.W), p.b);
}

/** Builds the TF.js network with seeded initial weights. */
export function buildTfNet(tf: Tf, layers: PlannedLayer[], act: ActivationSpec, seed: number): TfNet {
  const rng = new Rng(seed);
  const params = layers.map((l) => initParams(tf, l, act, rng));
  const variables = params.flatMap((p) => (p ? [p.W, p.b, ...(p.bn ? [p.bn.gamma, p.bn.beta] : [])] : []));
  const stats = params.flatMap((p) => (p?.bn ? [p.bn.mean, p.bn.variance] : []));
  const f = tfActivation(tf, act);
  const forward = (x: T, dropout?: { rate: number; seed: number }): { logits: T; hidden: T[] } => {
    let drops = 0;
    const drop = (h: T): T => (dropout && dropout.rate > 0 ? tf.dropout(h, dropout.rate, undefined, dropout.seed + drops++) : h);
    const hidden: T[] = [];
    let h = x;
    layers.forEach((l, k) => {
      const s = l.spec;
      const p = params[k];
      if (s.type === 'conv') {
        h = conv(tf, h, p!, s, l);
        if (p!.bn) h = batchNorm(tf, h, p!.bn, dropout !== undefined);
        h = f(h);
        hidden.push(h);
        h = drop(h);
      } else if (s.type === 'maxpool') h = tf.maxPool(h as tfTypes.Tensor4D, s.size, s.size, 'valid');
      else if (s.type === 'avgpool') h = tf.avgPool(h as tfTypes.Tensor4D, s.size, s.size, 'valid');
      else if (s.type === 'gap') h = tf.mean(h, [1, 2]);
      else if (s.type === 'flatten') h = tf.reshape(h, [-1, l.outShape[0]!]);
      else {
        h = tf.add(tf.matMul(h, p!.W), p!.b);
        if (s.hidden) {
          h = f(h);
          hidden.push(h);
          h = drop(h);
        }
      }
    });
    return { logits: h, hidden };
  };
  return {
    layers,
    params,
    variables,
    forward,
    kernels: params.flatMap((p) => (p ? [p.W] : [])),
    dispose: () => [...variables, ...stats].forEach((v) => v.dispose()),
  };
}
