import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture, type SlicedRefs } from '@ot/test-utils';
import { beforeAll, expect, it } from 'vitest';
import { generalizedSlicedWasserstein, maxGeneralizedSlicedWasserstein, maxSlicedWasserstein, slicedWasserstein } from '../src/index.js';
import { dirsOf, scalar, shiftedGaussians } from './helpers.js';

let refs: SlicedRefs;
beforeAll(async () => {
  refs = await loadFixture<SlicedRefs>(import.meta.url, './fixtures/sliced_refs.json');
});

describeWithBackends('generalized sliced Wasserstein', () => {
  it('circular and polynomial GSW match the direct NumPy reference', () => {
    expect(refs.gsw.length).toBe(5);
    for (const c of refs.gsw) {
      const r = generalizedSlicedWasserstein(tf.tensor2d(c.X), tf.tensor2d(c.Y), {
        kind: c.kind,
        degree: c.degree,
        radius: c.radius,
        p: c.p,
        projections: dirsOf(c.P),
        returnDetails: true,
      });
      const v = scalar(r.value);
      expect(Math.abs(v - c.value) / c.value, `${c.kind} degree ${c.degree} p ${c.p}`).toBeLessThan(2e-5);
      expectTensorsClose(r.projectedCosts, c.costs, { rtol: 1e-4, atol: 1e-6 });
      tf.dispose([r.value, r.projectedCosts, r.directions]);
    }
  });

  it('the linear defining function is SW; polynomial of degree 1 too', () => {
    const [X, Y] = shiftedGaussians(30, 3, 0, 1, 5);
    const sw = slicedWasserstein(X, Y, { nProjections: 20, seed: 4 });
    const gsw = generalizedSlicedWasserstein(X, Y, { kind: 'linear', nProjections: 20, seed: 4 });
    const poly1 = generalizedSlicedWasserstein(X, Y, { kind: 'polynomial', degree: 1, nProjections: 20, seed: 4 });
    expect(scalar(gsw)).toBeCloseTo(scalar(sw), 5);
    expect(scalar(poly1)).toBeCloseTo(scalar(sw), 5);
    tf.dispose([X, Y, sw, gsw, poly1]);
  });

  it('is differentiable w.r.t. X (circular, finite differences)', () => {
    const [X, Y] = shiftedGaussians(7, 2, 0, 1, 9);
    const P = tf.tidy(() => {
      const g = tf.randomNormal([2, 4], 0, 1, 'float32', 3);
      return tf.div(g, tf.norm(g, 'euclidean', 0, true));
    });
    const f = (x: tf.Tensor) => generalizedSlicedWasserstein(x, Y, { kind: 'circular', radius: 2, projections: P });
    const g = tf.grad(f)(X);
    const base = Array.from(X.dataSync());
    const h = 2e-3;
    const fd = base.map((_, i) => {
      const plus = base.slice();
      const minus = base.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      return tf.tidy(() => (scalar(f(tf.tensor2d(plus, [7, 2]))) - scalar(f(tf.tensor2d(minus, [7, 2])))) / (2 * h));
    });
    expectTensorsClose(g, fd, { rtol: 3e-2, atol: 3e-3 });
    tf.dispose([X, Y, P, g]);
  });

  it('max-GSW ascent from the best sampled direction only increases: ≥ max over samples ≥ GSW', () => {
    const [X, Y] = shiftedGaussians(100, 2, 1, 2, 13);
    for (const kind of ['circular', 'polynomial'] as const) {
      const gsw = generalizedSlicedWasserstein(X, Y, { kind, nProjections: 50, seed: 1, returnDetails: true });
      const costs = Array.from(gsw.projectedCosts.dataSync());
      const best = costs.indexOf(Math.max(...costs));
      const q = gsw.directions.shape[0];
      const init = tf.reshape(tf.slice(gsw.directions, [0, best], [q, 1]), [q]);
      const max = maxGeneralizedSlicedWasserstein(X, Y, { kind, iterations: 60, lr: 0.02, seed: 2, init });
      expect(scalar(max.value), kind).toBeGreaterThanOrEqual(Math.sqrt(costs[best] as number) * (1 - 1e-4));
      expect(scalar(max.value), kind).toBeGreaterThan(scalar(gsw.value));
      expect(max.direction.shape).toEqual([q]);
      tf.dispose([gsw.value, gsw.projectedCosts, gsw.directions, init, max.value, max.direction]);
    }
    const lin = maxGeneralizedSlicedWasserstein(X, Y, { kind: 'linear', iterations: 40, lr: 0.05, seed: 3 });
    const msw = maxSlicedWasserstein(X, Y, { iterations: 40, lr: 0.05, seed: 3 });
    expect(scalar(lin.value)).toBeCloseTo(scalar(msw.value), 5);
    tf.dispose([X, Y, lin.value, lin.direction, msw.value, msw.direction]);
  });

  it('leaks no tensors across 100 calls', async () => {
    const [X, Y] = shiftedGaussians(10, 2, 0, 1, 17);
    await expectNoLeakedTensors(() => {
      for (let i = 0; i < 100; i++) {
        const kind = i % 2 === 0 ? 'circular' : 'polynomial';
        if (i % 3 === 0) {
          const r = maxGeneralizedSlicedWasserstein(X, Y, { kind, iterations: 2, seed: i });
          tf.dispose([r.value, r.direction]);
        } else if (i % 3 === 1) generalizedSlicedWasserstein(X, Y, { kind, nProjections: 5, seed: i }).dispose();
        else tf.grad((x: tf.Tensor) => generalizedSlicedWasserstein(x, Y, { kind, nProjections: 5, seed: i }))(X).dispose();
      }
    });
    tf.dispose([X, Y]);
  });
});
