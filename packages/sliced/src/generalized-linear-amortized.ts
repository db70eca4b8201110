/**
 * Generalized linear amortized slicer (Nguyen & Ho, *Amortized Projection Optimization for Sliced
 * Wasserstein Generative Models*, NeurIPS 2022, Definition 4):
 *
 * f_ψ(X, Y) = normalize(w0 + g(X)ᵀ w1 + g(Y)ᵀ w2),  g(x) = W2 σ(W1 x) + b0 applied to each row,
 *
 * σ the sigmoid, W1 ∈ R^{h×d}, W2 ∈ R^{d×h}, b0 ∈ R^d (h = d in the paper).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@ot/core';
import { AmortizedSlicer, type AmortizedSlicerOptions } from './amortized.js';
import { matMulPlain } from './internal/ops.js';

/**
 * Generalized linear amortized slicer for mini-batches `[m, d]`.
 *
 * @example
 * ```ts
 * const slicer = new GeneralizedLinearAmortizedSlicer(64, 8, { seed: 0, directions: 4 });
 * slicer.step(X, Y).dispose();
 * const dirs = slicer.directions(X, Y); // [8, 4], orthonormal
 * slicer.dispose();
 * ```
 */
export class GeneralizedLinearAmortizedSlicer extends AmortizedSlicer {
  private readonly w0: tf.Variable;
  private readonly w1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly W1: tf.Variable;
  private readonly W2: tf.Variable;
  private readonly b0: tf.Variable;

  constructor(m: number, d: number, options: AmortizedSlicerOptions = {}) {
    super(m, d, options);
    const h = checkInteger(options.hidden ?? this.d, 'hidden');
    const bound = 1 / Math.sqrt(2 * this.m);
    this.w0 = this.param([this.d, this.K], bound);
    this.w1 = this.param([this.m, this.K], bound);
    this.w2 = this.param([this.m, this.K], bound);
    // Row layout: g(X) = σ(X W1ᵀ) W2ᵀ + b0, stored as W1ᵀ [d, h] and W2ᵀ [h, d].
    this.W1 = this.param([this.d, h], 1 / Math.sqrt(this.d));
    this.W2 = this.param([h, this.d], 1 / Math.sqrt(h));
    this.b0 = this.param([1, this.d], 1 / Math.sqrt(h));
  }

  private g(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(matMulPlain(tf.sigmoid(matMulPlain(x, this.W1 as tf.Tensor2D)), this.W2 as tf.Tensor2D), this.b0) as tf.Tensor2D;
  }

  protected rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const gx = tf.transpose(this.g(x)) as tf.Tensor2D;
      const gy = tf.transpose(this.g(y)) as tf.Tensor2D;
      return tf.add(this.w0, tf.add(matMulPlain(gx, this.w1 as tf.Tensor2D), matMulPlain(gy, this.w2 as tf.Tensor2D))) as tf.Tensor2D;
    });
  }
}
