/**
 * Linear amortized slicer (Nguyen & Ho, *Amortized Projection Optimization for Sliced Wasserstein
 * Generative Models*, NeurIPS 2022, Definition 3):
 *
 * f_ψ(X, Y) = normalize(w0 + Xᵀ w1 + Yᵀ w2),  w1, w2 ∈ R^m, w0 ∈ R^d
 *
 * (K directions: w1, w2 ∈ R^{m×K}, w0 ∈ R^{d×K}, then QR). The paper's code uses one
 * Linear(2m → 1) over concat(X, Y)ᵀ, i.e. a scalar bias; we follow the paper's w0 ∈ R^d.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AmortizedSlicer, type AmortizedSlicerOptions } from './amortized.js';
import { mix, type MixingParams } from './internal/amortized-layers.js';

/**
 * Linear amortized slicer for mini-batches `[m, d]`.
 *
 * @example
 * ```ts
 * const slicer = new LinearAmortizedSlicer(64, 2, { seed: 0, lr: 0.01 });
 * for (let t = 0; t < 100; t++) slicer.step(X, Y).dispose(); // ascent on ψ
 * const lasw = slicer.loss(X, Y);       // scalar A-SW, ≤ Max-SW
 * const theta = slicer.direction(X, Y); // unit [2]
 * slicer.dispose();
 * ```
 */
export class LinearAmortizedSlicer extends AmortizedSlicer {
  private readonly mixing: MixingParams;

  constructor(m: number, d: number, options: AmortizedSlicerOptions = {}) {
    super(m, d, options);
    this.mixing = this.mixingParams();
  }

  protected rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return mix(this.mixing, x, y);
  }
}
