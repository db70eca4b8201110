/**
 * Closed forms of optimal transport between Gaussians N(m1, S1) and N(m2, S2) for the squared
 * Euclidean cost (Dowson & Landau, *The Fréchet distance between multivariate normal
 * distributions*, J. Multivariate Anal. 1982; Knott & Smith, *On the optimal mapping of
 * distributions*, JOTA 1984; Peyré & Cuturi, *Computational Optimal Transport*, Remark 2.31):
 *
 *   W2²  = ‖m1 − m2‖² + tr S1 + tr S2 − 2 tr (S1^{½} S2 S1^{½})^{½}     (the Bures metric)
 *   T(x) = A (x − m1) + m2,   A = S1^{−½} (S1^{½} S2 S1^{½})^{½} S1^{−½}
 *
 * Everything is computed on the host in float64 from symmetric eigendecompositions
 * ({@link sqrtmF64}); FID is this W2² between feature Gaussians.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import { checkSquare, toFloat64Matrix, toFloat64Vector, type Float64Matrix, type MatrixInput, type VectorInput } from './float64.js';
import { matmulF64, psdEigen, spectralCompose, sqrtmF64, toSymmetricF64, type SqrtmOptions, type SymmetricEigen } from './linalg.js';
import type { TensorLike, ValidationLevel } from './types.js';
import { checkFinite, toFloatTensor } from './validate.js';

interface GaussianPair {
  m1: Float64Array;
  S1: Float64Matrix;
  m2: Float64Array;
  S2: Float64Matrix;
  d: number;
}

function readPair(m1: VectorInput, S1: MatrixInput, m2: VectorInput, S2: MatrixInput): GaussianPair {
  const a = toFloat64Vector(m1, 'm1');
  const b = toFloat64Vector(m2, 'm2');
  const A = toFloat64Matrix(S1, 'S1');
  const B = toFloat64Matrix(S2, 'S2');
  const d = a.length;
  if (b.length !== d) throw new OTError('SHAPE_MISMATCH', `m1 and m2 must have the same length, got ${d} and ${b.length}`);
  for (const [M, name] of [[A, 'S1'], [B, 'S2']] as const) {
    checkSquare(M, name);
    if (M.rows !== d) throw new OTError('SHAPE_MISMATCH', `${name} must be ${d}×${d} to match the mean, got ${M.rows}×${M.cols}`);
  }
  return { m1: a, S1: A, m2: b, S2: B, d };
}

interface Prepared {
  /** Eigendecomposition of S1 (eigenvalues clamped at 0). */
  e1: SymmetricEigen;
  /** S1^{½} S2 S1^{½}, symmetrized. */
  cross: Float64Matrix;
}

/** Checks both covariances (symmetric, PSD) and forms S1^{½} S2 S1^{½} from one eigendecomposition of S1. */
function prepare(p: GaussianPair, opts: SqrtmOptions): Prepared {
  const e1 = psdEigen(p.S1, 'S1', opts);
  const S2 = toSymmetricF64(p.S2, 'S2', opts);
  const r1 = spectralCompose(e1.vectors, e1.values.map(Math.sqrt));
  const c = matmulF64(matmulF64(r1, S2), r1);
  symmetrize(c);
  return { e1, cross: c };
}

function symmetrize(c: Float64Matrix): void {
  const d = c.rows;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * ((c.data[i * d + j] as number) + (c.data[j * d + i] as number));
      c.data[i * d + j] = v;
      c.data[j * d + i] = v;
    }
  }
}

function trace(M: Float64Matrix): number {
  let t = 0;
  for (let i = 0; i < M.rows; i++) t += M.data[i * M.cols + i] as number;
  return t;
}

/**
 * Squared 2-Wasserstein distance W2² between N(m1, S1) and N(m2, S2) (the Fréchet / Bures
 * formula; FID is this value between feature Gaussians). Computed in float64 on the host;
 * tr (S1^{½} S2 S1^{½})^{½} is the sum of square roots of that symmetric matrix's eigenvalues.
 * Rounding can make the formula slightly negative for (nearly) equal Gaussians: the result is
 * clamped at 0.
 *
 * @param m1 - mean `[d]`
 * @param S1 - covariance `[d, d]`, symmetric positive semi-definite
 * @param m2 - mean `[d]`
 * @param S2 - covariance `[d, d]`, symmetric positive semi-definite
 * @returns W2² (squared, as a float64 number)
 * @throws OTError `SHAPE_MISMATCH`, `INVALID_SHAPE`, `EMPTY_INPUT`, `NON_FINITE`, `NOT_POSITIVE_DEFINITE`
 * @example
 * ```ts
 * gaussianW2([0, 0], [[1, 0], [0, 1]], [3, 4], [[4, 0], [0, 4]]); // 25 + 2 = 27
 * ```
 */
