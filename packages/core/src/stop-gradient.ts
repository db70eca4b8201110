/**
 * The identity with a zero gradient (JAX's `stop_gradient`, PyTorch's `detach`): the value is used
 * as a constant by every gradient taken through it. tfjs has no such op.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad1 } from './custom-grad.js';

const detach = customGrad1((t: tf.Tensor) => ({
  value: tf.clone(t),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * A copy of `x` through which no gradient flows.
 *
 * @example
 * ```ts
 * const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, stopGradient(x))))(tf.tensor1d([3])); // [3], not [6]
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detach(x) as T;
}
