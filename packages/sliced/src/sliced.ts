/**
 * Sliced Wasserstein distance (Rabin, Peyré, Delon, Bernot, *Wasserstein barycenter and its
 * application to texture mixing*, SSVM 2011; Bonneel et al., JMIV 2015), as POT's
 * `ot.sliced_wasserstein_distance`:
 *
 * SW_p(μ, ν) = ( (1/L) Σ_l W_p^p(θ_l#μ, θ_l#ν) )^{1/p},
 *
 * with W_p^p the 1D cost of `@ot/core` (a mean over samples, POT's convention; the code of Nguyen &
 * Ho 2022 sums over samples instead). Directions are random on the sphere (seeded), orthogonal
 * blocks (Rowland et al. 2019), or given as the columns of a `[d, L]` matrix.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  OTError,
  checkDirections,
  checkInteger,
  orthogonalDirections,
  randomDirections,
  type Seed,
  type TensorLike,
  type ValidationLevel,
} from '@ot/core';
import { checkP, optionalWeights, toPair } from './internal/args.js';
import { projectRows } from './internal/project.js';
import { projectedCosts, pthRootOfMean } from './internal/projected-costs.js';

export interface SlicedWassersteinOptions {
  /** Ground-cost exponent p ≥ 1 (default 2). */
  p?: number;
  /** Number of random directions L when `projections` is not given (default 50). */
  nProjections?: number;
  /** Given directions `[d, L]` (unit-norm columns, POT's layout); overrides random draws. */
  projections?: TensorLike;
  /** Draw directions as blocks of random orthonormal bases instead of independent ones. */
  orthogonal?: boolean;
  /** Seed or generator for the random directions. */
  seed?: Seed;
  /** Weights of X `[n]` (uniform when omitted). */
  a?: TensorLike;
  /** Weights of Y `[m]` (uniform when omitted). */
  b?: TensorLike;
  /** Return `{ value, projectedCosts, directions }` instead of the scalar. */
  returnDetails?: boolean;
  /** Validation level for this call. */
  validate?: ValidationLevel;
}

/** The detailed result of {@link slicedWasserstein}. */
export interface SlicedWassersteinResult {
  /** SW_p, a scalar. */
  readonly value: tf.Scalar;
  /** W_p^p along each direction, `[L]`. */
  readonly projectedCosts: tf.Tensor1D;
  /** The directions used, `[d, L]` (columns). */
  readonly directions: tf.Tensor2D;
}

/** Directions `[d, L]` from the options (call inside `tf.tidy`). */
export function resolveDirections(d: number, options: SlicedWassersteinOptions): tf.Tensor2D {
  if (options.projections !== undefined) {
    if (options.orthogonal === true) {
      throw new OTError('INVALID_ARGUMENT', 'give either projections or orthogonal: true, not both');
    }
    if (options.nProjections !== undefined) {
      checkInteger(options.nProjections, 'nProjections');
    }
    return checkDirections(options.projections, d, 'projections', options.validate);
  }
  const L = checkInteger(options.nProjections ?? 50, 'nProjections');
  return options.orthogonal === true ? orthogonalDirections(d, L, { seed: options.seed }) : randomDirections(d, L, { seed: options.seed });
}

/**
 * Sliced Wasserstein distance SW_p between the empirical measures of `X` and `Y`, differentiable
 * w.r.t. `X` and `Y`. With the same directions it equals POT's
 * `ot.sliced_wasserstein_distance(X, Y, a, b, n_projections=L, p=p, projections=P)`.
 *
 * @param X - `[n, d]` samples of μ
 * @param Y - `[m, d]` samples of ν (m ≠ n allowed)
 * @returns a scalar, or `{ value, projectedCosts [L], directions [d, L] }` with `returnDetails`
 * @throws OTError `INVALID_SHAPE`, `SHAPE_MISMATCH` (different d, weights or projections of the wrong
 *   size), `EMPTY_INPUT`, `NON_FINITE`, `INVALID_DTYPE`, `INVALID_WEIGHTS`, `INVALID_ARGUMENT`
 *   (p < 1, nProjections not a positive integer, non-unit projections)
 * @example
 * ```ts
 * const X = tf.randomNormal([256, 2]);
 * const Y = tf.add(tf.randomNormal([300, 2]), 1);
 * const sw = slicedWasserstein(X, Y, { p: 2, nProjections: 100, seed: 0 }); // scalar
 * const grad = tf.grad((x) => slicedWasserstein(x, Y, { seed: 0 }))(X);   // [256, 2]
 * ```
 */
export function slicedWasserstein(X: TensorLike, Y: TensorLike, options: SlicedWassersteinOptions & { returnDetails: true }): SlicedWassersteinResult;
export function slicedWasserstein(X: TensorLike, Y: TensorLike, options?: SlicedWassersteinOptions): tf.Scalar;
export function slicedWasserstein(X: TensorLike, Y: TensorLike, options: SlicedWassersteinOptions = {}): tf.Scalar | SlicedWassersteinResult {
  const p = checkP(options.p ?? 2);
  const result = tf.tidy(() => {
    const [x, y] = toPair(X, Y, options.validate);
    const a = optionalWeights(options.a, x.shape[0], 'a', options.validate);
    const b = optionalWeights(options.b, y.shape[0], 'b', options.validate);
    const dirs = resolveDirections(x.shape[1], options);
    const costs = projectedCosts(projectRows(x, dirs), projectRows(y, dirs), p, a, b);
    const value = pthRootOfMean(costs, p);
    return options.returnDetails === true ? { value, projectedCosts: costs, directions: tf.clone(dirs) } : { value };
  });
  if (options.returnDetails === true) return result as SlicedWassersteinResult;
  return result.value;
}
