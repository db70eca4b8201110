/**
 * wasserstein1d and quantileFunction against POT 0.8.2 (float64 references on float32-exact
 * inputs), gradients against central finite differences and torch float64 autograd.
 *
 * Tolerance: 1e-5 relative on values. The backends compute in float32 (ε ≈ 6e-8); W_p^p is a sum
 * of n + m nonnegative terms, each a difference of cumulative weights (absolute error ≈ 1e-7)
 * times |Δ|^p (relative error ≈ p·ε·|x|/|Δ|), so the accumulated relative error stays a few 1e-6
 * for these well-separated random cases. Gradients: float32 against float64 torch, 1e-4 relative
 * with an absolute floor of 1e-5 × the largest entry; finite differences (h = 1e-3 on float32
 * values ≈ 1, rounding error ≈ 1e-7 / h) to 2e-3 absolute.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, finiteDifferenceGradient, loadFixture, maxRelErr, type W1dCase, type W1dGradCase } from '@ot/test-utils';
import { afterAll, expect, it } from 'vitest';
import { emd1d, quantileFunction, wasserstein1d } from '@ot/core';
import { noteError, printErrors } from './helpers.js';

interface QuantCase {
  qs: number[] | number[][];
  cws: number[] | number[][];
  xs: number[] | number[][];
  value: number[] | number[][];
}

const w1dCases = await loadFixture<W1dCase[]>(import.meta.url, './fixtures/w1d.json');
const quantCases = await loadFixture<QuantCase[]>(import.meta.url, './fixtures/quantile.json');
const gradCases = await loadFixture<W1dGradCase[]>(import.meta.url, './fixtures/w1d_grad.json');

const RTOL = 1e-5;

afterAll(() => printErrors('wasserstein1d'));

describeWithBackends('wasserstein1d vs POT', () => {
  for (const c of w1dCases) {
    it(c.name, async () => {
      const u = tf.tensor(c.u);
      const v = tf.tensor(c.v);
      const opts = { p: c.p, uWeights: c.uWeights, vWeights: c.vWeights };
      await expectNoLeakedTensors(() => {
        const w = wasserstein1d(u, v, opts);
        expect(w.shape).toEqual(Array.isArray(c.value) ? [c.value.length] : []);
        const err = maxRelErr(w, c.value);
        noteError(`w1d ${c.name.replace(/ p=.*/, '')}`, err);
        expect(err).toBeLessThan(RTOL);
        w.dispose();
      });
      tf.dispose([u, v]);
    });
  }

  it('accepts plain arrays and weights given as tensors', () => {
    const c = w1dCases.find((x) => x.name === 'unequal-weighted p=2.0')!;
    const uw = tf.tensor(c.uWeights!);
    const w = wasserstein1d(c.u, c.v, { p: 2, uWeights: uw, vWeights: c.vWeights });
    expect(maxRelErr(w, c.value)).toBeLessThan(RTOL);
    tf.dispose([w, uw]);
  });

  it('is zero between a measure and itself, and symmetric', () => {
    const u = tf.tensor1d([0.3, -1.2, 2.5, 0.3, 7]);
    const v = tf.tensor1d([1, 2, -3]);
    for (const p of [1, 1.5, 2, 3]) {
      const self = wasserstein1d(u, u, { p });
      expect(self.dataSync()[0]).toBeCloseTo(0, 6);
      const a = wasserstein1d(u, v, { p });
      const b = wasserstein1d(v, u, { p });
      expectTensorsClose(a, b, { rtol: 1e-6, atol: 0 });
      tf.dispose([self, a, b]);
    }
    tf.dispose([u, v]);
  });

  it('n = 1 against n = 1: |u − v|^p', () => {
    const w = wasserstein1d([2], [-1.5], { p: 3 });
    expectTensorsClose(w, [3.5 ** 3], { rtol: 1e-6 });
    w.dispose();
  });

  it('zero weights ignore their points (same value as dropping them)', () => {
    const w0 = wasserstein1d([0, 100, 1, 2], [1, 3], { p: 1.5, uWeights: [0.5, 0, 0.25, 0.25] });
    const w1 = wasserstein1d([0, 1, 2], [1, 3], { p: 1.5, uWeights: [0.5, 0.25, 0.25] });
    expectTensorsClose(w0, w1, { rtol: 1e-6 });
    tf.dispose([w0, w1]);
  });

  it('agrees with the cost of the exact 1D plan (emd1d)', () => {
    for (const c of w1dCases.filter((x) => !Array.isArray(x.u[0]))) {
      const w = wasserstein1d(c.u, c.v, { p: c.p, uWeights: c.uWeights, vWeights: c.vWeights });
      const { cost } = emd1d(c.u as number[], c.v as number[], {
        p: c.p,
        uWeights: c.uWeights as number[] | undefined,
        vWeights: c.vWeights as number[] | undefined,
      });
      expect(maxRelErr(w, cost)).toBeLessThan(RTOL);
      w.dispose();
    }
  });
});

describeWithBackends('quantileFunction vs POT', () => {
  quantCases.forEach((c, idx) => {
    it(`case ${idx} (${Array.isArray(c.xs[0]) ? 'batched' : '1D'})`, async () => {
      const [qs, cws, xs] = [tf.tensor(c.qs), tf.tensor(c.cws), tf.tensor(c.xs)];
      await expectNoLeakedTensors(() => {
        const q = quantileFunction(qs, cws, xs);
        const err = maxRelErr(q, c.value);
        noteError('quantile', err);
        // Quantiles are gathered values, so they must match exactly (float32 of the same inputs).
        expect(err).toBe(0);
        q.dispose();
      });
      tf.dispose([qs, cws, xs]);
    });
  });
});

describeWithBackends('wasserstein1d gradients', () => {
  gradCases.forEach((c, idx) => {
    it(`matches torch float64 autograd (case ${idx}, p=${c.p}, n=${c.u.length}, m=${c.v.length}${c.uWeights ? ', weighted' : ''})`, async () => {
      const u = tf.tensor1d(c.u);
      const v = tf.tensor1d(c.v);
      const opts = { p: c.p, uWeights: c.uWeights, vWeights: c.vWeights };
      await expectNoLeakedTensors(() => {
        const g = tf.grad((x: tf.Tensor) => wasserstein1d(x, v, opts))(u);
        const scale = Math.max(...c.grad.map(Math.abs));
        const err = maxRelErr(g, c.grad, 1e-5 * scale);
        noteError('w1d grad vs torch', err);
        expect(err).toBeLessThan(1e-4);
        g.dispose();
      });
      tf.dispose([u, v]);
    });
  });

  const fdCases: { name: string; n: number; m: number; p: number; weighted: boolean; batched?: number }[] = [
    { name: 'equal sizes p=2', n: 6, m: 6, p: 2, weighted: false },
    { name: 'equal sizes p=1.5', n: 5, m: 5, p: 1.5, weighted: false },
    { name: 'unequal weighted p=3', n: 5, m: 7, p: 3, weighted: true },
    { name: 'unequal p=1', n: 4, m: 9, p: 1, weighted: false },
    { name: 'batched unequal p=2', n: 4, m: 5, p: 2, weighted: true, batched: 3 },
  ];
  for (const fc of fdCases) {
    it(`matches central finite differences w.r.t. u and v (${fc.name})`, () => {
      const k = fc.batched;
      const shapeU = k === undefined ? [fc.n] : [fc.n, k];
      const shapeV = k === undefined ? [fc.m] : [fc.m, k];
      // Permuted grids: distinct values ≥ 0.25 apart and no u = v coincidence, so neither the sort
      // order nor the matching changes within ±h (W_p^p is smooth there).
      const N = fc.n * (k ?? 1);
      const M = fc.m * (k ?? 1);
      const u0 = Float64Array.from({ length: N }, (_, i) => ((i * 7) % N) * 0.3 - 1);
      const v0 = Float64Array.from({ length: M }, (_, i) => ((i * 11) % M) * 0.25 - 0.613);
      const wts = (n: number) => {
        const w = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 5));
        const s = w.reduce((a, b) => a + b, 0);
        return w.map((x) => x / s);
      };
      const opts = { p: fc.p, uWeights: fc.weighted ? wts(fc.n) : undefined, vWeights: fc.weighted ? wts(fc.m) : undefined };
      const total = (x: tf.Tensor, y: tf.Tensor) => tf.sum(wasserstein1d(x, y, opts));
      const evalAt = (uu: Float64Array, vv: Float64Array) =>
        tf.tidy(() => total(tf.tensor(Float32Array.from(uu), shapeU), tf.tensor(Float32Array.from(vv), shapeV)).dataSync()[0] as number);
      const fdU = finiteDifferenceGradient((x) => evalAt(x, v0), Float64Array.from(u0), 1e-3);
      const fdV = finiteDifferenceGradient((y) => evalAt(u0, y), Float64Array.from(v0), 1e-3);
      const U = tf.tensor(Float32Array.from(u0), shapeU);
      const V = tf.tensor(Float32Array.from(v0), shapeV);
      const [gu, gv] = tf.grads((x: tf.Tensor, y: tf.Tensor) => total(x, y))([U, V]);
      const eU = Math.max(...flatAbsDiff(gu!.dataSync(), fdU));
      const eV = Math.max(...flatAbsDiff(gv!.dataSync(), fdV));
      noteError('w1d grad vs finite diff (abs)', Math.max(eU, eV));
      expect(eU).toBeLessThan(2e-3);
      expect(eV).toBeLessThan(2e-3);
      tf.dispose([U, V, gu!, gv!]);
    });
  }

  it('gradients with ties, zero weights and n = 1 are finite', () => {
    const cases: [number[], number[], Record<string, unknown>][] = [
      [[1, 1, 2, 2], [1, 1, 2, 2], { p: 2 }],
      [[1, 1, 2], [0, 3], { p: 1.5 }],
      [[0, 5, 1], [2, 3], { p: 2, uWeights: [0.5, 0, 0.5] }],
      [[3], [1, 2, 4], { p: 3 }],
      [[3], [1], { p: 1.5 }],
    ];
    for (const [uu, vv, o] of cases) {
      const u = tf.tensor1d(uu);
      const v = tf.tensor1d(vv);
      const g = tf.grad((x: tf.Tensor) => wasserstein1d(x, v, o))(u);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([u, v, g]);
    }
    // Tied, identical measures: W = 0 is a minimum, so the gradient is 0.
    const u = tf.tensor1d([1, 1, 2, 2]);
    const g = tf.grad((x: tf.Tensor) => wasserstein1d(x, u, { p: 2 }))(u);
    expectTensorsClose(g, [0, 0, 0, 0], { atol: 1e-7 });
    tf.dispose([u, g]);
  });

  it('100 repeated calls with gradients leak no tensors', async () => {
    const u = tf.tensor2d([[0.1, 2], [1.3, -1], [2.2, 0.4], [-0.7, 3]]);
    const v = tf.tensor2d([[0.5, 1], [1.1, 0], [3, 2]]);
    await expectNoLeakedTensors(() => {
      for (let i = 0; i < 100; i++) {
        const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => tf.sum(wasserstein1d(x, y, { p: 1.5, vWeights: [0.2, 0.3, 0.5] })))([u, v]);
        tf.dispose([value, ...grads]);
      }
    });
    tf.dispose([u, v]);
  });
});

function flatAbsDiff(a: Float32Array | Int32Array | Uint8Array, b: Float64Array): number[] {
  return Array.from(b, (bi, i) => Math.abs((a[i] as number) - bi));
}
