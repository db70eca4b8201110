/**
 * Typed wrappers over `tf.customGrad`, whose public typing lumps tensors and the save function
 * together. Used wherever a gradient is known in closed form or must avoid a missing kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

export type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** `f(x)` with a custom gradient w.r.t. one input. */
export function customGrad1<T extends tf.Tensor>(
  f: (x: T, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (x: T) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T) => tf.Tensor;
}

/** `f(a, b)` with custom gradients w.r.t. two inputs (gradFunc returns `[da, db]`). */
export function customGrad2<A extends tf.Tensor, B extends tf.Tensor>(
  f: (a: A, b: B, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (a: A, b: B) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: A, b: B) => tf.Tensor;
}
