/**
 * Max-sliced Wasserstein distance (Deshpande, Hu, Sun, Pyrros, Siddiqui, Koyejo, Zhao, Forsyth,
 * Schwing, *Max-Sliced Wasserstein Distance and its use for GANs*, CVPR 2019):
 *
 * Max-SW_p(μ, ν) = max_{θ ∈ S^{d−1}} W_p(θ#μ, θ#ν),
 *
 * found by T2 steps of projected gradient ascent on the sphere (θ ← normalize(θ + η·step)), with
 * SGD or Adam steps as in the code of Nguyen & Ho (NeurIPS 2022). The ascent sees detached data;
 * the returned value is W_p at the found direction, differentiable w.r.t. X and Y with the
 * direction held fixed (envelope theorem). Note: POT's `ot.max_sliced_wasserstein_distance` only
 * takes a max over random directions and does not optimize.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorLike, ValidationLevel } from '@ot/core';
import { checkP, optionalWeights, toPair } from './internal/args.js';
import { projectRows, projectRowsForDirections } from './internal/project.js';
import { projectedCosts, pthRootOfMean } from './internal/projected-costs.js';
import { uniformCostsAndGradient, uniformPair, type UniformPair } from './internal/uniform-costs.js';
import { checkAscentOptions, detachedCopy, initialDirection, sphereAscent, type SphereAscentOptions } from './internal/sphere-ascent.js';

export interface MaxSlicedWassersteinOptions extends SphereAscentOptions {
  /** Ground-cost exponent p ≥ 1 (default 2). */
  p?: number;
  /** Weights of X `[n]` (uniform when omitted). */
  a?: TensorLike;
  /** Weights of Y `[m]` (uniform when omitted). */
  b?: TensorLike;
  /** Validation level for this call. */
  validate?: ValidationLevel;
}

/** The result of {@link maxSlicedWasserstein}. */
export interface MaxSlicedWassersteinResult {
  /** W_p(θ*#μ, θ*#ν), a scalar differentiable w.r.t. X and Y (θ* detached). */
  readonly value: tf.Scalar;
  /** The found unit direction θ*, `[d]` (no gradient). */
  readonly direction: tf.Tensor1D;
}

/**
 * Max-sliced Wasserstein distance by projected gradient ascent on the sphere.
 *
 * @param X - `[n, d]` samples of μ
 * @param Y - `[m, d]` samples of ν
 * @returns `{ value, direction }`: the distance (scalar) and the direction `[d]`
 * @throws OTError `INVALID_SHAPE`, `SHAPE_MISMATCH`, `EMPTY_INPUT`, `NON_FINITE`, `INVALID_DTYPE`,
 *   `INVALID_WEIGHTS`, `INVALID_ARGUMENT` (p < 1, iterations < 0, lr ≤ 0, unknown optimizer, zero init)
 * @example
 * ```ts
 * const { value, direction } = maxSlicedWasserstein(X, Y, { iterations: 100, lr: 0.05, seed: 0 });
 * const grad = tf.grad((x) => maxSlicedWasserstein(x, Y, { seed: 0 }).value)(X); // direction fixed
 * ```
 */
export function maxSlicedWasserstein(X: TensorLike, Y: TensorLike, options: MaxSlicedWassersteinOptions = {}): MaxSlicedWassersteinResult {
  const p = checkP(options.p ?? 2);
  const ascent = checkAscentOptions(options);
  return tf.tidy(() => {
    const [x, y] = toPair(X, Y, options.validate);
    const d = x.shape[1];
    const a = optionalWeights(options.a, x.shape[0], 'a', options.validate);
    const b = optionalWeights(options.b, y.shape[0], 'b', options.validate);
    const theta0 = initialDirection(d, options);
    // The ascent differentiates w.r.t. θ only (the data are constants of the objective): in closed
    // form for two uniform measures of equal size (the mini-batch case), by tfjs otherwise.
    const objective =
      a === undefined && b === undefined && x.shape[0] === y.shape[0]
        ? uniformAscentObjective(uniformPair(x, y), p)
        : (theta: tf.Tensor1D): tf.Scalar => {
            const D = tf.reshape(theta, [d, 1]) as tf.Tensor2D;
            return tf.sum(projectedCosts(projectRowsForDirections(x, D), projectRowsForDirections(y, D), p, a, b)) as tf.Scalar;
          };
    // Detach θ* (a copy of its d values), so gradients w.r.t. X, Y never flow through the ascent.
    const theta = detachedCopy(sphereAscent(objective, theta0, ascent));
    const D = tf.reshape(theta, [d, 1]) as tf.Tensor2D;
    const value = pthRootOfMean(projectedCosts(projectRows(x, D), projectRows(y, D), p, a, b), p);
    return { value, direction: theta };
  });
}


/** The ascent's objective in closed form: θ ↦ ∇_θ W_p^p(θ#μ, θ#ν) for two uniform batches of equal size. */
function uniformAscentObjective(pair: UniformPair, p: number): { gradient: (theta: tf.Tensor1D) => tf.Tensor1D } {
  return {
    gradient: (theta) => tf.tidy(() => tf.reshape(uniformCostsAndGradient(pair, tf.reshape(theta, [pair.d, 1]) as tf.Tensor2D, p, false).grad, [pair.d]) as tf.Tensor1D),
  };
}
