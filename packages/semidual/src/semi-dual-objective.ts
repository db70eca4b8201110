/**
 * Semi-dual objective of (regularized) OT between μ (samples X, weights μ_i) and a discrete ν:
 *
 *   F(ψ) = Σ_i μ_i ψ^{c,λ}(x_i) + Σ_j ν_j ψ_j,      W_λ(μ, ν) = max_ψ F(ψ)   (concave in ψ).
 *
 * Houdard, Leclaire, Papadakis, Rabin (TMLR 2023); Genevay et al. (NeurIPS 2016). For λ > 0 the
 * maximum is the entropic OT value min_P ⟨P, C⟩ + λ KL(P ‖ μ ⊗ ν) (= {@link sinkhorn}'s
 * `entropicCost`); for λ = 0 it is the exact OT cost (POT's `ot.emd2`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { toWeights, type TensorLike } from '@ot/core';
import { cTransformCore, checkLambda, checkSemiDualInputs, type CTransformOptions } from './c-transform.js';
import { SemiDualTarget, withTarget, type TargetView } from './target.js';

export interface SemiDualObjectiveOptions extends CTransformOptions {
  /** Source weights μ `[n]` (uniform by default: the mean over the batch). */
  mu?: TensorLike;
}

/** F(ψ) without validation; `mu` `[n]` or undefined for the mean. Differentiable w.r.t. ψ and X. */
export function semiDualObjectiveCore(
  psi: tf.Tensor1D,
  x: tf.Tensor2D,
  target: TargetView & { nu: tf.Tensor1D },
  lambda: number,
  mu?: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const ct = cTransformCore(psi, x, target, lambda);
    const first = mu === undefined ? tf.mean(ct) : tf.sum(tf.mul(ct, mu));
    return tf.add(first, tf.sum(tf.mul(psi, target.nu))) as tf.Scalar;
  });
}

/**
 * The semi-dual objective mean_i ψ^{c,λ}(x_i) + Σ_j ν_j ψ_j (or Σ_i μ_i ψ^{c,λ}(x_i) + … with
 * weights `mu`). A scalar tensor, differentiable w.r.t. `psi` (its gradient is the supergradient
 * ν − Σ_i μ_i w_i·) and `x` (the generator's gradient of the paper).
 *
 * @param psi - `[J]`
 * @param x - `[n, d]`
 * @param y - `[J, d]` or a {@link SemiDualTarget}
 * @returns scalar
 * @example
 * ```ts
 * const value = semiDualObjective(psi, xBatch, target, { lambda: 0.01 });
 * ```
 */
export function semiDualObjective(
  psi: TensorLike,
  x: TensorLike,
  y: TensorLike | SemiDualTarget,
  options: SemiDualObjectiveOptions = {},
): tf.Scalar {
  const lambda = checkLambda(options.lambda);
  return tf.tidy(() =>
    withTarget(y, { ...options, transpose: false }, (target) => {
      const t = checkSemiDualInputs(psi, x, target, options.validate);
      const mu = options.mu === undefined ? undefined : (toWeights(options.mu, t.x.shape[0], 'mu', { level: options.validate }) as tf.Tensor1D);
      return semiDualObjectiveCore(t.psi, t.x, target, lambda, mu);
    }),
  );
}
