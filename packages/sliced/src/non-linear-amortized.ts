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
import { mix, rowMlp, type MixingParams, type RowMlpParams } from './internal/amortized-layers.js';

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
  private readonly mixing: MixingParams;
  /** h(v) = σ(v W3ᵀ) W4ᵀ + b0 on the K raw directions as rows (W3ᵀ `[d, h]`, W4ᵀ `[h, d]`). */
  private readonly h: RowMlpParams;

  constructor(m: number, d: number, options: AmortizedSlicerOptions = {}) {
    super(m, d, options);
    const h = checkInteger(options.hidden ?? this.d, 'hidden');
    this.mixing = this.mixingParams();
    this.h = this.rowMlpParams(h);
  }

  protected rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = tf.transpose(mix(this.mixing, x, y)) as tf.Tensor2D; // [K, d]
      return tf.transpose(rowMlp(this.h, rows)) as tf.Tensor2D;
    });
  }
}
