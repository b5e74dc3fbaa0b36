import { isElementwiseSpec, type ActivationSpec } from '../../activations/float.js';
import { UserError } from '../../errors.js';
import type { Tf } from './tf.js';
import type * as tfTypes from '@tensorflow/tfjs';

type T = tfTypes.Tensor;

/**
 * An activation as a TF.js function, with the float semantics of
 * activations/float.ts. HeLU is a custom gradient: forward relu(x), backward
 * dy * (x > -alpha) — gradient also flows for inputs in (-alpha, 0], where
 * ReLU's would be 0.
 */
export function tfActivation(tf: Tf, spec: ActivationSpec): (x: T) => T {
  const relu6 = (x: T): T => tf.clipByValue(x, 0, 6);
  if (isElementwiseSpec(spec))
    throw new UserError(`training: '${spec.kind}' is an elementwise unit of imported networks, not a training activation`);
  switch (spec.kind) {
    case 'helu': {
      const alpha = spec.alpha;
      const f = tf.customGrad((...args: (T | ((s: T[]) => void))[]) => {
        const x = args[0] as T;
        (args[1] as (s: T[]) => void)([x]);
        return {
          value: tf.relu(x),
          gradFunc: (dy: T, saved: T[]) => tf.mul(dy, tf.cast(tf.greater(saved[0]!, -alpha), 'float32')),
        };
      });
      return (x) => f(x);
    }
    case 'relu':
      return (x) => tf.relu(x);
    case 'leakyrelu':
      return (x) => tf.leakyRelu(x, spec.alpha);
    case 'relu6':
      return relu6;
    case 'clamp':
      return (x) => tf.clipByValue(x, spec.min ?? -1, spec.max ?? 1);
    case 'hardsigmoid':
      return (x) => tf.div(relu6(tf.add(x, 3)), 6);
    case 'hardswish':
      return (x) => tf.div(tf.mul(x, relu6(tf.add(x, 3))), 6);
    case 'gelu':
      return (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'silu':
      return (x) => tf.mul(x, tf.sigmoid(x));
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'elu': {
      const a = spec.alpha;
      return a === 1 ? (x) => tf.elu(x) : (x) => tf.where(tf.greater(x, 0), x, tf.mul(a, tf.expm1(x)));
    }
  }
}
