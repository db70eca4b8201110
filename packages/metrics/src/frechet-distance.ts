/**
 * Fréchet distance between Gaussians N(μ1, Σ1) and N(μ2, Σ2) — the FID formula of Heusel,
 * Ramsauer, Unterthiner, Nessler, Hochreiter, *GANs Trained by a Two Time-Scale Update Rule
 * Converge to a Local Nash Equilibrium*, NeurIPS 2017, as pytorch-fid computes it:
 *
 *   d² = ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr (Σ1 Σ2)^{½}.
 *
 * pytorch-fid takes `scipy.linalg.sqrtm(Σ1 Σ2)` (a Schur method on a non-symmetric matrix). Here
 * Tr (Σ1 Σ2)^{½} = Σ √λ_i with λ the eigenvalues of the symmetric PSD matrix Lᵀ Σ2 L, where
 * Σ1 = L Lᵀ is a rank-revealing (pivoted) Cholesky factorization — the same eigenvalues as
 * √Σ1 Σ2 √Σ1, computed in float64 on the host with a symmetric eigenvalue solver. For singular
 * covariances (fewer samples than dimensions) L has only rank(Σ1) columns, so the exact value is
 * obtained without an ε offset and in O(d²·rank) time.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkNumber } from '@ot/core';
import { congruence, pivotedCholesky, symmetricEigenvalues } from './linalg.js';

/** A vector `[d]`: a typed array, a number array or a 1-D tensor (read as float32). */
export type HostVector = Float64Array | Float32Array | readonly number[] | tf.Tensor;
/** A matrix `[d, d]`: flat row-major typed array, nested arrays or a 2-D tensor (read as float32). */
export type HostMatrix = Float64Array | Float32Array | readonly (readonly number[])[] | tf.Tensor;

export interface FrechetOptions {
  /**
   * Offset added to both covariance diagonals when the square root fails (as pytorch-fid's
   * `eps`, default 1e-6): on non-finite results or significantly negative eigenvalues.
   */
  eps?: number;
}

/** Converts a vector to float64, checking its length (when `d` is given) and finiteness. */
export function toHostVector(x: HostVector, name: string, d?: number): Float64Array {
  let v: Float64Array;
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new OTError('DISPOSED', `${name} is a disposed tensor`);
    if (x.rank !== 1) throw new OTError('INVALID_SHAPE', `${name} must be a vector [d], got shape [${x.shape.join(', ')}]`);
    v = Float64Array.from(x.dataSync());
  } else if (x instanceof Float64Array || x instanceof Float32Array || Array.isArray(x)) {
    v = Float64Array.from(x as ArrayLike<number>);
  } else {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a vector (typed array, number[] or tensor)`);
  }
  if (v.length === 0) throw new OTError('EMPTY_INPUT', `${name} is empty`);
  if (d !== undefined && v.length !== d) throw new OTError('SHAPE_MISMATCH', `${name} must have ${d} entries, got ${v.length}`, { expected: d, got: v.length });
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new OTError('NON_FINITE', `${name} contains NaN or Infinity`);
  return v;
}

/** Converts a `[d, d]` matrix to a flat float64 row-major array, checking shape, finiteness and symmetry. */
export function toHostMatrix(x: HostMatrix, name: string, d: number): Float64Array {
  let m: Float64Array;
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new OTError('DISPOSED', `${name} is a disposed tensor`);
    if (x.rank !== 2 || x.shape[0] !== d || x.shape[1] !== d) {
      throw new OTError('SHAPE_MISMATCH', `${name} must be [${d}, ${d}], got shape [${x.shape.join(', ')}]`);
    }
    m = Float64Array.from(x.dataSync());
  } else if (x instanceof Float64Array || x instanceof Float32Array) {
    if (x.length !== d * d) throw new OTError('SHAPE_MISMATCH', `${name} must hold ${d}×${d} = ${d * d} values (row-major), got ${x.length}`);
    m = x instanceof Float64Array ? x : Float64Array.from(x);
  } else if (Array.isArray(x)) {
    if (x.length !== d) throw new OTError('SHAPE_MISMATCH', `${name} must have ${d} rows, got ${x.length}`);
    m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      const r = x[i] as readonly number[];
      if (!Array.isArray(r) || r.length !== d) throw new OTError('SHAPE_MISMATCH', `${name} row ${i} must have ${d} entries`);
      for (let j = 0; j < d; j++) m[i * d + j] = r[j] as number;
    }
  } else {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a [d, d] matrix (flat typed array, nested arrays or tensor)`);
  }
  let scale = 0;
  for (let i = 0; i < m.length; i++) {
    if (!Number.isFinite(m[i]!)) throw new OTError('NON_FINITE', `${name} contains NaN or Infinity`);
    scale = Math.max(scale, Math.abs(m[i]!));
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(m[i * d + j]! - m[j * d + i]!) > 1e-6 * scale + 1e-300) {
        throw new OTError('INVALID_ARGUMENT', `${name} must be symmetric (a covariance): entries (${i}, ${j}) and (${j}, ${i}) differ`);
      }
    }
  }
  return m;
}

