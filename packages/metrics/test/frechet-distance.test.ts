import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { isOTError } from '@ot/core';
import { loadFixture } from '@ot/test-utils';
import { FeatureStatistics, featureStatistics, frechetDistance } from '../src/index.js';
import { symmetricEigenvalues } from '../src/linalg.js';
import { genFeatures, genLowRankCov, genMean, genNormalish, hash32 } from './generated.js';

interface FrechetCase {
  name: string;
  d: number;
  scipy: number;
  scipyRelError: number;
  eigh: number;
  exact?: number;
  mu1?: number[];
  sigma1?: number[][];
  mu2?: number[];
  sigma2?: number[][];
  features?: { seed1: number; seed2: number; n: number; shift2: number };
  lowrank?: { seed1: number; seed2: number; mean1: number; mean2: number; rank: number };
}
interface Refs {
  frechet: FrechetCase[];
  generator: { check: number[]; hash: number[] };
  stats64: { seed: number; n: number; mu: number[]; sigma: number[][] };
}

const refs = await loadFixture<Refs>(import.meta.url, './fixtures/metrics_refs.json');

function inputs(c: FrechetCase): [Float64Array | number[], Float64Array | number[][], Float64Array | number[], Float64Array | number[][]] {
  if (c.mu1 !== undefined) return [c.mu1, c.sigma1!, c.mu2!, c.sigma2!];
  if (c.lowrank !== undefined) {
    const l = c.lowrank;
    return [genMean(l.mean1, c.d), genLowRankCov(l.seed1, c.d, l.rank), genMean(l.mean2, c.d), genLowRankCov(l.seed2, c.d, l.rank)];
  }
  const f = c.features!;
  const a = featureStatistics(genFeatures(f.seed1, f.n, c.d), c.d);
  const b = featureStatistics(genFeatures(f.seed2, f.n, c.d, 8, f.shift2), c.d);
  return [a.mu, a.sigma, b.mu, b.sigma];
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('the fixture data generator', () => {
  it('reproduces NumPy bit for bit', () => {
    expect(Array.from({ length: 4 }, (_, i) => hash32(i))).toEqual(refs.generator.hash);
    expect(Array.from(genNormalish(7, 5))).toEqual(refs.generator.check);
  });
});

describe('frechetDistance vs SciPy / NumPy', () => {
  for (const c of refs.frechet) {
    it(`${c.name} (d = ${c.d})`, () => {
      const [m1, s1, m2, s2] = inputs(c);
      const v = frechetDistance(m1, s1, m2, s2);
      // exact value for feature statistics: the nuclear norm of Yc Xcᵀ in the data subspace (NumPy SVD)
      if (c.exact !== undefined) expect(relErr(v, c.exact)).toBeLessThan(1e-10);
      // the numpy.linalg.eigh route (√Σ1 Σ2 √Σ1); it picks up ~√ε noise from the null space of singular Σ1
      expect(relErr(v, c.eigh)).toBeLessThan(c.exact === undefined || c.features!.n > c.d ? 1e-10 : 1e-6);
      // pytorch-fid's scipy.linalg.sqrtm route, where SciPy is accurate (its own residual small)
      if (c.scipyRelError < 1e-8) expect(relErr(v, c.scipy)).toBeLessThan(1e-4);
    }, 600_000); // d = 2048 full rank took ≈ 100 s here with 2 cores shared by ~15 busy processes
  }

  it('covers d ∈ {2, 64, 2048} and singular covariances (n < d)', () => {
    const ds = new Set(refs.frechet.map((c) => c.d));
    expect([...ds].sort((a, b) => a - b)).toEqual([2, 64, 2048]);
    expect(refs.frechet.some((c) => c.features !== undefined && c.features.n < c.d && c.d === 2048)).toBe(true);
    expect(refs.frechet.some((c) => c.features !== undefined && c.features.n < c.d && c.d === 64)).toBe(true);
  });

  it('is ≈ 0 between identical statistics and symmetric in its arguments', () => {
    const a = featureStatistics(genFeatures(3, 100, 16), 16);
    const b = featureStatistics(genFeatures(4, 100, 16, 8, 0.2), 16);
    expect(Math.abs(frechetDistance(a.mu, a.sigma, a.mu, a.sigma))).toBeLessThan(1e-9);
    expect(relErr(frechetDistance(a.mu, a.sigma, b.mu, b.sigma), frechetDistance(b.mu, b.sigma, a.mu, a.sigma))).toBeLessThan(1e-10);
  });

  it('equals the closed form for commuting (diagonal) covariances', () => {
    // d² = Σ (μ1 − μ2)² + Σ (√a − √b)²
    const a = [1, 4, 0.25, 0];
    const b = [9, 1, 0.25, 2];
    const diag = (v: number[]): number[][] => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const v = frechetDistance([0, 1, 0, 0], diag(a), [1, 1, 0, 2], diag(b));
    const expected = 1 + 4 + a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i]!)) ** 2, 0);
    expect(v).toBeCloseTo(expected, 12);
  });
});

