/**
 * Small symmetric linear algebra on the host in float64, which tfjs lacks: the symmetric
 * eigendecomposition, and the spectral functions built on it (the principal square root of a
 * symmetric positive semi-definite matrix and its inverse) (Higham, *Functions of Matrices*,
 * SIAM 2008, §6.1: for a symmetric matrix, √S = V diag(√λ) Vᵀ is the best-conditioned way).
 *
 * The eigensolver is ml-matrix's `EigenvalueDecomposition` with `assumeSymmetric: true`
 * (Householder tridiagonalization then the implicit QL algorithm, JAMA's `tred2`/`tql2`), which
 * is backward stable: computed eigenvalues are exact for a matrix within ≈ d·ε·‖S‖ of S.
 * Hence √λ for the smallest eigenvalue carries an absolute error ≈ ε·λ_max / √λ_min, i.e. a
 * relative error in ‖√S‖ of order ε·√κ(S); the measured figures are in the package README.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { OTError } from './errors.js';
import { checkSquare, matrixToTensor, toFloat64Matrix, type Float64Matrix, type MatrixInput } from './float64.js';

/** Tolerances of the symmetric routines. */
export interface SymmetricOptions {
  /**
   * Largest accepted asymmetry max|S − Sᵀ| relative to max|S| (default 1e-5, loose enough for
   * float32 matrices such as covariances computed on a backend). The matrix is symmetrized.
   */
  symmetryTol?: number;
}

/** Tolerances of the square-root routines. */
export interface SqrtmOptions extends SymmetricOptions {
  /**
   * Negative eigenvalues down to −psdTol·max|λ| are treated as rounding and clamped to 0
   * (default 1e-6); a more negative one is a `NOT_POSITIVE_DEFINITE` error.
   */
  psdTol?: number;
}

/** The eigendecomposition S = V diag(values) Vᵀ of a symmetric matrix, in float64. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order, `[d]`. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as the columns of a `d × d` matrix (column k goes with `values[k]`). */
  readonly vectors: Float64Matrix;
}

/** Reads a square matrix to float64, checks symmetry within `symmetryTol` and symmetrizes it. */
export function toSymmetricF64(S: MatrixInput, name: string, opts: SymmetricOptions = {}): Float64Matrix {
  const m = toFloat64Matrix(S, name);
  const d = checkSquare(m, name);
  const tol = opts.symmetryTol ?? 1e-5;
  if (!(tol >= 0)) throw new OTError('INVALID_ARGUMENT', `symmetryTol must be ≥ 0, got ${tol}`);
  let maxAbs = 0;
  let maxAsym = 0;
  const a = m.data;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(a[i * d + j] as number));
      if (j > i) maxAsym = Math.max(maxAsym, Math.abs((a[i * d + j] as number) - (a[j * d + i] as number)));
    }
  }
  if (maxAsym > tol * maxAbs) {
    throw new OTError(
      'NOT_POSITIVE_DEFINITE',
      `${name} must be symmetric: max|S − Sᵀ| = ${maxAsym.toExponential(3)} exceeds ${tol} × max|S| = ${(tol * maxAbs).toExponential(3)}`,
      { name, asymmetry: maxAsym },
    );
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * ((a[i * d + j] as number) + (a[j * d + i] as number));
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return m;
}

/** Eigendecomposition of an already symmetric host matrix (ascending eigenvalues). */
export function eigenOf(m: Float64Matrix): SymmetricEigen {
  const d = m.rows;
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(m.data.subarray(i * d, (i + 1) * d)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = Array.from({ length: d }, (_, k) => k).sort((p, q) => (lam[p] as number) - (lam[q] as number));
  const values = new Float64Array(d);
  const vec = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const src = order[k] as number;
    values[k] = lam[src] as number;
    for (let i = 0; i < d; i++) vec[i * d + k] = V.get(i, src);
  }
  return { values, vectors: { rows: d, cols: d, data: vec } };
}

/**
 * Eigendecomposition of a symmetric matrix in float64 (ml-matrix, tridiagonal QL).
 *
 * @param S - symmetric `[d, d]`: a float32 tensor, nested arrays or a {@link Float64Matrix}
 * @returns ascending eigenvalues and the matching orthonormal eigenvectors (columns)
 * @throws OTError `INVALID_SHAPE` (not square), `EMPTY_INPUT`, `NON_FINITE`, `INVALID_DTYPE`,
 *   `NOT_POSITIVE_DEFINITE` (not symmetric within `symmetryTol`)
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]); // values [1, 3]
 * ```
 */
export function symmetricEigen(S: MatrixInput, options: SymmetricOptions = {}): SymmetricEigen {
  return eigenOf(toSymmetricF64(S, 'S', options));
}

/** V diag(f) Vᵀ for eigenvectors V (columns) and spectral values f, in float64. */
export function spectralCompose(vectors: Float64Matrix, f: Float64Array): Float64Matrix {
  const d = vectors.rows;
  const V = vectors.data;
  const W = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) W[i * d + k] = (V[i * d + k] as number) * (f[k] as number);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (W[i * d + k] as number) * (V[j * d + k] as number);
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return { rows: d, cols: d, data: out };
}

