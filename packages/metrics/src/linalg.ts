/**
 * Small float64 linear algebra on the host, for the Fréchet distance: pivoted Cholesky of a
 * positive semi-definite matrix, the congruence Lᵀ S L, and the eigenvalues of a symmetric matrix
 * (Householder tridiagonalization without accumulating the transforms, then implicit QL with
 * Wilkinson-type shifts, as EISPACK tred1 + tql1 / JAMA). Matrices are row-major `Float64Array`s.
 *
 * These are eigen*values* only: about (2/3)·n³ multiply-adds, 3–5× less work than a full
 * eigendecomposition (ml-matrix's `EigenvalueDecomposition` accumulates eigenvectors).
 */
import { OTError } from '@ot/core';

/** Result of {@link pivotedCholesky}: A[perm][:, perm] ≈ L Lᵀ with L `[n, rank]` lower trapezoidal. */
export interface PivotedCholesky {
  /** `[n, rank]` row-major, rows in pivot order, L[i][k] = 0 for k > i. */
  readonly l: Float64Array;
  readonly rank: number;
  /** perm[i] = original index of pivot row i. */
  readonly perm: Int32Array;
  /** Largest remaining diagonal of the Schur complement when the factorization stopped. */
  readonly residual: number;
  /** Most negative remaining diagonal (≤ 0 for PSD inputs up to rounding). */
  readonly minResidual: number;
}

/**
 * Cholesky with complete (diagonal) pivoting of a symmetric PSD `[n, n]` matrix `a`, stopped when
 * the largest remaining pivot falls to `tol` (absolute). Rank-revealing: for a covariance of
 * m < n samples the rank is m − 1 and the work is O(n·rank²).
 */
export function pivotedCholesky(a: Float64Array, n: number, tol: number): PivotedCholesky {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i]!;
  // Columns are appended as they are computed: L rows stored with stride n (at most n columns).
  const l = new Float64Array(n * n);
  let rank = 0;
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let i = k + 1; i < n; i++) if (diag[i]! > diag[best]!) best = i;
    if (!(diag[best]! > tol)) break;
    if (best !== k) {
      [perm[k], perm[best]] = [perm[best]!, perm[k]!];
      [diag[k], diag[best]] = [diag[best]!, diag[k]!];
      // swap rows k and best of the computed columns 0..k-1
      const rk = k * n;
      const rb = best * n;
      for (let m = 0; m < k; m++) {
        const t = l[rk + m]!;
        l[rk + m] = l[rb + m]!;
        l[rb + m] = t;
      }
    }
    const lkk = Math.sqrt(diag[k]!);
    l[k * n + k] = lkk;
    const pk = perm[k]! * n;
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      let s = a[pk + perm[i]!]!;
      for (let m = 0; m < k; m++) s -= l[ri + m]! * l[rk + m]!;
      const v = s / lkk;
      l[ri + k] = v;
      diag[i] = diag[i]! - v * v;
    }
    rank = k + 1;
  }
  let residual = 0;
  let minResidual = 0;
  for (let i = rank; i < n; i++) {
    residual = Math.max(residual, diag[i]!);
    minResidual = Math.min(minResidual, diag[i]!);
  }
  // compact to [n, rank]
  const out = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) {
    const lim = Math.min(i + 1, rank);
    for (let m = 0; m < lim; m++) out[i * rank + m] = l[i * n + m]!;
  }
  return { l: out, rank, perm, residual, minResidual };
}

/**
 * M = Lᵀ (P S Pᵀ) L for a symmetric `[n, n]` `s`, the pivot permutation P and the lower
 * trapezoidal `[n, r]` L of {@link pivotedCholesky}. Returns the full symmetric `[r, r]` M.
 * Exploits the triangular structure: ≈ n²r/2 + n r²/2 multiply-adds.
 */
