/**
 * Maximum mean discrepancy (Gretton, Borgwardt, Rasch, Schölkopf, Smola, *A kernel two-sample test*,
 * JMLR 2012), the unbiased U-statistic
 *
 * MMD²_u(X, Y) = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j),
 *
 * with the kernels of the WAE paper (Tolstikhin, Bousquet, Gelly, Schölkopf, *Wasserstein
 * auto-encoders*, ICLR 2018, Section 4 and its code): for a d-dimensional prior N(0, σ²I) the base
 * scale is C₀ = 2·d·σ², and the kernel is summed over the scales C = C₀·s, s ∈ {0.1, 0.2, 0.5, 1, 2,
 * 5, 10}:
 *
 * - `'imq'` (inverse multiquadratic, the paper's choice): k(x, y) = C / (C + ‖x − y‖²);
 * - `'rbf'` (Gaussian): k(x, y) = exp(−‖x − y‖² / C).
 *
 * The estimate is unbiased (it can be slightly negative), differentiable in both X and Y, and also
 * serves as a metric between a latent code distribution and its prior.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkPositive, toPointCloud, type TensorLike, type ValidationLevel } from '@ot/core';

export const MMD_KERNELS = ['imq', 'rbf'] as const;
export type MmdKernel = (typeof MMD_KERNELS)[number];

/** The scales of the WAE paper's code. */
export const WAE_MMD_SCALES: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10];

export interface MmdOptions {
  /** `'imq'` (default) or `'rbf'`. */
  kernel?: MmdKernel;
  /** Multipliers s of the base scale C₀ = 2·d·σ²; the kernel is summed over them (default {@link WAE_MMD_SCALES}). */
  scales?: readonly number[];
  /** Variance σ² of the prior that sets the base scale (default 1). */
  sigma2?: number;
  /** Validation level of the inputs. */
  validate?: ValidationLevel;
}

/** Pairwise squared distances `[n, m]` (clamped at 0), differentiable, with an explicit transpose. */
function sqdist(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  const xx = tf.sum(tf.square(x), 1, true);
  const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, -1]);
  return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(tf.matMul(x, tf.transpose(y)), 2))) as tf.Tensor2D;
}

function kernelSum(d2: tf.Tensor2D, kernel: MmdKernel, cs: readonly number[]): tf.Tensor2D {
  let k: tf.Tensor | undefined;
  for (const c of cs) {
    const term = kernel === 'imq' ? tf.div(c, tf.add(d2, c)) : tf.exp(tf.div(d2, -c));
    k = k === undefined ? term : tf.add(k, term);
  }
  return k as tf.Tensor2D;
}

/** Σ_{i≠j} k_ij / (n(n−1)) of a square kernel matrix. */
function offDiagonalMean(k: tf.Tensor2D): tf.Scalar {
  const n = k.shape[0];
  const off = tf.sub(tf.sum(k), tf.sum(tf.mul(k, tf.eye(n))));
  return tf.div(off, n * (n - 1)) as tf.Scalar;
}

/**
 * Unbiased MMD² between the samples X `[n, d]` and Y `[m, d]` (n, m ≥ 2).
 *
 * @returns a scalar (differentiable in X and Y)
 * @throws OTError `SHAPE_MISMATCH` when the dimensions differ, `INVALID_SHAPE` / `EMPTY_INPUT` for
 *   non-matrices or fewer than 2 samples, `INVALID_ARGUMENT` for a bad kernel or scale
 * @example
 * ```ts
 * const z = encoder(x);                               // [b, 8]
 * const prior = tf.randomNormal([b, 8]);
 * const penalty = mmd(z, prior, { kernel: 'imq' });   // WAE-MMD's regularizer
 * ```
 */
export function mmd(X: TensorLike, Y: TensorLike, options: MmdOptions = {}): tf.Scalar {
  const kernel = checkChoice(options.kernel ?? 'imq', 'kernel', MMD_KERNELS);
  const scales = options.scales ?? WAE_MMD_SCALES;
  if (!Array.isArray(scales) || scales.length === 0) throw new OTError('INVALID_ARGUMENT', 'scales must be a non-empty array of positive numbers');
  scales.forEach((s, i) => checkPositive(s, `scales[${i}]`));
  const sigma2 = checkPositive(options.sigma2 ?? 1, 'sigma2');
  return tf.tidy(() => {
    const x = toPointCloud(X, 'X', options.validate);
    const y = toPointCloud(Y, 'Y', options.validate);
    if (x.shape[1] !== y.shape[1]) throw new OTError('SHAPE_MISMATCH', `X and Y must have the same dimension, got [${x.shape}] and [${y.shape}]`);
    const [n, d] = x.shape;
    const m = y.shape[0];
    if (n < 2 || m < 2) throw new OTError('EMPTY_INPUT', `the unbiased MMD needs at least 2 samples on each side, got ${n} and ${m}`);
    const cs = scales.map((s) => 2 * d * sigma2 * s);
    const kxx = offDiagonalMean(kernelSum(sqdist(x, x), kernel, cs));
    const kyy = offDiagonalMean(kernelSum(sqdist(y, y), kernel, cs));
    const kxy = tf.div(tf.sum(kernelSum(sqdist(x, y), kernel, cs)), n * m);
    return tf.sub(tf.add(kxx, kyy), tf.mul(kxy, 2)) as tf.Scalar;
  });
}
