/**
 * Small float64 linear algebra on the host, for the Fréchet distance: pivoted Cholesky of a
 * positive semi-definite matrix, the congruence Lᵀ S L, and the eigenvalues of a symmetric matrix
 * (Householder tridiagonalization without accumulating the transforms, then implicit QL with
 * Wilkinson-type shifts, as EISPACK tred1 + tql1 / JAMA). Matrices are row-major `Float64Array`s.
 *
 * These are eigen*values* only: about (2/3)·n³ multiply-adds, 3–5× less work than a full
 * eigendecomposition (ml-matrix's `EigenvalueDecomposition` accumulates eigenvectors), and the
 * dense products are cache-blocked ({@link gemmNT}).
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
    let i = k + 1;
    // two rows at a time, two accumulators each (shares the loads of row k, breaks the add chain)
    for (; i + 1 < n; i += 2) {
      const ri = i * n;
      const ri1 = ri + n;
      let s0 = 0;
      let s1 = 0;
      let t0 = 0;
      let t1 = 0;
      let m = 0;
      for (; m + 1 < k; m += 2) {
        const q0 = l[rk + m]!;
        const q1 = l[rk + m + 1]!;
        s0 += l[ri + m]! * q0;
        s1 += l[ri + m + 1]! * q1;
        t0 += l[ri1 + m]! * q0;
        t1 += l[ri1 + m + 1]! * q1;
      }
      if (m < k) {
        s0 += l[ri + m]! * l[rk + m]!;
        t0 += l[ri1 + m]! * l[rk + m]!;
      }
      const v = (a[pk + perm[i]!]! - (s0 + s1)) / lkk;
      const w = (a[pk + perm[i + 1]!]! - (t0 + t1)) / lkk;
      l[ri + k] = v;
      l[ri1 + k] = w;
      diag[i] = diag[i]! - v * v;
      diag[i + 1] = diag[i + 1]! - w * w;
    }
    for (; i < n; i++) {
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
 * C[n, m] += A[n, k] · B[m, k]ᵀ, all row-major (the shared dimension contiguous in both), blocked
 * for the caches with a 2 × 4 register micro-kernel. `lowerOnly` (square C) skips the blocks
 * entirely above the diagonal (entries above it in diagonal blocks are computed too).
 */
export function gemmNT(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  m: number,
  k: number,
  lowerOnly = false,
  /** A[i][p] = 0 for p < i, or B[j][p] = 0 for p < j: such products are skipped. */
  zeroBefore: 'a' | 'b' | 'none' = 'none',
): void {
  const KB = 256;
  const IB = 64;
  const JB = 64;
  for (let k0 = 0; k0 < k; k0 += KB) {
    const k1 = Math.min(k, k0 + KB);
    for (let i0 = 0; i0 < n; i0 += IB) {
      const i1 = Math.min(n, i0 + IB);
      if (zeroBefore === 'a' && i0 >= k1) continue;
      const jEnd = lowerOnly ? Math.min(m, i1) : m;
      for (let j0 = 0; j0 < jEnd; j0 += JB) {
        const j1 = Math.min(jEnd, j0 + JB);
        if (zeroBefore === 'b' && j0 >= k1) continue;
        let i = i0;
        for (; i + 1 < i1; i += 2) {
          const ai0 = i * k;
          const ai1 = ai0 + k;
          let j = j0;
          for (; j + 3 < j1; j += 4) {
            const pStart = zeroBefore === 'b' ? Math.max(k0, j) : zeroBefore === 'a' ? Math.max(k0, i) : k0;
            const bj0 = j * k;
            const bj1 = bj0 + k;
            const bj2 = bj1 + k;
            const bj3 = bj2 + k;
            let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            for (let p = pStart; p < k1; p++) {
              const x0 = a[ai0 + p]!;
              const x1 = a[ai1 + p]!;
              const y0 = b[bj0 + p]!;
              const y1 = b[bj1 + p]!;
              const y2 = b[bj2 + p]!;
              const y3 = b[bj3 + p]!;
              s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
              s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
            }
            const c0 = i * m + j;
            const c1 = c0 + m;
            c[c0] = c[c0]! + s00; c[c0 + 1] = c[c0 + 1]! + s01; c[c0 + 2] = c[c0 + 2]! + s02; c[c0 + 3] = c[c0 + 3]! + s03;
            c[c1] = c[c1]! + s10; c[c1 + 1] = c[c1 + 1]! + s11; c[c1 + 2] = c[c1 + 2]! + s12; c[c1 + 3] = c[c1 + 3]! + s13;
          }
          for (; j < j1; j++) {
            const bj = j * k;
            let s0 = 0, s1 = 0;
            for (let p = k0; p < k1; p++) {
              const y = b[bj + p]!;
              s0 += a[ai0 + p]! * y;
              s1 += a[ai1 + p]! * y;
            }
            c[i * m + j] = c[i * m + j]! + s0;
            c[(i + 1) * m + j] = c[(i + 1) * m + j]! + s1;
          }
        }
        for (; i < i1; i++) {
          const ai = i * k;
          for (let j = j0; j < j1; j++) {
            const bj = j * k;
            let s = 0;
            for (let p = k0; p < k1; p++) s += a[ai + p]! * b[bj + p]!;
            c[i * m + j] = c[i * m + j]! + s;
          }
        }
      }
    }
  }
}

