/**
 * Generalized sliced Wasserstein distance (Kolouri, Nadjahi, Simsekli, Badeau, Rohde,
 * *Generalized Sliced Wasserstein Distances*, NeurIPS 2019):
 *
 * GSW_p(μ, ν) = ( (1/L) Σ_l W_p^p(g(·, θ_l)#μ, g(·, θ_l)#ν) )^{1/p},
 *
 * with a defining function g of the generalized Radon transform: polynomial of odd degree or
 * circular (see `internal/defining-functions.ts`), or linear (= SW). The 1D costs are `@ot/core`'s
 * (means over samples, POT's convention); the reference code of the paper uses p = 2.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkDirections, checkInteger, OTError, randomDirections, type Seed, type TensorLike, type ValidationLevel } from '@ot/core';
import { checkP, optionalWeights, toPair } from './internal/args.js';
import { checkDefiningFunction, definingProjections, thetaDimension, type DefiningFunctionKind } from './internal/defining-functions.js';
import { projectedCosts, pthRootOfMean } from './internal/projected-costs.js';

export interface GeneralizedSlicedWassersteinOptions {
  /** Defining function: `'polynomial'` (default), `'circular'` or `'linear'`. */
  kind?: DefiningFunctionKind;
  /** Degree of the polynomial defining function, odd (default 3). */
  degree?: number;
  /** Radius r of the circular defining function ‖x − rθ‖ (default 2, as the paper's code). */
  radius?: number;
  /** Ground-cost exponent p ≥ 1 (default 2). */
  p?: number;
  /** Number of random directions L (default 50). */
  nProjections?: number;
  /** Given directions `[q, L]` (unit columns; q = d, or the number of monomials for polynomials). */
  projections?: TensorLike;
  /** Seed or generator for the random directions. */
  seed?: Seed;
  /** Weights of X `[n]`. */
  a?: TensorLike;
  /** Weights of Y `[m]`. */
  b?: TensorLike;
  /** Return `{ value, projectedCosts, directions }` instead of the scalar. */
  returnDetails?: boolean;
  /** Validation level for this call. */
  validate?: ValidationLevel;
}

/** The detailed result of {@link generalizedSlicedWasserstein}. */
export interface GeneralizedSlicedWassersteinResult {
  readonly value: tf.Scalar;
  /** W_p^p along each defining direction, `[L]`. */
  readonly projectedCosts: tf.Tensor1D;
  /** Directions `[q, L]`. */
  readonly directions: tf.Tensor2D;
}

/**
 * Generalized sliced Wasserstein distance, differentiable w.r.t. X and Y.
 *
 * @param X - `[n, d]`
 * @param Y - `[m, d]`
 * @returns a scalar, or `{ value, projectedCosts, directions }` with `returnDetails`
 * @throws OTError as {@link slicedWasserstein}, plus `INVALID_ARGUMENT` for an unknown kind, an even
 *   polynomial degree or a radius ≤ 0, and `SHAPE_MISMATCH` for projections of the wrong dimension q
 * @example
 * ```ts
 * const gsw = generalizedSlicedWasserstein(X, Y, { kind: 'circular', radius: 2, nProjections: 100, seed: 0 });
 * const poly = generalizedSlicedWasserstein(X, Y, { kind: 'polynomial', degree: 3, seed: 0 });
 * ```
 */
export function generalizedSlicedWasserstein(
  X: TensorLike,
  Y: TensorLike,
  options: GeneralizedSlicedWassersteinOptions & { returnDetails: true },
): GeneralizedSlicedWassersteinResult;
export function generalizedSlicedWasserstein(X: TensorLike, Y: TensorLike, options?: GeneralizedSlicedWassersteinOptions): tf.Scalar;
export function generalizedSlicedWasserstein(
  X: TensorLike,
  Y: TensorLike,
  options: GeneralizedSlicedWassersteinOptions = {},
): tf.Scalar | GeneralizedSlicedWassersteinResult {
  const p = checkP(options.p ?? 2);
  const g = checkDefiningFunction(options);
  const result = tf.tidy(() => {
    const [x, y] = toPair(X, Y, options.validate);
    const q = thetaDimension(g, x.shape[1]);
    const a = optionalWeights(options.a, x.shape[0], 'a', options.validate);
    const b = optionalWeights(options.b, y.shape[0], 'b', options.validate);
    let dirs: tf.Tensor2D;
    if (options.projections !== undefined) {
      if (options.nProjections !== undefined) checkInteger(options.nProjections, 'nProjections');
      dirs = checkDirections(options.projections, q, 'projections', options.validate);
    } else {
      const L = checkInteger(options.nProjections ?? 50, 'nProjections');
      if (q > 1 << 20) throw new OTError('INVALID_ARGUMENT', `the polynomial defining function has ${q} monomials; lower the degree`);
      dirs = randomDirections(q, L, { seed: options.seed });
    }
    const costs = projectedCosts(definingProjections(x, dirs, g, 'x'), definingProjections(y, dirs, g, 'x'), p, a, b);
    const value = pthRootOfMean(costs, p);
    return options.returnDetails === true ? { value, projectedCosts: costs, directions: tf.clone(dirs) } : { value };
  });
  if (options.returnDetails === true) return result as GeneralizedSlicedWassersteinResult;
  return result.value;
}