export function congruence(s: Float64Array, n: number, chol: PivotedCholesky): Float64Array {
  const { l, rank: r, perm } = chol;
  // C = (P S Pᵀ) L, [n, r]: C[i, :] = Σ_j S[p_i, p_j] L[j, 0..min(j, r-1)]
  const c = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    const srow = perm[i]! * n;
    const ci = i * r;
    for (let j = 0; j < n; j++) {
      const sij = s[srow + perm[j]!]!;
      if (sij === 0) continue;
      const lim = Math.min(j + 1, r);
      const lj = j * r;
      for (let m = 0; m < lim; m++) c[ci + m] = c[ci + m]! + (sij * l[lj + m]!);
    }
  }
  // M = Lᵀ C (lower triangle, then mirrored): M[a, b] = Σ_{j ≥ a} L[j, a] C[j, b]
  const out = new Float64Array(r * r);
  for (let j = 0; j < n; j++) {
    const lj = j * r;
    const cj = j * r;
    const lim = Math.min(j + 1, r);
    for (let a = 0; a < lim; a++) {
      const lja = l[lj + a]!;
      if (lja === 0) continue;
      const oa = a * r;
      for (let b = 0; b <= a; b++) out[oa + b] = out[oa + b]! + (lja * c[cj + b]!);
    }
  }
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) out[b * r + a] = out[a * r + b]!;
  return out;
}

/**
 * Householder reduction of a symmetric `[n, n]` matrix to tridiagonal form (lower triangle is
 * read; `a` is overwritten). Returns the diagonal `d` and the sub-diagonal `e` (`e[k]` couples
 * k and k + 1). Only the lower triangle of the trailing block is read and updated.
 */
export function tridiagonalize(a: Float64Array, n: number): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    d[k] = a[k * n + k]!;
    const m = n - k - 1; // size of the trailing block, rows k+1..n-1
    const off = k + 1;
    let norm2 = 0;
    for (let i = 0; i < m; i++) {
      const x = a[(off + i) * n + k]!;
      v[i] = x;
      norm2 += x * x;
    }
    const x0 = v[0]!;
    const rest = norm2 - x0 * x0;
    if (rest === 0) {
      e[k] = x0;
      continue;
    }
    const norm = Math.sqrt(norm2);
    const alpha = x0 > 0 ? -norm : norm;
    e[k] = alpha;
    v[0] = x0 - alpha;
    const vtv = rest + v[0]! * v[0]!;
    const tau = 2 / vtv;
    // p = tau · A22 v (lower triangle of the trailing block)
    p.fill(0, 0, m);
    for (let i = 0; i < m; i++) {
      const row = (off + i) * n + off;
      const vi = v[i]!;
      let acc = a[row + i]! * vi;
      for (let j = 0; j < i; j++) {
        const aij = a[row + j]!;
        acc += aij * v[j]!;
        p[j] = p[j]! + (aij * vi);
      }
      p[i] = p[i]! + (acc);
    }
    let ptv = 0;
    for (let i = 0; i < m; i++) {
      p[i] = p[i]! * tau;
      ptv += p[i]! * v[i]!;
    }
    const kk = (tau / 2) * ptv;
    for (let i = 0; i < m; i++) p[i] = p[i]! - kk * v[i]!; // p is now w
    // A22 -= v wᵀ + w vᵀ (lower triangle)
    for (let i = 0; i < m; i++) {
      const row = (off + i) * n + off;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j <= i; j++) a[row + j] = a[row + j]! - (vi * p[j]! + wi * v[j]!);
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
  return { d, e };
}

/**
 * Eigenvalues of a symmetric tridiagonal matrix (diagonal `d`, sub-diagonal `e` with e[n-1] = 0;
 * both are overwritten), by the implicit QL method (JAMA's tql2 without eigenvectors).
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new OTError('NOT_CONVERGED', `the QL eigenvalue iteration did not converge at index ${l} of ${n}`);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return d;
}

/** Eigenvalues (unsorted) of the symmetric `[n, n]` matrix `a` (lower triangle read, `a` overwritten). */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const { d, e } = tridiagonalize(a, n);
  return tridiagonalEigenvalues(d, e);
}