/**
 * M = Lᵀ (P S Pᵀ) L for a symmetric `[n, n]` `s`, the pivot permutation P and the lower
 * trapezoidal `[n, r]` L of {@link pivotedCholesky}. Returns the full symmetric `[r, r]` M.
 * Two blocked products skipping the zeros of L (≈ n²r/2 + n r²/3 multiply-adds).
 */
export function congruence(s: Float64Array, n: number, chol: PivotedCholesky): Float64Array {
  const { l, rank: r, perm } = chol;
  const sp = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const src = perm[i]! * n;
    const dst = i * n;
    for (let j = 0; j < n; j++) sp[dst + j] = s[src + perm[j]!]!;
  }
  const lt = new Float64Array(r * n); // Lᵀ, [r, n]
  for (let j = 0; j < n; j++) for (let m = 0; m < r; m++) lt[m * n + j] = l[j * r + m]!;
  const g = new Float64Array(n * r); // S' L, [n, r]
  gemmNT(sp, lt, g, n, r, n, false, 'b');
  const gt = new Float64Array(r * n);
  for (let i = 0; i < n; i++) for (let m = 0; m < r; m++) gt[m * n + i] = g[i * r + m]!;
  const out = new Float64Array(r * r);
  gemmNT(lt, gt, out, r, r, n, true, 'a');
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) out[b * r + a] = out[a * r + b]!;
  return out;
}

/**
 * Householder reduction of a symmetric `[n, n]` matrix to tridiagonal form (lower triangle is
 * read; `a` is overwritten). Returns the diagonal `d` and the sub-diagonal `e` (`e[k]` couples
 * k and k + 1). The rank-2 update of step k is fused with the matrix–vector product of step
 * k + 1, so each step streams the trailing lower triangle once.
 */
export function tridiagonalize(a: Float64Array, n: number): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  let vp = new Float64Array(n); // pending reflector update A -= vp wpᵀ + wp vpᵀ (absolute indices)
  let wp = new Float64Array(n);
  let vc = new Float64Array(n);
  let pc = new Float64Array(n);
  let pending = false;
  for (let k = 0; k < n - 2; k++) {
    if (pending) {
      const vk = vp[k]!;
      const wk = wp[k]!;
      for (let i = k; i < n; i++) a[i * n + k] = a[i * n + k]! - (vp[i]! * wk + wp[i]! * vk);
    }
    d[k] = a[k * n + k]!;
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) {
      const x = a[i * n + k]!;
      vc[i] = x;
      norm2 += x * x;
    }
    const x0 = vc[k + 1]!;
    const rest = norm2 - x0 * x0;
    if (rest === 0) {
      e[k] = x0;
      if (pending) {
        for (let i = k + 1; i < n; i++) {
          const row = i * n;
          const pvi = vp[i]!;
          const pwi = wp[i]!;
          for (let j = k + 1; j <= i; j++) a[row + j] = a[row + j]! - (pvi * wp[j]! + pwi * vp[j]!);
        }
      }
      pending = false;
      continue;
    }
    const norm = Math.sqrt(norm2);
    const alpha = x0 > 0 ? -norm : norm;
    e[k] = alpha;
    vc[k + 1] = x0 - alpha;
    const tau = 2 / (rest + vc[k + 1]! * vc[k + 1]!);
    pc.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = vc[i]!;
      let acc = 0;
      if (pending) {
        const pvi = vp[i]!;
        const pwi = wp[i]!;
        for (let j = k + 1; j < i; j++) {
          const aij = a[row + j]! - (pvi * wp[j]! + pwi * vp[j]!);
          a[row + j] = aij;
          acc += aij * vc[j]!;
          pc[j] = pc[j]! + aij * vi;
        }
        const aii = a[row + i]! - 2 * pvi * pwi;
        a[row + i] = aii;
        acc += aii * vi;
      } else {
        for (let j = k + 1; j < i; j++) {
          const aij = a[row + j]!;
          acc += aij * vc[j]!;
          pc[j] = pc[j]! + aij * vi;
        }
        acc += a[row + i]! * vi;
      }
      pc[i] = pc[i]! + acc;
    }
    let ptv = 0;
    for (let i = k + 1; i < n; i++) {
      pc[i] = pc[i]! * tau;
      ptv += pc[i]! * vc[i]!;
    }
    const kk = (tau / 2) * ptv;
    for (let i = k + 1; i < n; i++) pc[i] = pc[i]! - kk * vc[i]!;
    [vp, vc] = [vc, vp];
    [wp, pc] = [pc, wp];
    pending = true;
  }
  if (pending) {
    for (let i = Math.max(n - 2, 0); i < n; i++) {
      for (let j = Math.max(n - 2, 0); j <= i; j++) a[i * n + j] = a[i * n + j]! - (vp[i]! * wp[j]! + wp[i]! * vp[j]!);
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