export function gaussianW2(m1: VectorInput, S1: MatrixInput, m2: VectorInput, S2: MatrixInput, options: SqrtmOptions = {}): number {
  const p = readPair(m1, S1, m2, S2);
  const { cross } = prepare(p, options);
  // S1^{½} S2 S1^{½} has the inertia of S2 when S1 is definite: a negative eigenvalue here means S2 is not PSD.
  const eig = psdEigen(cross, 'S2 (through S1^½ S2 S1^½)', { ...options, symmetryTol: Infinity });
  let trSqrt = 0;
  for (const l of eig.values) trSqrt += Math.sqrt(Math.max(l, 0));
  let meanTerm = 0;
  for (let i = 0; i < p.d; i++) meanTerm += ((p.m1[i] as number) - (p.m2[i] as number)) ** 2;
  return Math.max(0, meanTerm + trace(p.S1) + trace(p.S2) - 2 * trSqrt);
}

/** The affine Monge map between two Gaussians, T(x) = A x + b = A (x − m1) + m2. */
export interface GaussianMap {
  /** The symmetric positive semi-definite matrix A `[d, d]`, host float64. */
  readonly A: Float64Matrix;
  /** The offset b = m2 − A m1 `[d]`, host float64 (so T(x) = A x + b). */
  readonly b: Float64Array;
  /**
   * Applies the map to the rows of `x` `[n, d]`: returns T(x) = x Aᵀ + b `[n, d]` float32 (A is
   * symmetric, so this is x A + b). Differentiable w.r.t. `x`; the caller owns the result.
   */
  apply(x: TensorLike, options?: { validate?: ValidationLevel }): tf.Tensor2D;
}

/**
 * The optimal (Brenier / Bures) map between N(m1, S1) and N(m2, S2):
 * T(x) = A (x − m1) + m2 with A = S1^{−½} (S1^{½} S2 S1^{½})^{½} S1^{−½}, computed on the host in
 * float64. The same operator as POT's `ot.da.OT_mapping_linear` (which estimates S1, S2 from samples).
 *
 * @param m1 - source mean `[d]`
 * @param S1 - source covariance `[d, d]`, symmetric positive definite
 * @param m2 - target mean `[d]`
 * @param S2 - target covariance `[d, d]`, symmetric positive semi-definite
 * @returns `{ A, b, apply }` with T(x) = A x + b
 * @throws OTError `NOT_POSITIVE_DEFINITE` when S1 is singular or either matrix is not symmetric PSD,
 *   and the shape / finiteness errors of {@link gaussianW2}
 * @example
 * ```ts
 * const T = gaussianMap([0, 0], [[1, 0], [0, 1]], [1, 1], [[4, 0], [0, 9]]);
 * const y = T.apply(tf.tensor2d([[1, 1]])); // [[3, 4]]
 * ```
 */
export function gaussianMap(m1: VectorInput, S1: MatrixInput, m2: VectorInput, S2: MatrixInput, options: SqrtmOptions = {}): GaussianMap {
  const p = readPair(m1, S1, m2, S2);
  const d = p.d;
  const { e1, cross } = prepare(p, options);
  const top = e1.values[d - 1] as number;
  const low = e1.values[0] as number;
  if (!(low > d * Number.EPSILON * top) || !(top > 0)) {
    throw new OTError('NOT_POSITIVE_DEFINITE', `S1 must be positive definite for the map: smallest eigenvalue ${low.toExponential(3)}`, {
      name: 'S1',
      minEigenvalue: low,
    });
  }
  const r1inv = spectralCompose(e1.vectors, e1.values.map((l) => 1 / Math.sqrt(l)));
  const middle = sqrtmF64(cross, { ...options, symmetryTol: Infinity });
  const A = matmulF64(matmulF64(r1inv, middle), r1inv);
  symmetrize(A);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (A.data[i * d + j] as number) * (p.m1[j] as number);
    b[i] = (p.m2[i] as number) - s;
  }
  const Af = Float32Array.from(A.data);
  const bf = Float32Array.from(b);
  return Object.freeze({
    A,
    b,
    apply(x: TensorLike, opts: { validate?: ValidationLevel } = {}): tf.Tensor2D {
      return tf.tidy(() => {
        const X = toFloatTensor(x, 'x', 2) as tf.Tensor2D;
        if (X.shape[1] !== d) throw new OTError('SHAPE_MISMATCH', `x must be [n, ${d}] for this map, got [${X.shape}]`);
        checkFinite(X, 'x', opts.validate);
        return tf.add(tf.matMul(X, tf.tensor2d(Af, [d, d])), tf.tensor1d(bf)) as tf.Tensor2D;
      });
    },
  });
}

