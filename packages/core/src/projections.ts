/**
 * Directions on the unit sphere S^{d−1} and Radon projections of point clouds, the first half of
 * every sliced distance (Bonneel, Rabin, Peyré, Pfister, *Sliced and Radon Wasserstein
 * barycenters of measures*, JMIV 2015). Directions are the columns of a `[d, L]` matrix, POT's layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { OTError } from './errors.js';
import { toRng, type Seed } from './rng.js';
import type { TensorLike, ValidationLevel } from './types.js';
import { checkFinite, checkInteger, toFloatTensor, validationLevel } from './validate.js';

export interface DirectionOptions {
  /** Seed or generator; the same seed gives the same directions. */
  seed?: Seed;
}

/**
 * L directions drawn uniformly on S^{d−1} (normalized Gaussians), as columns.
 *
 * @returns `[d, L]` float32 with unit-norm columns
 * @example
 * ```ts
 * const dirs = randomDirections(3, 100, { seed: 0 }); // [3, 100]
 * ```
 */
export function randomDirections(d: number, L: number, options: DirectionOptions = {}): tf.Tensor2D {
  checkInteger(d, 'd');
  checkInteger(L, 'L');
  const seed = toRng(options.seed).nextSeed();
  return tf.tidy(() => {
    const g = tf.randomNormal([d, L], 0, 1, 'float32', seed);
    // g / ‖g‖ per column; rsqrt of a sum of squares is several times cheaper than tf.norm + div.
    return tf.mul(g, tf.rsqrt(tf.sum(tf.square(g), 0, true))) as tf.Tensor2D;
  });
}

/**
 * L directions made of independent uniformly random orthonormal bases of R^d (blocks of d
 * columns; the last block truncated), so directions within a block are orthogonal
 * (Rowland et al., *Orthogonal estimators for sliced Wasserstein*, AISTATS 2019).
 * Bases come from a float64 QR of Gaussian matrices with the sign fix that makes them Haar-distributed.
 *
 * @returns `[d, L]` float32
 */
export function orthogonalDirections(d: number, L: number, options: DirectionOptions = {}): tf.Tensor2D {
  checkInteger(d, 'd');
  checkInteger(L, 'L');
  const rng = toRng(options.seed);
  const out = new Float32Array(d * L);
  for (let start = 0; start < L; start += d) {
    const cols = Math.min(d, L - start);
    const g = new Matrix(d, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g.set(i, j, rng.normal());
    const qr = new QrDecomposition(g);
    const q = qr.orthogonalMatrix;
    const r = qr.upperTriangularMatrix;
    for (let j = 0; j < cols; j++) {
      const s = r.get(j, j) < 0 ? -1 : 1;
      for (let i = 0; i < d; i++) out[i * L + start + j] = s * q.get(i, j);
    }
  }
  return tf.tensor2d(out, [d, L], 'float32');
}

/**
 * Validates user-given directions `[d, L]`: finite, and (at validation level `'full'`) unit-norm
 * columns within `tol`.
 */
export function checkDirections(dirs: TensorLike, d: number, name = 'projections', level?: ValidationLevel, tol = 1e-3): tf.Tensor2D {
  const t = toFloatTensor(dirs, name, 2) as tf.Tensor2D;
  if (t.shape[0] !== d) {
    throw new OTError('SHAPE_MISMATCH', `${name} must be [d, L] with d = ${d} (directions as columns), got [${t.shape}]`, {
      name,
      shape: t.shape,
    });
  }
  checkFinite(t, name, level);
  if (validationLevel(level) === 'full') {
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.norm(t, 'euclidean', 0), 1))));
    const e = err.dataSync()[0] as number;
    err.dispose();
    if (e > tol) {
      throw new OTError('INVALID_ARGUMENT', `${name} must have unit-norm columns; the worst norm is off by ${e.toExponential(3)}`, {
        name,
        error: e,
      });
    }
  }
  return t;
}

/**
 * Radon projection of a point cloud on directions: `x @ dirs`.
 *
 * @param x - `[n, d]`
 * @param dirs - `[d, L]` (columns)
 * @returns `[n, L]`, column l holds ⟨x_i, θ_l⟩
 */
export function project(x: TensorLike, dirs: TensorLike, options: { validate?: ValidationLevel } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const X = toFloatTensor(x, 'x', 2) as tf.Tensor2D;
    checkFinite(X, 'x', options.validate);
    const D = toFloatTensor(dirs, 'dirs', 2) as tf.Tensor2D;
    if (D.shape[0] !== X.shape[1]) {
      throw new OTError('SHAPE_MISMATCH', `x is [n, ${X.shape[1]}] so dirs must be [${X.shape[1]}, L], got [${D.shape}]`);
    }
    checkFinite(D, 'dirs', options.validate);
    return tf.matMul(X, D);
  });
}