describe('symmetric eigenvalues', () => {
  it('match ml-matrix EigenvalueDecomposition (assumeSymmetric)', () => {
    const n = 60;
    const z = genNormalish(5, n * n);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = z[i * n + j]!;
    const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
    const mine = Array.from(symmetricEigenvalues(Float64Array.from(a), n)).sort((x, y) => x - y);
    for (let i = 0; i < n; i++) expect(Math.abs(mine[i]! - ref[i]!)).toBeLessThan(1e-11);
  });
});

describe('featureStatistics', () => {
  it('matches numpy mean / cov(rowvar=False) and is independent of the batching', () => {
    const { seed, n, mu, sigma } = refs.stats64;
    const x = genFeatures(seed, n, 64);
    const whole = featureStatistics(x, 64);
    const acc = new FeatureStatistics(64);
    for (const [s, e] of [[0, 1], [1, 130], [130, 131], [131, 400], [400, 500]] as const) acc.update(x.subarray(s * 64, e * 64));
    const streamed = acc.result();
    expect(streamed.count).toBe(500);
    for (let j = 0; j < 64; j++) {
      expect(Math.abs(whole.mu[j]! - mu[j]!)).toBeLessThan(1e-13);
      expect(Math.abs(streamed.mu[j]! - mu[j]!)).toBeLessThan(1e-13);
      for (let k = 0; k < 64; k++) {
        expect(Math.abs(whole.sigma[j * 64 + k]! - sigma[j]![k]!)).toBeLessThan(1e-12);
        expect(Math.abs(streamed.sigma[j * 64 + k]! - sigma[j]![k]!)).toBeLessThan(1e-12);
      }
    }
  });

  it('accepts nested arrays and infers the dimension', () => {
    const s = featureStatistics([[1, 2], [3, 6], [5, 4]]);
    expect(Array.from(s.mu)).toEqual([3, 4]);
    expect(Array.from(s.sigma)).toEqual([4, 2, 2, 4]);
  });
});

describe('bad inputs → OTError', () => {
  const expectCode = (f: () => unknown, code: string): void => {
    try {
      f();
    } catch (e) {
      expect(isOTError(e), String(e)).toBe(true);
      expect((e as { code: string }).code).toBe(code);
      return;
    }
    expect.fail(`expected OTError ${code}`);
  };
  const i2 = [[1, 0], [0, 1]];
  it('mismatched dimensions', () => {
    expectCode(() => frechetDistance([0, 0], i2, [0, 0, 0], i2), 'SHAPE_MISMATCH');
    expectCode(() => frechetDistance([0, 0], i2, [0, 0], [[1]]), 'SHAPE_MISMATCH');
    expectCode(() => new FeatureStatistics(3).update([[1, 2]]), 'SHAPE_MISMATCH');
  });
  it('too few samples', () => {
    expectCode(() => featureStatistics([[1, 2]]), 'EMPTY_INPUT');
    expectCode(() => frechetDistance([], [], [], []), 'EMPTY_INPUT');
  });
  it('NaN features or statistics', () => {
    expectCode(() => featureStatistics([[1, NaN], [0, 1]]), 'NON_FINITE');
    expectCode(() => frechetDistance([0, NaN], i2, [0, 0], i2), 'NON_FINITE');
    expectCode(() => frechetDistance([0, 0], [[1, 0], [0, Infinity]], [0, 0], i2), 'NON_FINITE');
  });
  it('non-symmetric or indefinite covariances, and eps', () => {
    expectCode(() => frechetDistance([0, 0], [[1, 0.5], [0, 1]], [0, 0], i2), 'INVALID_ARGUMENT');
    expectCode(() => frechetDistance([0, 0], [[1, 0], [0, -0.5]], [0, 0], i2), 'NOT_POSITIVE_DEFINITE');
    expectCode(() => frechetDistance([0, 0], i2, [0, 0], i2, { eps: -1 }), 'INVALID_ARGUMENT');
    // a slightly indefinite Σ1 (eigenvalue −2e-6): error without offset, rescued by eps = 1e-5
    const s1 = [[1, 0], [0, -2e-6]];
    expectCode(() => frechetDistance([0, 0], s1, [0, 0], i2, { eps: 0 }), 'NOT_POSITIVE_DEFINITE');
    const v = frechetDistance([0, 0], s1, [0, 0], i2, { eps: 1e-5 });
    // Tr Σ1 + Tr Σ2 − 2 Tr √((Σ1 + εI)(Σ2 + εI)) with the original traces, as pytorch-fid
    const expected = 1 - 2e-6 + 2 - 2 * (Math.sqrt(1 + 1e-5) * Math.sqrt(1 + 1e-5) + Math.sqrt(8e-6 * (1 + 1e-5)));
    expect(v).toBeCloseTo(expected, 12);
  });
});
