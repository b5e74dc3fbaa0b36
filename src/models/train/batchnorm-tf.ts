import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './tf.js';

type T = tfTypes.Tensor;

/** Added to the variance before the square root (PyTorch's default). */
export const BN_EPSILON = 1e-5;
/** Running statistics: running = BN_MOMENTUM * running + (1 - BN_MOMENTUM) * batch. */
export const BN_MOMENTUM = 0.9;

/**
 * BatchNorm over the channels (last axis, NHWC) of a convolution's output:
 * scale gamma and shift beta are trained; the running mean and variance are
 * not (they are updated from each training batch and used at evaluation).
 */
export interface BatchNormParams {
  gamma: tfTypes.Variable;
  beta: tfTypes.Variable;
  mean: tfTypes.Variable;
  variance: tfTypes.Variable;
}

export function initBatchNorm(tf: Tf, channels: number): BatchNormParams {
  return {
    gamma: tf.variable(tf.ones([channels])),
    beta: tf.variable(tf.zeros([channels])),
    mean: tf.variable(tf.zeros([channels]), false),
    variance: tf.variable(tf.ones([channels]), false),
  };
}

/**
 * y = (x - m) / sqrt(v + BN_EPSILON) * gamma + beta. Training: m, v are the
 * batch mean and biased variance over N, H, W (gradients flow through them),
 * and the running statistics move toward them; evaluation: the running ones.
 * This is exactly the inference node the exported graph holds
 * (BatchNormalization with the running statistics).
 */
export function batchNorm(tf: Tf, x: T, p: BatchNormParams, training: boolean): T {
  let m: T = p.mean,
    v: T = p.variance;
  if (training) {
    m = tf.mean(x, [0, 1, 2]);
    v = tf.mean(tf.square(tf.sub(x, m)), [0, 1, 2]);
    const keep = (run: tfTypes.Variable, batch: T) => run.assign(tf.add(tf.mul(BN_MOMENTUM, run), tf.mul(1 - BN_MOMENTUM, batch)));
    keep(p.mean, m);
    keep(p.variance, v);
  }
  return tf.add(tf.mul(tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, BN_EPSILON))), p.gamma), p.beta);
}