/** The result of {@link traceSqrtProduct}. */
export interface TraceSqrt {
  /** Tr (Σ1 Σ2)^{½}. */
  value: number;
  /** Most negative eigenvalue met (or Schur-complement diagonal of Σ1); 0 when none. */
  mostNegative: number;
}

/** Tr (Σ1 Σ2)^{½} by the symmetric route; see the file header. */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, d: number): TraceSqrt {
  let maxDiag = 0;
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, s1[i * d + i]!);
  if (maxDiag <= 0) return { value: 0, mostNegative: Math.min(0, ...Array.from({ length: d }, (_, i) => s1[i * d + i]!)) };
  const tol = Math.max(d, 16) * 2 ** -52 * maxDiag;
  const chol = pivotedCholesky(s1, d, tol);
  if (chol.rank === 0) return { value: 0, mostNegative: chol.minResidual };
  const m = congruence(s2, d, chol);
  const ev = symmetricEigenvalues(m, chol.rank);
  let value = 0;
  let mostNegative = Math.min(0, chol.minResidual);
  for (let i = 0; i < ev.length; i++) {
    const l = ev[i]!;
    if (l > 0) value += Math.sqrt(l);
    else mostNegative = Math.min(mostNegative, l);
  }
  return { value, mostNegative };
}

/**
 * Fréchet distance d² between N(μ1, Σ1) and N(μ2, Σ2) (the FID when the statistics are Inception
 * pool3 features), in float64.
 *
 * Failure handling follows pytorch-fid: when the square root is not finite, or meets eigenvalues
 * below −1e-6 (pytorch-fid would see an imaginary part above 1e-3), ε·I is added to both
 * covariances and the computation repeated; if it still fails the error is
 * `NOT_POSITIVE_DEFINITE`. Rounding-level negative eigenvalues are clipped to 0 (the real part).
 *
 * @param mu1 mean `[d]`
 * @param sigma1 covariance `[d, d]` (flat row-major, nested arrays or tensor)
 * @param mu2 mean `[d]`
 * @param sigma2 covariance `[d, d]`
 * @returns d² ≥ 0 (up to rounding)
 * @example
 * ```ts
 * const a = featureStatistics(featsA), b = featureStatistics(featsB);
 * const fid = frechetDistance(a.mu, a.sigma, b.mu, b.sigma);
 * ```
 */
export function frechetDistance(mu1: HostVector, sigma1: HostMatrix, mu2: HostVector, sigma2: HostMatrix, options: FrechetOptions = {}): number {
  const eps = checkNumber(options.eps ?? 1e-6, 'eps', (v) => v >= 0, 'a number ≥ 0');
  const m1 = toHostVector(mu1, 'mu1');
  const d = m1.length;
  const m2 = toHostVector(mu2, 'mu2', d);
  const s1 = toHostMatrix(sigma1, 'sigma1', d);
  const s2 = toHostMatrix(sigma2, 'sigma2', d);
  let diff2 = 0;
  let tr1 = 0;
  let tr2 = 0;
  for (let i = 0; i < d; i++) {
    const t = m1[i]! - m2[i]!;
    diff2 += t * t;
    tr1 += s1[i * d + i]!;
    tr2 += s2[i * d + i]!;
  }
  const threshold = -1e-6;
  let ts = traceSqrtProduct(s1, s2, d);
  let offset = 0;
  if (!Number.isFinite(ts.value) || ts.mostNegative < threshold) {
    if (eps > 0) {
      const a = Float64Array.from(s1);
      const b = Float64Array.from(s2);
      for (let i = 0; i < d; i++) {
        a[i * d + i] = a[i * d + i]! + (eps);
        b[i * d + i] = b[i * d + i]! + (eps);
      }
      ts = traceSqrtProduct(a, b, d);
      offset = eps;
    }
    if (!Number.isFinite(ts.value) || ts.mostNegative < threshold) {
      throw new OTError(
        'NOT_POSITIVE_DEFINITE',
        `the covariances are not positive semi-definite: eigenvalue ${ts.mostNegative.toExponential(3)} of √Σ1 Σ2 √Σ1${offset > 0 ? ` even with ${offset}·I added` : ''} (pytorch-fid: "Imaginary component")`,
        { mostNegative: ts.mostNegative },
      );
    }
  }
  return diff2 + tr1 + tr2 - 2 * ts.value;
}
