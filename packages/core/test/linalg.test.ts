/**
 * Symmetric eigendecomposition, sqrtm / inverseSqrtm against SciPy (scipy.linalg.sqrtm on SPD
 * matrices with condition numbers 1e0..1e6), and the Gaussian closed forms against SciPy-built
 * references.
 *
 * Tolerances: the float64 routines are compared in relative Frobenius norm. For √S the expected
 * error is ≈ ε·√κ (the eigensolver is backward stable; see linalg.ts), so 1e-13·√κ bounds both our
 * error and SciPy's; S^{−½} loses ≈ ε·κ^{3/2}, bounded by 1e-13·κ^{3/2}. The float32 tensor outputs
 * are compared to 1e-6 relative to the largest entry (one float32 rounding of a float64 result).
 * Gaussian W2² and maps: 1e-12·κ relative (float64 on both sides).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture } from '@ot/test-utils';
import { afterAll, expect, it } from 'vitest';
import {
  gaussianMap,
  gaussianW2,
  inverseSqrtm,
  inverseSqrtmF64,
  matmulF64,
  sqrtm,
  sqrtmF64,
  symmetricEigen,
  type Float64Matrix,
} from '@ot/core';
import { noteError, printErrors } from './helpers.js';

interface SqrtmCase {
  d: number;
  cond: number;
  S: number[][];
  sqrtm: number[][];
  inverseSqrtm: number[][];
  eigenvalues: number[];
  scipyResidual: number;
}
interface GaussCase {
  d: number;
  m1: number[];
  S1: number[][];
  m2: number[];
  S2: number[][];
  w2sq: number;
  A: number[][];
  b: number[];
}

const sqrtmCases = await loadFixture<SqrtmCase[]>(import.meta.url, './fixtures/sqrtm.json');
const gaussCases = await loadFixture<GaussCase[]>(import.meta.url, './fixtures/gaussian.json');

function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) ** 2;
  return Math.sqrt(s);
}
/** ‖a − b‖_F / ‖b‖_F */
function relFrob(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Array.from(b, (bi, i) => (a[i] as number) - bi);
  return frob(d) / frob(b);
}
const flat2 = (m: number[][]) => m.flat();
function toF64(m: number[][]): Float64Matrix {
  return { rows: m.length, cols: m[0]!.length, data: Float64Array.from(m.flat()) };
}
function condOf(S: number[][]): number {
  const { values } = symmetricEigen(S);
  return (values[values.length - 1] as number) / (values[0] as number);
}

/** Measured accuracy per condition number, printed for the README. */
const table: string[] = [];
afterAll(() => {
  printErrors('linalg');
  if (table.length > 0) console.log(`sqrtm accuracy (d, κ, ‖R − R_scipy‖/‖R_scipy‖, ours ‖R² − S‖/‖S‖, scipy ‖R² − S‖/‖S‖, S^{-½} vs inv(scipy)):\n${[...new Set(table)].join('\n')}`);
});

describeWithBackends('symmetricEigen', () => {
  it('reconstructs S, orthonormal vectors, eigenvalues match numpy.linalg.eigvalsh', () => {
    for (const c of sqrtmCases) {
      const { values, vectors } = symmetricEigen(c.S);
      const d = c.d;
      const top = Math.max(...c.eigenvalues.map(Math.abs));
      let errVal = 0;
      for (let k = 0; k < d; k++) errVal = Math.max(errVal, Math.abs((values[k] as number) - (c.eigenvalues[k] as number)) / top);
      noteError('eigenvalues (rel. to max|λ|)', errVal);
      expect(errVal).toBeLessThan(1e-13);
      const V = vectors;
      const VtV = matmulF64({ rows: d, cols: d, data: transpose(V.data, d) }, V);
      const I = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
      expect(Math.max(...Array.from(VtV.data, (x, k) => Math.abs(x - (I[k] as number))))).toBeLessThan(1e-13);
      const L = { rows: d, cols: d, data: Float64Array.from(V.data, (x, k) => x * (values[k % d] as number)) };
      const rec = matmulF64(L, { rows: d, cols: d, data: transpose(V.data, d) });
      expect(relFrob(rec.data, flat2(c.S))).toBeLessThan(1e-14 * d);
    }
  });

  it('takes a float32 tensor and returns ascending eigenvalues', async () => {
    const S = tf.tensor2d([[2, 1], [1, 2]]);
    await expectNoLeakedTensors(() => {
      const { values } = symmetricEigen(S);
      expect(Array.from(values)).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    });
    S.dispose();
  });
});

