/** Small differentiable helpers that avoid tfjs's slow paths on wasm. */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad2 } from '@ot/core';

/**
 * `a @ b` (`[r, k] @ [k, c]`) whose gradients use explicit transposes and plain matMuls
 * (tfjs's own matMul gradient uses transposed matMuls, very slow on wasm).
 */
export function matMulPlain(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const f = customGrad2((x: tf.Tensor2D, y: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, tf.transpose(ys)), tf.matMul(tf.transpose(xs), g)];
      },
    };
  });
  return f(a, b) as tf.Tensor2D;
}

/**
 * Orthonormalizes the columns of `v` `[d, K]` (K ≤ d): the Q factor of the thin QR decomposition
 * with a positive diagonal of R, by modified Gram–Schmidt (differentiable). K = 1 is a normalization.
 */
export function orthonormalColumns(v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [d, K] = v.shape;
    if (K === 1) return tf.div(v, l2(v)) as tf.Tensor2D;
    const qs: tf.Tensor2D[] = [];
    for (let k = 0; k < K; k++) {
      let col = tf.slice(v, [0, k], [d, 1]) as tf.Tensor2D;
      for (const q of qs) col = tf.sub(col, tf.mul(q, tf.sum(tf.mul(q, col)))) as tf.Tensor2D;
      qs.push(tf.div(col, l2(col)) as tf.Tensor2D);
    }
    return tf.concat(qs, 1) as tf.Tensor2D;
  });
}

/** Euclidean norm of all entries, differentiable (tf.norm casts its exponent, which breaks some tapes). */
export function l2(x: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(x))) as tf.Scalar;
}
