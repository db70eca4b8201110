/**
 * The sliced cost of two uniform mini-batches of equal size along given directions, with its
 * gradient w.r.t. the directions in closed form: the inner objective of every direction search
 * (Max-SW's ascent, the amortized slicers' step), where the data are constants. The optimal 1D plan
 * between n and n uniform points matches the i-th largest projections (σ, τ), so along a unit θ,
 *
 *   W_p^p = (1/n) Σ_i |r_i|^p,   ∇_θ W_p^p = (p/n) Σ_i |r_i|^{p−1} sign(r_i) (x_σ(i) − y_τ(i)),
 *
 * r_i = ⟨θ, x_σ(i) − y_τ(i)⟩ (a subgradient where projections tie, as a taped sort gives). One
 * projection matMul, one row sort, one scatter and one gradient matMul per call, where the taped
 * projection, sort and 1D cost take ≈ 60 kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad1 } from '@ot/core';

/** The batches stacked once for repeated calls. */
export interface UniformPair {
  readonly n: number;
  readonly d: number;
  /** [x; y], `[2n, d]`. */
  readonly Z: tf.Tensor2D;
  /** Zᵀ, `[d, 2n]` (tfjs's transposed matMuls are slow on wasm). */
  readonly Zt: tf.Tensor2D;
}

/** Stacks `x` `[n, d]` and `y` `[n, d]` (tensors owned by the caller's tidy scope). */
export function uniformPair(x: tf.Tensor2D, y: tf.Tensor2D): UniformPair {
  const Z = tf.concat([x, y], 0) as tf.Tensor2D;
  return { n: x.shape[0], d: x.shape[1], Z, Zt: tf.transpose(Z) as tf.Tensor2D };
}

/**
 * W_p^p along each column of `D` `[d, K]` → `costs` `[K]` (skipped when `withCosts` is false, as in
 * an ascent that needs only the gradient), and ∇_D Σ_k costs_k → `grad` `[d, K]`.
 */
export function uniformCostsAndGradient(pair: UniformPair, D: tf.Tensor2D, p: number, withCosts = true): { costs?: tf.Tensor1D; grad: tf.Tensor2D } {
  return tf.tidy(() => {
    const { n, Z, Zt } = pair;
    const K = D.shape[1];
    // [2n, K] → [K, 2n] → [2K, n]: rows 2k and 2k + 1 are x's and y's projections on θ_k.
    const proj = tf.reshape(tf.transpose(tf.matMul(Z, D)), [2 * K, n]);
    const { values, indices } = tf.topk(proj, n, true); // every row in decreasing order
    const v3 = tf.reshape(values, [K, 2, n]);
    const r = tf.reshape(tf.sub(tf.slice(v3, [0, 0, 0], [K, 1, n]), tf.slice(v3, [0, 1, 0], [K, 1, n])), [K, n]);
    const absR = p === 2 ? r : tf.abs(r); // |r| is used for p ≠ 2 only
    const costs = withCosts ? (tf.mean(p === 1 ? absR : p === 2 ? tf.square(r) : tf.pow(absR, p), 1) as tf.Tensor1D) : undefined;
    // c_i = (p/n)|r_i|^{p−1} sign(r_i), scattered to +c at x's row σ(i), −c at y's row τ(i).
    const c = p === 2 ? tf.mul(r, 2 / n) : p === 1 ? tf.mul(tf.sign(r), 1 / n) : tf.mul(tf.mul(tf.sign(r), tf.pow(absR, p - 1)), p / n);
    const signed = tf.reshape(tf.mul(tf.reshape(c, [K, 1, n]), tf.tensor3d([1, -1], [1, 2, 1])), [2 * K * n]);
    // flat index into [K, 2n]: k·2n + (σ(i) for x's row, n + τ(i) for y's row)
    const offsets = tf.reshape(tf.range(0, 2 * K * n, n, 'int32'), [2 * K, 1]); // row 2k + j → k·2n + j·n
    const flat = tf.reshape(tf.add(indices, offsets), [2 * K * n, 1]);
    const w = tf.reshape(tf.scatterND(flat, signed, [2 * K * n]), [K, 2 * n]);
    const grad = tf.matMul(Zt, tf.transpose(w)) as tf.Tensor2D; // [d, K]
    return costs === undefined ? { grad } : { costs, grad };
  });
}

/**
 * W_p^p along each column of `D` `[d, K]` → `[K]`, differentiable w.r.t. `D` only (the batches are
 * constants), with the closed-form gradient of {@link uniformCostsAndGradient}.
 */
export function uniformCostsForDirections(pair: UniformPair, D: tf.Tensor2D, p: number): tf.Tensor1D {
  const f = customGrad1((dirs: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const { costs, grad } = uniformCostsAndGradient(pair, dirs, p);
    save([grad]);
    return {
      value: costs!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0]!, tf.reshape(dy, [1, -1])),
    };
  });
  return f(D) as tf.Tensor1D;
}
