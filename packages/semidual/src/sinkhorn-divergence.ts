/**
 * Debiased Sinkhorn divergence (Genevay, Peyré, Cuturi, AISTATS 2018; Feydy et al., AISTATS 2019):
 *
 *   S_reg(α, β) = OT_reg(α, β) − ½ OT_reg(α, α) − ½ OT_reg(β, β),
 *
 * with OT_reg the entropic value ⟨P, C⟩ + reg·KL(P ‖ a ⊗ b) (the `entropicCost` of
 * {@link sinkhorn}). Note: POT 0.8.2's `empirical_sinkhorn_divergence` uses the transport terms
 * ⟨P, C⟩ instead (its `sinkhorn2`); ours is Feydy's, which is nonnegative and differentiable.
 *
 * Differentiable w.r.t. both point clouds by the envelope theorem: with the optimal plans held
 * fixed, for c(x, y) = ‖x − y‖² / s,
 *   ∇_X S = (2/s)(P_αα X − P_αβ Y),   ∇_Y S = (2/s)(P_ββ Y − P_αβ^T X).
 * The three Sinkhorn solves run inside the custom gradient's forward pass, so none of their
 * iterations is recorded on the tape.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkPositive, customGrad2, sqeuclideanBlock, toPointCloud, toWeights, type TensorLike, type ValidationLevel } from '@ot/core';
import { sinkhorn, type SinkhornOptions } from './sinkhorn.js';
import { SEMI_DUAL_COSTS, type SemiDualCost } from './target.js';

export interface SinkhornDivergenceOptions extends Omit<SinkhornOptions, 'validate'> {
  /** Weights of X `[n]` (uniform by default). */
  a?: TensorLike;
  /** Weights of Y `[m]` (uniform by default). */
  b?: TensorLike;
  /** `'sqeuclidean'` (default) or `'normalized-sqeuclidean'` (divided by mean ‖y‖², held constant in the gradient). */
  cost?: SemiDualCost;
  /** Explicit cost divisor s (overrides `cost`). */
  costScale?: number;
  validate?: ValidationLevel;
}

/**
 * Sinkhorn divergence between point clouds `x` `[n, d]` and `y` `[m, d]` → scalar,
 * differentiable w.r.t. `x` and `y`.
 *
 * @example
 * ```ts
 * const loss = sinkhornDivergence(generated, data, { reg: 0.05 });
 * ```
 */
export function sinkhornDivergence(x: TensorLike, y: TensorLike, options: SinkhornDivergenceOptions): tf.Scalar {
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'sinkhornDivergence needs options { reg }');
  const reg = checkPositive(options.reg, 'reg');
  const cost = checkChoice(options.cost ?? 'sqeuclidean', 'cost', SEMI_DUAL_COSTS);
  if (options.costScale !== undefined) checkPositive(options.costScale, 'costScale');
  return tf.tidy(() => {
    const X = toPointCloud(x, 'x', options.validate);
    const Y = toPointCloud(y, 'y', options.validate);
    if (X.shape[1] !== Y.shape[1]) throw new OTError('SHAPE_MISMATCH', `x [n, d] and y [m, d] need the same d, got ${X.shape[1]} and ${Y.shape[1]}`);
    const n = X.shape[0];
    const m = Y.shape[0];
    const A = (options.a === undefined ? tf.fill([n], 1 / n) : toWeights(options.a, n, 'a', { level: options.validate })) as tf.Tensor1D;
    const B = (options.b === undefined ? tf.fill([m], 1 / m) : toWeights(options.b, m, 'b', { level: options.validate })) as tf.Tensor1D;
    const scale =
      options.costScale ?? (cost === 'normalized-sqeuclidean' ? (tf.mean(tf.sum(tf.square(Y), 1)).dataSync()[0] as number) : 1);
    if (!(scale > 0)) throw new OTError('INVALID_ARGUMENT', `the cost divisor must be > 0, got ${scale}`);
    const sk = { ...options, reg, validate: 'shapes' as const };
    const f = customGrad2((xIn: tf.Tensor2D, yIn: tf.Tensor2D, save: tf.GradSaveFunc) => {
      const solve = (p: tf.Tensor2D, q: tf.Tensor2D, wp: tf.Tensor1D, wq: tf.Tensor1D) => {
        const M = tf.div(sqeuclideanBlock(p, q), scale);
        const res = sinkhorn(wp, wq, M, sk);
        M.dispose();
        const plan = res.plan();
        const value = res.entropicCost;
        res.dispose();
        return { plan, value };
      };
      const ab = solve(xIn, yIn, A, B);
      const aa = solve(xIn, xIn, A, A);
      const bb = solve(yIn, yIn, B, B);
      save([xIn, yIn, ab.plan, aa.plan, bb.plan]);
      const value = tf.scalar(ab.value - 0.5 * aa.value - 0.5 * bb.value);
      tf.dispose([ab.plan, aa.plan, bb.plan]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, ys, pab, paa, pbb] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const k = tf.mul(dy, 2 / scale);
          const dx = tf.mul(tf.sub(tf.matMul(paa, xs), tf.matMul(pab, ys)), k);
          const dyv = tf.mul(tf.sub(tf.matMul(pbb, ys), tf.matMul(tf.transpose(pab), xs)), k);
          return [dx, dyv];
        },
      };
    });
    return f(X, Y) as tf.Scalar;
  });
}