describeWithBackends('sqrtm vs scipy.linalg.sqrtm', () => {
  for (const c of sqrtmCases) {
    it(`d=${c.d}, κ=${c.cond.toExponential(0)}`, async () => {
      const kappa = c.cond;
      const R = sqrtmF64(c.S);
      const errR = relFrob(R.data, flat2(c.sqrtm));
      const RR = matmulF64(R, R);
      const resid = relFrob(RR.data, flat2(c.S));
      noteError(`sqrtm F64 κ=${kappa.toExponential(0)}`, errR);
      expect(errR).toBeLessThan(1e-13 * Math.sqrt(kappa) + 1e-14);
      expect(resid).toBeLessThan(1e-13 * Math.sqrt(kappa) + 1e-14);
      const Ri = inverseSqrtmF64(c.S);
      const errRi = relFrob(Ri.data, flat2(c.inverseSqrtm));
      noteError(`inverseSqrtm F64 κ=${kappa.toExponential(0)}`, errRi);
      expect(errRi).toBeLessThan(1e-13 * kappa ** 1.5 + 1e-14);
      table.push(`  ${c.d} | ${kappa.toExponential(0)} | ${errR.toExponential(1)} | ${resid.toExponential(1)} | ${c.scipyResidual.toExponential(1)} | ${errRi.toExponential(1)}`);

      const S = tf.tensor2d(c.S);
      await expectNoLeakedTensors(() => {
        const Rt = sqrtm(S);
        const scale = Math.max(...flat2(c.sqrtm).map(Math.abs));
        expectTensorsClose(Rt, c.sqrtm, { rtol: 0, atol: 1e-6 * scale });
        const Rit = inverseSqrtm(S);
        const scaleI = Math.max(...flat2(c.inverseSqrtm).map(Math.abs));
        expectTensorsClose(Rit, c.inverseSqrtm, { rtol: 0, atol: 1e-6 * scaleI + 1e-13 * kappa ** 1.5 * scaleI });
        tf.dispose([Rt, Rit]);
      });
      S.dispose();
    });
  }

  it('accepts Float64Matrix input and clamps tiny negative eigenvalues of a PSD matrix', () => {
    // Rank-1 PSD matrix vvᵀ: eigenvalues 0 (up to rounding, possibly −1e-17) and ‖v‖².
    const v = [1, 2, 3];
    const P = toF64(v.map((a) => v.map((b) => a * b)));
    const R = sqrtmF64(P);
    // √(vvᵀ) = vvᵀ / ‖v‖
    const n = Math.hypot(...v);
    const expected = v.flatMap((a) => v.map((b) => (a * b) / n));
    expect(relFrob(R.data, expected)).toBeLessThan(1e-14);
  });
});

