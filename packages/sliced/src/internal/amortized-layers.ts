/** The layers the amortized slicers share (Nguyen & Ho, NeurIPS 2022, Definitions 3–5). */
import * as tf from '@tensorflow/tfjs-core';
import { matMulPlain } from './ops.js';

/** The linear mixing of two mini-batches, w0 + Aᵀ w1 + Bᵀ w2 ({@link mix}). */
export interface MixingParams {
  readonly w0: tf.Variable;
  readonly w1: tf.Variable;
  readonly w2: tf.Variable;
}

/** A one-hidden-layer sigmoid MLP on rows ({@link rowMlp}). */
export interface RowMlpParams {
  readonly wIn: tf.Variable;
  readonly wOut: tf.Variable;
  readonly b: tf.Variable;
}

/** w0 + aᵀ w1 + bᵀ w2 `[d, K]` for `a`, `b` `[m, d]`. */
export function mix(p: MixingParams, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const at = tf.transpose(a) as tf.Tensor2D;
    const bt = tf.transpose(b) as tf.Tensor2D;
    return tf.add(p.w0, tf.add(matMulPlain(at, p.w1 as tf.Tensor2D), matMulPlain(bt, p.w2 as tf.Tensor2D))) as tf.Tensor2D;
  });
}

/** σ(rows W_in) W_out + b `[n, d]` for `rows` `[n, d]`, σ the sigmoid. */
export function rowMlp(p: RowMlpParams, rows: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(matMulPlain(tf.sigmoid(matMulPlain(rows, p.wIn as tf.Tensor2D)), p.wOut as tf.Tensor2D), p.b) as tf.Tensor2D);
}
