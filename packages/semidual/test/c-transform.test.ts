import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, finiteDifferenceGradient } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { SemiDualTarget, cTransform } from '../src/index.js';
import { refs } from './fixture.js';

const ct = refs.ctransform;

describeWithBackends('cTransform', () => {
  for (const c of ct.cases) {
    it(`matches POT's c_transform_entropic at λ = ${c.lambda} (1e-4 relative)`, () => {
      const v = cTransform(ct.psi, ct.X, ct.Y, { lambda: c.lambda, nu: ct.nu });
      expect(v.shape).toEqual([ct.X.length]);
      expectTensorsClose(v, c.values, { rtol: 1e-4, atol: 1e-5 });
      v.dispose();
    });

    it(`normalized quadratic cost (‖x − y‖² / mean ‖y‖²) at λ = ${c.lambda}`, () => {
      const v = cTransform(ct.psi, ct.X, ct.Y, { lambda: c.lambda, nu: ct.nu, cost: 'normalized-sqeuclidean' });
      expectTensorsClose(v, c.normalizedValues, { rtol: 1e-4, atol: 1e-5 });
      const target = new SemiDualTarget(ct.Y, { nu: ct.nu, cost: 'normalized-sqeuclidean' });
      expect(target.costScale).toBeCloseTo(ct.costScale, 5);
      target.dispose();
      v.dispose();
    });

    it(`gradients w.r.t. X and ψ match torch float64 autograd at λ = ${c.lambda}`, () => {
      const w = tf.tensor1d(ct.w);
      const X = tf.tensor2d(ct.X);
      const psi = tf.tensor1d(ct.psi);
      const g = tf.grads((x: tf.Tensor, p: tf.Tensor) =>
        tf.sum(tf.mul(cTransform(p, x, ct.Y, { lambda: c.lambda, nu: ct.nu, validate: 'shapes' }), w)),
      );
      const [gx, gp] = g([X, psi]) as [tf.Tensor, tf.Tensor];
      const small = c.lambda > 0 && c.lambda < 1e-2;
      expectTensorsClose(gx, c.gradX, { rtol: small ? 1e-3 : 1e-4, atol: small ? 1e-3 : 1e-4 });
      expectTensorsClose(gp, c.gradPsi, { rtol: small ? 1e-3 : 1e-4, atol: small ? 1e-3 : 1e-4 });
      tf.dispose([w, X, psi, gx, gp]);
    });
  }

  it('does not depend on the chunking of Y (online logsumexp)', () => {
    const ref = cTransform(ct.psi, ct.X, ct.Y, { lambda: 0.1, nu: ct.nu });
    for (const chunkSize of [1, 4, 6, 100]) {
      const v = cTransform(ct.psi, ct.X, ct.Y, { lambda: 0.1, nu: ct.nu, chunkSize });
      expectTensorsClose(v, ref, { rtol: 1e-5, atol: 1e-6 });
      const h = cTransform(ct.psi, ct.X, ct.Y, { lambda: 0, nu: ct.nu, chunkSize });
      expectTensorsClose(h, refs.ctransform.cases.find((k) => k.lambda === 0)!.values, { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([v, h]);
    }
    ref.dispose();
  });

  it('chunked gradients equal unchunked ones', () => {
    const X = tf.tensor2d(ct.X);
    const grad = (chunkSize: number) =>
      tf.grad((x: tf.Tensor) => tf.sum(cTransform(ct.psi, x, ct.Y, { lambda: 0.05, nu: ct.nu, chunkSize })))(X);
    const a = grad(100);
    const b = grad(2);
    expectTensorsClose(b, a, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([X, a, b]);
  });

  it('gradient w.r.t. X (envelope formula) agrees with central finite differences', () => {
    for (const lambda of [0.5, 0.05]) {
      const target = new SemiDualTarget(ct.Y, { nu: ct.nu, chunkSize: 4 });
      const f = (flat: Float64Array): number =>
        tf.tidy(() => {
          const x = tf.tensor2d(Array.from(flat), [ct.X.length, 3]);
          return tf.sum(tf.mul(cTransform(ct.psi, x, target, { lambda }), ct.w)).dataSync()[0] as number;
        });
      const x0 = Float64Array.from(ct.X.flat());
      const fd = finiteDifferenceGradient(f, x0, 1e-2);
      const X = tf.tensor2d(ct.X);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(cTransform(ct.psi, x, target, { lambda }), ct.w)))(X);
      const scale = Math.max(...Array.from(fd, Math.abs));
      expectTensorsClose(g, Array.from(fd), { rtol: 0, atol: 5e-3 * scale });
      tf.dispose([X, g]);
      target.dispose();
    }
  });

  it('is finite in float32 for λ ∈ {1e-4, 1e-3, 1e-2, 1}, with finite gradients, where naive exp overflows', () => {
    // Costs ≈ 100–1000: exp(c/λ) overflows float32 for every λ < ≈ 10 in a naive implementation.
    const X = tf.tidy(() => tf.mul(tf.randomNormal([16, 8], 0, 1, 'float32', 1), 5));
    const Y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([40, 8], 0, 1, 'float32', 2), 5), 3));
    const psi = tf.randomNormal([40], 0, 10, 'float32', 3);
    const hard = cTransform(psi, X, Y, { lambda: 0 });
    const hardV = hard.dataSync();
    for (const lambda of [1e-4, 1e-3, 1e-2, 1]) {
      const [v, gx, gp] = tf.tidy(() => {
        const value = cTransform(psi, X, Y, { lambda, chunkSize: 7 });
        const [a, b] = tf.grads((x: tf.Tensor, p: tf.Tensor) => tf.sum(cTransform(p, x, Y, { lambda, chunkSize: 7 })))([X, psi]);
        return [value, a, b] as tf.Tensor[];
      });
      for (const t of [v, gx, gp]) expect(tf.all(tf.isFinite(t as tf.Tensor)).dataSync()[0]).toBe(1);
      // softmin ≤ hard min + λ log(1/ν_min) and ≥ hard min − λ·0 … within λ log J of the hard min.
      const vals = (v as tf.Tensor).dataSync();
      vals.forEach((val, i) => {
        expect(val).toBeLessThanOrEqual((hardV[i] as number) + lambda * Math.log(40) * 1.0001 + 1e-3);
        expect(val).toBeGreaterThanOrEqual((hardV[i] as number) - 1e-3);
      });
      // Σ_i ∂/∂ψ_j = −(number of points): the softmax weights sum to one per point.
      expect(tf.sum(gp as tf.Tensor).dataSync()[0]).toBeCloseTo(-16, 3);
      tf.dispose([v, gx, gp] as tf.Tensor[]);
    }
    tf.dispose([X, Y, psi, hard]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const X = tf.tensor2d(ct.X);
    const psi = tf.tensor1d(ct.psi);
    await expectNoLeakedTensors(() => {
      for (const lambda of [0, 0.1]) {
        cTransform(psi, X, ct.Y, { lambda, chunkSize: 4 }).dispose();
        tf.grads((x: tf.Tensor, p: tf.Tensor) => tf.sum(cTransform(p, x, ct.Y, { lambda, chunkSize: 4 })))([X, psi]).forEach((t) => t.dispose());
        const target = new SemiDualTarget(ct.Y, { chunkSize: 2 });
        tf.grad((x: tf.Tensor) => tf.sum(cTransform(psi, x, target, { lambda })))(X).dispose();
        target.dispose();
      }
    });
    tf.dispose([X, psi]);
  });
});
