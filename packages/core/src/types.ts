import type * as tf from '@tensorflow/tfjs-core';

/** A point cloud: `[n, d]` float32, one sample per row. */
export type PointCloud = tf.Tensor2D;

/** Weights of a discrete measure: `[n]`, nonnegative, summing to 1. Uniform when omitted. */
export type Weights = tf.Tensor1D;

/** A discrete measure: support points and optional weights (uniform when omitted). */
export interface Measure {
  /** Support `[n, d]`. */
  readonly x: PointCloud;
  /** Weights `[n]`; uniform when omitted. */
  readonly weights?: Weights;
}

/** Something that can become a tensor: a tensor or nested arrays of numbers. */
export type TensorLike = tf.Tensor | number | number[] | number[][] | Float32Array;

/** How much input checking a call performs. */
export type ValidationLevel = 'full' | 'shapes';
