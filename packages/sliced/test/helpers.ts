import * as tf from '@tensorflow/tfjs-core';

/** Directions stored as rows [L, d] in the fixture → POT's [d, L]. */
export function dirsOf(rows: number[][]): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.tensor2d(rows)) as tf.Tensor2D);
}

/** Two clouds that differ along one axis: Y = X-like samples shifted by `shift` along `axis`. */
export function shiftedGaussians(n: number, d: number, axis: number, shift: number, seed: number): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const X = tf.randomNormal([n, d], 0, 1, 'float32', seed) as tf.Tensor2D;
    const e = tf.oneHot(tf.tensor1d([axis], 'int32'), d).toFloat();
    const Y = tf.add(tf.randomNormal([n, d], 0, 1, 'float32', seed + 1), tf.mul(e, shift)) as tf.Tensor2D;
    return [X, Y];
  });
}

export function scalar(t: tf.Tensor): number {
  const v = t.dataSync()[0] as number;
  return v;
}
