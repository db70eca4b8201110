/**
 * The composition at the heart of every sliced distance: projected rows `[L, n]`, `[L, m]` →
 * W_p^p along each row by `@ot/core`'s 1D solver (`wasserstein1dRows`) → `[L]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { wasserstein1dRows } from '@ot/core';

/** W_p^p per row between `xp` `[L, n]` and `yp` `[L, m]`, weights `[n]`, `[m]` shared by all rows. */
export function projectedCosts(xp: tf.Tensor2D, yp: tf.Tensor2D, p: number, a?: tf.Tensor1D, b?: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const L = xp.shape[0];
    const tileW = (w: tf.Tensor1D | undefined, size: number) =>
      w === undefined ? undefined : (tf.tile(tf.reshape(w, [1, size]), [L, 1]) as tf.Tensor2D);
    return wasserstein1dRows(xp, yp, p, tileW(a, xp.shape[1]), tileW(b, yp.shape[1]));
  });
}

/** (mean of W_p^p)^{1/p}: POT's sliced reduction. */
export function pthRootOfMean(costs: tf.Tensor, p: number): tf.Scalar {
  const mean = tf.mean(costs);
  if (p === 1) return mean as tf.Scalar;
  if (p === 2) return tf.sqrt(mean) as tf.Scalar;
  return tf.pow(mean, 1 / p) as tf.Scalar;
}
