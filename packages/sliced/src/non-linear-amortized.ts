/**
 * Non-linear amortized slicer (Nguyen & Ho, *Amortized Projection Optimization for Sliced
 * Wasserstein Generative Models*, NeurIPS 2022, Definition 5):
 *
 * f_ψ(X, Y) = normalize(h(w0 + Xᵀ w1 + Yᵀ w2)),  h(v) = W4 σ(W3 v) + b0,
 *
 * σ the sigmoid, W3 ∈ R^{h×d}, W4 ∈ R^{d×h}, b0 ∈ R^d (h = d in the paper); h acts on each of the
 * K raw directions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@ot/core';
import { AmortizedSlicer, type AmortizedSlicerOptions } from './amortized.js';
import { matMulPlain } from './internal/ops.js';

/**
 * Non-linear amortized slicer for mini-batches `[m, d]`.
 *
 * @example
 * ```ts
 * const slicer = new NonLinearAmortizedSlicer(64, 8, { seed: 0 });
 * const loss = slicer.loss(X, Y); // differentiable w.r.t. ψ, X and Y
 * slicer.dispose();
 * ```
 */
export class NonLinearAmortizedSlicer extends AmortizedSlicer {
  private readonly w0: tf.Variable;
  private readonly w1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly W3: tf.Variable;
  private readonly W4: tf.Variable;
  private readonly b0: tf.Variable;

  constructor(m: number, d: number, options: AmortizedSlicerOptions = {}) {
    super(m, d, options);
    const h = checkInteger(options.hidden ?? this.d, 'hidden');
    const bound = 1 / Math.sqrt(2 * this.m);
    this.w0 = this.param([this.d, this.K], bound);
    this.w1 = this.param([this.m, this.K], bound);
    this.w2 = this.param([this.m, this.K], bound);
    // Row layout over the K raw directions V [K, d]: h(V) = σ(V W3ᵀ) W4ᵀ + b0.
    this.W3 = this.param([this.d, h], 1 / Math.sqrt(this.d));
    this.W4 = this.param([h, this.d], 1 / Math.sqrt(h));
    this.b0 = this.param([1, this.d], 1 / Math.sqrt(h));
  }

  protected rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const xt = tf.transpose(x) as tf.Tensor2D;
      const yt = tf.transpose(y) as tf.Tensor2D;
      const v = tf.add(this.w0, tf.add(matMulPlain(xt, this.w1 as tf.Tensor2D), matMulPlain(yt, this.w2 as tf.Tensor2D))) as tf.Tensor2D;
      const rows = tf.transpose(v) as tf.Tensor2D; // [K, d]
      const hv = tf.add(matMulPlain(tf.sigmoid(matMulPlain(rows, this.W3 as tf.Tensor2D)), this.W4 as tf.Tensor2D), this.b0);
      return tf.transpose(hv) as tf.Tensor2D;
    });
  }
}
