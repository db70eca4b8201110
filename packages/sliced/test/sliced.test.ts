import * as tf from '@tensorflow/tfjs-core';
import { wasserstein1d } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture, type SlicedRefs } from '@ot/test-utils';
import { beforeAll, expect, it } from 'vitest';
import { slicedWasserstein } from '../src/index.js';
import { dirsOf, scalar } from './helpers.js';

let refs: SlicedRefs;
beforeAll(async () => {
  refs = await loadFixture<SlicedRefs>(import.meta.url, './fixtures/sliced_refs.json');
});

describeWithBackends('slicedWasserstein', () => {
  it('matches POT ot.sliced_wasserstein_distance (p = 1, 2, 3; n = m and n ≠ m; uniform and weighted)', () => {
    expect(refs.sw.length).toBe(12);
    let worst = 0;
    for (const c of refs.sw) {
      const res = tf.tidy(() => {
        const r = slicedWasserstein(tf.tensor2d(c.X), tf.tensor2d(c.Y), {
          p: c.p,
          projections: dirsOf(c.P),
          ...(c.a !== null ? { a: tf.tensor1d(c.a) } : {}),
          ...(c.b !== null ? { b: tf.tensor1d(c.b) } : {}),
          returnDetails: true,
        });
        return [r.value, r.projectedCosts];
      });
      const v = scalar(res[0] as tf.Tensor);
      worst = Math.max(worst, Math.abs(v - c.value) / c.value);
      expect(Math.abs(v - c.value) / c.value, `p=${c.p} n=${c.n} m=${c.m} weighted=${c.weighted}`).toBeLessThan(1e-5);
      expectTensorsClose(res[1] as tf.Tensor, c.costs, { rtol: 2e-5, atol: 1e-6 });
      tf.dispose(res);
    }
    console.log(`worst relative difference to POT ${refs.pot_version}: ${worst.toExponential(2)}`);
  });

  it('gradient w.r.t. X matches torch float64', () => {
    const g = refs.sw_grad;
    const Y = tf.tensor2d(g.Y);
    const P = dirsOf(g.P);
    const grad = tf.grad((x: tf.Tensor) => slicedWasserstein(x, Y, { projections: P }))(tf.tensor2d(g.X));
    const scale = Math.max(...g.grad.flat().map(Math.abs));
    expectTensorsClose(grad, g.grad, { rtol: 0, atol: 4e-4 * scale });
    tf.dispose([Y, P, grad]);
  });

  it('is differentiable w.r.t. Y with n ≠ m and weights (finite differences)', () => {
    const X = tf.randomNormal([9, 2], 0, 1, 'float32', 3) as tf.Tensor2D;
    const Y0 = tf.randomNormal([7, 2], 1, 1, 'float32', 4) as tf.Tensor2D;
    const a = tf.tensor1d([0.05, 0.1, 0.1, 0.15, 0.1, 0.1, 0.2, 0.1, 0.1]);
    const P = tf.tidy(() => {
      const g = tf.randomNormal([2, 5], 0, 1, 'float32', 5);
      return tf.div(g, tf.norm(g, 'euclidean', 0, true)) as tf.Tensor2D;
    });
    const f = (y: tf.Tensor) => slicedWasserstein(X, y, { p: 2, projections: P, a });
    const grad = tf.grad(f)(Y0);
    const y = Array.from(Y0.dataSync());
    const h = 1e-2;
    const fd = y.map((_, i) => {
      const plus = y.slice();
      const minus = y.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      return tf.tidy(() => (scalar(f(tf.tensor2d(plus, [7, 2]))) - scalar(f(tf.tensor2d(minus, [7, 2])))) / (2 * h));
    });
    expectTensorsClose(grad, fd, { rtol: 2e-2, atol: 2e-3 });
    tf.dispose([X, Y0, a, P, grad]);
  });

  it('one direction equals the 1D solver on the projections', () => {
    const [X, Y] = [tf.randomNormal([30, 3], 0, 1, 'float32', 1) as tf.Tensor2D, tf.randomNormal([25, 3], 2, 1, 'float32', 2) as tf.Tensor2D];
    const theta = tf.tensor2d([[0.6], [0], [0.8]]);
    const sw = slicedWasserstein(X, Y, { p: 3, projections: theta });
    const w = tf.tidy(() => tf.pow(wasserstein1d(tf.reshape(tf.matMul(X, theta), [30]), tf.reshape(tf.matMul(Y, theta), [25]), { p: 3 }), 1 / 3));
    expect(scalar(sw)).toBeCloseTo(scalar(w), 5);
    tf.dispose([X, Y, theta, sw, w]);
  });

  it('random and orthogonal directions: seeded, unit, details', () => {
    const X = tf.randomNormal([40, 5], 0, 1, 'float32', 1);
    const Y = tf.randomNormal([40, 5], 0.5, 1, 'float32', 2);
    const r1 = slicedWasserstein(X, Y, { nProjections: 12, seed: 7, returnDetails: true });
    const r2 = slicedWasserstein(X, Y, { nProjections: 12, seed: 7 });
    expect(scalar(r1.value)).toBe(scalar(r2));
    expect(r1.directions.shape).toEqual([5, 12]);
    expect(r1.projectedCosts.shape).toEqual([12]);
    expectTensorsClose(tf.norm(r1.directions, 'euclidean', 0), new Array(12).fill(1), { atol: 1e-5 });
    const o = slicedWasserstein(X, Y, { nProjections: 10, orthogonal: true, seed: 3, returnDetails: true });
    // The first block of 5 directions is an orthonormal basis.
    const block = tf.slice(o.directions, [0, 0], [5, 5]);
    expectTensorsClose(tf.matMul(block, block, true, false), tf.eye(5), { atol: 1e-5 });
    // Mean of projected costs, then p-th root.
    expect(scalar(o.value)).toBeCloseTo(Math.sqrt(scalar(tf.mean(o.projectedCosts))), 5);
    tf.dispose([X, Y, r1.value, r1.directions, r1.projectedCosts, r2, o.value, o.directions, o.projectedCosts]);
  });

  it('leaks no tensors across 100 calls (value, details and gradient)', async () => {
    const X = tf.randomNormal([16, 3], 0, 1, 'float32', 1);
    const Y = tf.randomNormal([12, 3], 0, 1, 'float32', 2);
    const b = tf.fill([12], 1 / 12);
    await expectNoLeakedTensors(() => {
      for (let i = 0; i < 100; i++) {
        const mode = i % 3;
        if (mode === 0) slicedWasserstein(X, Y, { nProjections: 8, seed: i }).dispose();
        else if (mode === 1) {
          const r = slicedWasserstein(X, Y, { nProjections: 8, seed: i, b, returnDetails: true });
          tf.dispose([r.value, r.projectedCosts, r.directions]);
        } else tf.grad((x: tf.Tensor) => slicedWasserstein(x, Y, { nProjections: 8, seed: i }))(X).dispose();
      }
    });
    tf.dispose([X, Y, b]);
  });
});
