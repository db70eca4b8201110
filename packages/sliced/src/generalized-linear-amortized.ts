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
import { mix, rowMlp, type MixingParams, type RowMlpParams } from './internal/amortized-layers.js';

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
  private readonly mixing: MixingParams;
  /** g(x) = σ(x W1ᵀ) W2ᵀ + b0 on rows (W1ᵀ `[d, h]`, W2ᵀ `[h, d]`). */
  private readonly g: RowMlpParams;

  constructor(m: number, d: number, options: AmortizedSlicerOptions = {}) {
    super(m, d, options);
    const h = checkInteger(options.hidden ?? this.d, 'hidden');
    this.mixing = this.mixingParams();
    this.g = this.rowMlpParams(h);
  }

  protected rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => mix(this.mixing, rowMlp(this.g, x), rowMlp(this.g, y)));
  }
}
