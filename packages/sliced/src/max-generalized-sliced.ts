/**
 * Max-generalized sliced Wasserstein distance (Kolouri, Nadjahi, Simsekli, Badeau, Rohde,
 * *Generalized Sliced Wasserstein Distances*, NeurIPS 2019, §3.3):
 *
 * max-GSW_p(μ, ν) = max_θ W_p(g(·, θ)#μ, g(·, θ)#ν),
 *
 * by projected gradient ascent on the sphere of θ (Adam or SGD, θ re-normalized after each step, as
 * the paper's code). The value is differentiable w.r.t. X and Y at the found θ (θ detached).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorLike, ValidationLevel } from '@ot/core';
import { checkP, optionalWeights, toPair } from './internal/args.js';
import { checkDefiningFunction, definingProjections, thetaDimension, type DefiningFunctionKind } from './internal/defining-functions.js';
import { projectedCosts, pthRootOfMean } from './internal/projected-costs.js';
import { checkAscentOptions, detachedCopy, initialDirection, sphereAscent, type SphereAscentOptions } from './internal/sphere-ascent.js';

export interface MaxGeneralizedSlicedWassersteinOptions extends SphereAscentOptions {
  /** Defining function: `'polynomial'` (default), `'circular'` or `'linear'` (= Max-SW). */
  kind?: DefiningFunctionKind;
  /** Odd degree of the polynomial defining function (default 3). */
  degree?: number;
  /** Radius of the circular defining function (default 2). */
  radius?: number;
  /** Ground-cost exponent p ≥ 1 (default 2). */
  p?: number;
  a?: TensorLike;
  b?: TensorLike;
  validate?: ValidationLevel;
}

/** The result of {@link maxGeneralizedSlicedWasserstein}. */
export interface MaxGeneralizedSlicedWassersteinResult {
  /** W_p at the found θ, a scalar differentiable w.r.t. X and Y. */
  readonly value: tf.Scalar;
  /** The found unit θ, `[q]` (q = d, or the number of monomials for polynomials). */
  readonly direction: tf.Tensor1D;
}

/**
 * Max-GSW by projected gradient ascent on θ.
 *
 * @param X - `[n, d]`
 * @param Y - `[m, d]`
 * @returns `{ value, direction }`
 * @throws OTError as {@link maxSlicedWasserstein} and {@link generalizedSlicedWasserstein}
 * @example
 * ```ts
 * const { value, direction } = maxGeneralizedSlicedWasserstein(X, Y, { kind: 'circular', iterations: 50, lr: 0.05, seed: 0 });
 * ```
 */
export function maxGeneralizedSlicedWasserstein(
  X: TensorLike,
  Y: TensorLike,
  options: MaxGeneralizedSlicedWassersteinOptions = {},
): MaxGeneralizedSlicedWassersteinResult {
  const p = checkP(options.p ?? 2);
  const g = checkDefiningFunction(options);
  const ascent = checkAscentOptions(options);
  return tf.tidy(() => {
    const [x, y] = toPair(X, Y, options.validate);
    const q = thetaDimension(g, x.shape[1]);
    const a = optionalWeights(options.a, x.shape[0], 'a', options.validate);
    const b = optionalWeights(options.b, y.shape[0], 'b', options.validate);
    const theta0 = initialDirection(q, options);
    const objective = (theta: tf.Tensor1D): tf.Scalar => {
      const D = tf.reshape(theta, [q, 1]) as tf.Tensor2D;
      return tf.sum(projectedCosts(definingProjections(x, D, g, 'directions'), definingProjections(y, D, g, 'directions'), p, a, b)) as tf.Scalar;
    };
    const theta = detachedCopy(sphereAscent(objective, theta0, ascent));
    const D = tf.reshape(theta, [q, 1]) as tf.Tensor2D;
    const value = pthRootOfMean(projectedCosts(definingProjections(x, D, g, 'x'), definingProjections(y, D, g, 'x'), p, a, b), p);
    return { value, direction: theta };
  });
}