describeWithBackends('Gaussian W2 and Bures map', () => {
  for (const c of gaussCases) {
    it(`d=${c.d}`, async () => {
      const kappa = c.d === 1 ? 1 : Math.max(condOf(c.S1), condOf(c.S2));
      await expectNoLeakedTensors(() => {
        const w = gaussianW2(c.m1, c.S1, c.m2, c.S2);
        const errW = Math.abs(w - c.w2sq) / c.w2sq;
        noteError('gaussianW2', errW);
        expect(errW).toBeLessThan(1e-12 * kappa);
        const T = gaussianMap(c.m1, c.S1, c.m2, c.S2);
        const errA = relFrob(T.A.data, flat2(c.A));
        const errB = relFrob(T.b, c.b);
        noteError('gaussianMap A', errA);
        noteError('gaussianMap b', errB);
        expect(errA).toBeLessThan(1e-12 * kappa);
        expect(errB).toBeLessThan(1e-12 * kappa);
        // T pushes N(m1, S1) to N(m2, S2): A S1 A = S2.
        const ASA = matmulF64(matmulF64(T.A, toF64(c.S1)), T.A);
        expect(relFrob(ASA.data, flat2(c.S2))).toBeLessThan(1e-12 * kappa);
        // W2² = E‖T(x) − x‖² = ‖m2 − m1‖² + tr((A − I) S1 (A − I)).
        const d = c.d;
        const AmI = { rows: d, cols: d, data: Float64Array.from(T.A.data, (x, k) => x - (k % (d + 1) === 0 ? 1 : 0)) };
        const Q = matmulF64(matmulF64(AmI, toF64(c.S1)), AmI);
        let tr = 0;
        for (let i = 0; i < d; i++) tr += Q.data[i * d + i] as number;
        const mean = c.m1.reduce((s, x, i) => s + (x - (c.m2[i] as number)) ** 2, 0);
        expect(Math.abs(mean + tr - w) / w).toBeLessThan(1e-12 * kappa);
      });
    });
  }

  it('apply maps rows as A x + b (float32, differentiable) and leaks nothing', async () => {
    const c = gaussCases.find((g) => g.d === 5)!;
    const T = gaussianMap(c.m1, c.S1, c.m2, c.S2);
    const x = tf.tensor2d([c.m1, c.m1.map((v, i) => v + i - 2)]);
    await expectNoLeakedTensors(() => {
      const y = T.apply(x);
      // T(m1) = m2
      const [y0, y1] = tf.tidy(() => [tf.slice(y, [0, 0], [1, 5]), tf.slice(y, [1, 0], [1, 5])]);
      expectTensorsClose(y0!, [c.m2], { rtol: 1e-5, atol: 1e-5 });
      const xs = x.arraySync()[1]!;
      const expected = c.b.map((bi, i) => bi + xs.reduce((s, xj, j) => s + (T.A.data[i * 5 + j] as number) * xj, 0));
      expectTensorsClose(y1!, [expected], { rtol: 1e-5, atol: 1e-5 });
      const g = tf.grad((z: tf.Tensor) => tf.sum(T.apply(z)))(x);
      // d/dx Σ_i (A x + b)_i = column sums of A = row sums (A symmetric)
      const rowSums = Array.from({ length: 5 }, (_, j) => Array.from({ length: 5 }, (_, i) => T.A.data[i * 5 + j] as number).reduce((s, v) => s + v, 0));
      expectTensorsClose(g, [rowSums, rowSums], { rtol: 1e-5, atol: 1e-5 });
      tf.dispose([y, y0!, y1!, g]);
    });
    x.dispose();
  });

  it('closed forms in 1D and for equal Gaussians', () => {
    // W2² in 1D: (m1 − m2)² + (σ1 − σ2)²
    expect(gaussianW2([1], [[4]], [3], [[9]])).toBeCloseTo(4 + 1, 12);
    // Commuting covariances: W2² = ‖m1 − m2‖² + Σ (√a_i − √b_i)², also for a singular (degenerate) S1.
    expect(gaussianW2([0, 0], [[1, 0], [0, 0]], [1, 0], [[4, 0], [0, 1]])).toBeCloseTo(1 + 1 + 1, 12);
    const S = [[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 3]];
    expect(gaussianW2([0, 1, 2], S, [0, 1, 2], S)).toBeLessThan(1e-12);
    const T = gaussianMap([0, 1, 2], S, [0, 1, 2], S);
    expect(relFrob(T.A.data, [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThan(1e-12);
    // Tensor inputs give the same result (float32-exact values).
    const m = tf.tensor1d([0.5, -1]);
    const C = tf.tensor2d([[2, 0.5], [0.5, 1]]);
    expect(gaussianW2(m, C, [0, 0], [[1, 0], [0, 1]])).toBeCloseTo(gaussianW2([0.5, -1], [[2, 0.5], [0.5, 1]], [0, 0], [[1, 0], [0, 1]]), 12);
    tf.dispose([m, C]);
  });
});

function transpose(a: Float64Array, d: number): Float64Array {
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = a[i * d + j] as number;
  return t;
}