/**
 * Eigendecomposition of a symmetric PSD matrix with eigenvalues in [−psdTol·max|λ|, 0) clamped to
 * 0; throws `NOT_POSITIVE_DEFINITE` for a more negative one.
 */
export function psdEigen(S: MatrixInput, name: string, opts: SqrtmOptions = {}): SymmetricEigen {
  const psdTol = opts.psdTol ?? 1e-6;
  if (!(psdTol >= 0)) throw new OTError('INVALID_ARGUMENT', `psdTol must be ≥ 0, got ${psdTol}`);
  const eig = eigenOf(toSymmetricF64(S, name, opts));
  const d = eig.values.length;
  const top = Math.max(Math.abs(eig.values[0] as number), Math.abs(eig.values[d - 1] as number));
  const low = eig.values[0] as number;
  if (low < -psdTol * top) {
    throw new OTError(
      'NOT_POSITIVE_DEFINITE',
      `${name} must be positive semi-definite: smallest eigenvalue ${low.toExponential(3)} is below −${psdTol} × ${top.toExponential(3)}`,
      { name, minEigenvalue: low },
    );
  }
  for (let k = 0; k < d; k++) if ((eig.values[k] as number) < 0) eig.values[k] = 0;
  return eig;
}

/**
 * Principal square root of a symmetric positive semi-definite matrix, in float64:
 * √S = V diag(√λ) Vᵀ. Eigenvalues in [−psdTol·max|λ|, 0) are clamped to 0.
 *
 * @param S - SPD or PSD `[d, d]`: a float32 tensor, nested arrays or a {@link Float64Matrix}
 * @returns √S as a host float64 matrix (symmetric)
 * @throws OTError `NOT_POSITIVE_DEFINITE` (not symmetric, or an eigenvalue below −psdTol·max|λ|), and the input errors of {@link symmetricEigen}
 * @example
 * ```ts
 * const R = sqrtmF64([[4, 0], [0, 9]]); // R.data = [2, 0, 0, 3]
 * ```
 */
export function sqrtmF64(S: MatrixInput, options: SqrtmOptions = {}): Float64Matrix {
  const eig = psdEigen(S, 'S', options);
  return spectralCompose(eig.vectors, eig.values.map(Math.sqrt));
}

/**
 * Principal square root of a symmetric positive semi-definite matrix (see {@link sqrtmF64}),
 * computed in float64 and returned as a float32 tensor `[d, d]` (the caller owns it).
 *
 * @example
 * ```ts
 * const R = sqrtm(tf.tensor2d([[2, 1], [1, 2]])); // R @ R ≈ S
 * ```
 */
export function sqrtm(S: MatrixInput, options: SqrtmOptions = {}): tf.Tensor2D {
  return matrixToTensor(sqrtmF64(S, options));
}

/**
 * Inverse principal square root S^{−½} = V diag(1/√λ) Vᵀ of a symmetric positive definite
 * matrix, in float64. Its relative error grows like ε·κ(S)^{3/2} (see the README table).
 *
 * @throws OTError `NOT_POSITIVE_DEFINITE` when S is not symmetric or its smallest eigenvalue is not
 *   above d·ε·max|λ| (numerically singular), and the input errors of {@link symmetricEigen}
 * @example
 * ```ts
 * const Ri = inverseSqrtmF64([[4, 0], [0, 9]]); // Ri.data = [0.5, 0, 0, 1/3]
 * ```
 */
export function inverseSqrtmF64(S: MatrixInput, options: SymmetricOptions = {}): Float64Matrix {
  const eig = eigenOf(toSymmetricF64(S, 'S', options));
  const d = eig.values.length;
  const top = Math.abs(eig.values[d - 1] as number);
  const low = eig.values[0] as number;
  if (!(low > d * Number.EPSILON * top) || !(top > 0)) {
    throw new OTError(
      'NOT_POSITIVE_DEFINITE',
      `S must be positive definite for an inverse square root: smallest eigenvalue ${low.toExponential(3)} (largest ${top.toExponential(3)})`,
      { name: 'S', minEigenvalue: low },
    );
  }
  return spectralCompose(eig.vectors, eig.values.map((l) => 1 / Math.sqrt(l)));
}

/** {@link inverseSqrtmF64} returned as a float32 tensor `[d, d]` (the caller owns it). */
export function inverseSqrtm(S: MatrixInput, options: SymmetricOptions = {}): tf.Tensor2D {
  return matrixToTensor(inverseSqrtmF64(S, options));
}

/** A·B for host float64 matrices (plain row-major loops). */
export function matmulF64(A: Float64Matrix, B: Float64Matrix): Float64Matrix {
  if (A.cols !== B.rows) throw new OTError('SHAPE_MISMATCH', `cannot multiply ${A.rows}×${A.cols} by ${B.rows}×${B.cols}`);
  const n = A.rows;
  const k = A.cols;
  const m = B.cols;
  const out = new Float64Array(n * m);
  const a = A.data;
  const b = B.data;
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l] as number;
      if (ail === 0) continue;
      const row = l * m;
      const orow = i * m;
      for (let j = 0; j < m; j++) out[orow + j] = (out[orow + j] as number) + ail * (b[row + j] as number);
    }
  }
  return { rows: n, cols: m, data: out };
}
