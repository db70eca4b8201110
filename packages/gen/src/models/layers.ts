/**
 * Functional layers on tfjs-core ops. `linear` has a hand-written gradient that transposes
 * explicitly: tfjs's MatMul gradient uses the transposeA / transposeB flags, which are ≈10–50×
 * slower than a plain matMul on the wasm backend (see the repo's TFJS-ON-NODE notes).
 */
import * as tf from '@tensorflow/tfjs-core';

const linearOp = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** `x @ w + b`: x `[n, i]`, w `[i, o]`, b `[o]` → `[n, o]`. */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = linearOp(x as tf.Tensor2D, w as tf.Tensor2D);
  return b === undefined ? y : tf.add(y, b);
}

export type Activation = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'linear' | 'elu';

export function activate(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    default:
      return x;
  }
}

/**
 * Batch normalization over all axes but the last: `(x − mean) / √(var + eps) · gamma + beta`,
 * with batch statistics (returned so the caller can update running averages).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  // Moments written out (tf.moments inserts a Cast, whose gradient breaks when two tfjs-core module
  // instances are loaded, as under some test runners).
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const mean = tf.mean(x, axes);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axes);
  // The per-channel factor first, so that only two full-size ops follow the moments.
  const y = tf.add(tf.mul(centered, tf.mul(tf.rsqrt(tf.add(variance, eps)), gamma)), beta);
  return { y, mean, variance };
}

/** Batch normalization with fixed statistics. */
export function batchNormEval(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.add(tf.mul(tf.sub(x, mean), tf.mul(tf.rsqrt(tf.add(variance, eps)), gamma)), beta);
}

/** Nearest-neighbour ×2 upsampling of NHWC images. */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [h * 2, w * 2]);
}

/** 2×2 average pooling of NHWC images (by reshapes and means: tf.avgPool inserts a Cast). */
export function downsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const rows = tf.mean(tf.reshape(x, [b, h / 2, 2, w * c]), 2);
  return tf.mean(tf.reshape(rows, [b, h / 2, w / 2, 2, c]), 3) as tf.Tensor4D;
}
