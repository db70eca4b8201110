import * as tf from '@tensorflow/tfjs-core';
import { sqeuclideanCost } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, finiteDifferenceGradient } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { semiDualObjective, sinkhorn, sinkhornDivergence } from '../src/index.js';
import { refs, relErr } from './fixture.js';

const sk = refs.sinkhorn;

function shifted(f: tf.Tensor1D, g: tf.Tensor1D): [number[], number[]] {
  const fv = Array.from(f.dataSync());
  const gv = Array.from(g.dataSync());
  const s = fv[0] as number;
  return [fv.map((v) => v - s), gv.map((v) => v + s)];
}

describeWithBackends('sinkhorn', () => {
  for (const [c, stabilization] of sk.cases.flatMap((k) => [[k, 'absorb'], [k, 'logsumexp']] as const)) {
    it(`log domain (${stabilization}) matches POT sinkhorn2(method='sinkhorn_log') at reg = ${c.reg}: costs 1e-4, potentials, plan`, () => {
      const M = sqeuclideanCost(sk.X, sk.Y);
      const res = sinkhorn(sk.a, sk.b, M, { reg: c.reg, maxIter: 20000, tol: 1e-6, stabilization });
      expect(res.converged).toBe(true);
      expect(relErr(res.transportCost, c.transport)).toBeLessThan(1e-4);
      expect(relErr(res.entropicCost, c.entropic)).toBeLessThan(1e-4);
      const [f, g] = shifted(res.f, res.g);
      const fmax = Math.max(...c.f.map(Math.abs), ...c.g.map(Math.abs));
      expectTensorsClose(f, c.f, { rtol: 0, atol: 2e-4 * fmax });
      expectTensorsClose(g, c.g, { rtol: 0, atol: 2e-4 * fmax });
      const P = res.plan();
      expectTensorsClose(P, c.plan, { rtol: 1e-3, atol: 1e-6 });
      // The semi-dual objective at ψ = g is the same entropic value (semi-dual = primal).
      const sd = semiDualObjective(res.g, sk.X, sk.Y, { lambda: c.reg, mu: sk.a, nu: sk.b });
      expect(relErr(sd.dataSync()[0] as number, c.entropic)).toBeLessThan(1e-4);
      tf.dispose([M, P, sd]);
      res.dispose();
    });
  }

  it('the scaling (non-log) form agrees for moderate reg and fails loudly for tiny reg', () => {
    const M = sqeuclideanCost(sk.X, sk.Y);
    const a = sinkhorn(sk.a, sk.b, M, { reg: 1, logDomain: false, maxIter: 20000 });
    const b = sinkhorn(sk.a, sk.b, M, { reg: 1, maxIter: 20000 });
    expect(relErr(a.transportCost, b.transportCost)).toBeLessThan(1e-4);
    a.dispose();
    b.dispose();
    expect(() => sinkhorn(sk.a, sk.b, M, { reg: 1e-3, logDomain: false })).toThrowError(/NUMERICAL_ERROR/);
    M.dispose();
  });

  it('reports non-convergence (flag, or NOT_CONVERGED on request)', () => {
    const M = sqeuclideanCost(sk.X, sk.Y);
    const r = sinkhorn(undefined, undefined, M, { reg: 0.01, maxIter: 5 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(5);
    r.dispose();
    expect(() => sinkhorn(undefined, undefined, M, { reg: 0.01, maxIter: 5, onNotConverged: 'throw' })).toThrowError(/NOT_CONVERGED/);
    M.dispose();
  });

  it('takes the same number of iterations as POT (same iterates, same stopping rule)', () => {
    // POT 0.8.2 sinkhorn_log on this problem stops at 30, 310, 620 iterations for reg 1, 0.1, 0.05
    // with stopThr 1e-6 (checked every 10 iterations).
    const M = sqeuclideanCost(sk.X, sk.Y);
    const its = [1, 0.1, 0.05].map((reg) => {
      const r = sinkhorn(sk.a, sk.b, M, { reg, tol: 1e-6 });
      r.dispose();
      return r.iterations;
    });
    expect(its).toEqual([30, 310, 620]);
    M.dispose();
  });

  it('stays finite at reg = 1e-3 (absorption and exact log steps)', () => {
    const M = sqeuclideanCost(sk.X, sk.Y);
    const r = sinkhorn(sk.a, sk.b, M, { reg: 1e-3, maxIter: 200 });
    expect(Number.isFinite(r.transportCost) && Number.isFinite(r.entropicCost)).toBe(true);
    r.dispose();
    M.dispose();
  });

  it('leaks no tensors', async () => {
    const M = sqeuclideanCost(sk.X, sk.Y);
    await expectNoLeakedTensors(() => {
      for (const stabilization of ['absorb', 'logsumexp'] as const) {
        const r = sinkhorn(sk.a, sk.b, M, { reg: 0.5, stabilization });
        r.plan().dispose();
        r.dispose();
      }
      sinkhorn(sk.a, sk.b, M, { reg: 0.5, logDomain: false }).dispose();
      try {
        sinkhorn(undefined, undefined, M, { reg: 0.01, maxIter: 5, onNotConverged: 'throw' });
      } catch {
        /* expected */
      }
    });
    M.dispose();
  });
});

describeWithBackends('sinkhornDivergence', () => {
  const d = sk.divergence;
  it('matches the float64 debiased entropic divergence (POT sinkhorn_log potentials)', () => {
    const v = sinkhornDivergence(sk.X, sk.Y, { a: sk.a, b: sk.b, reg: d.reg, tol: 1e-7, maxIter: 20000 });
    expect(relErr(v.dataSync()[0] as number, d.entropic)).toBeLessThan(1e-4);
    v.dispose();
  });

  it('gradients w.r.t. X and Y agree with finite differences', () => {
    const n = 5;
    const m = 4;
    const X0 = sk.X.slice(0, n);
    const Y0 = sk.Y.slice(0, m);
    const opts = { reg: 1, tol: 1e-6, maxIter: 500 };
    const X = tf.tensor2d(X0);
    const Y = tf.tensor2d(Y0);
    const [gx, gy] = tf.grads((x: tf.Tensor, y: tf.Tensor) => sinkhornDivergence(x, y, opts))([X, Y]);
    const fx = (flat: Float64Array) =>
      tf.tidy(() => sinkhornDivergence(tf.tensor2d(Array.from(flat), [n, 2]), Y, opts).dataSync()[0] as number);
    const fy = (flat: Float64Array) =>
      tf.tidy(() => sinkhornDivergence(X, tf.tensor2d(Array.from(flat), [m, 2]), opts).dataSync()[0] as number);
    const fdx = finiteDifferenceGradient(fx, Float64Array.from(X0.flat()), 1e-2);
    const fdy = finiteDifferenceGradient(fy, Float64Array.from(Y0.flat()), 1e-2);
    const sx = Math.max(...Array.from(fdx, Math.abs));
    expectTensorsClose(gx as tf.Tensor, Array.from(fdx), { rtol: 0, atol: 1e-2 * sx });
    expectTensorsClose(gy as tf.Tensor, Array.from(fdy), { rtol: 0, atol: 1e-2 * sx });
    tf.dispose([X, Y, gx, gy] as tf.Tensor[]);
  });

  it('is ≈ 0 between a cloud and itself and leaks nothing', async () => {
    const X = tf.tensor2d(sk.X);
    await expectNoLeakedTensors(() => {
      const v = sinkhornDivergence(X, X, { reg: 0.5 });
      expect(Math.abs(v.dataSync()[0] as number)).toBeLessThan(1e-4);
      v.dispose();
      tf.grad((x: tf.Tensor) => sinkhornDivergence(x, sk.Y, { reg: 0.5 }))(X).dispose();
    });
    X.dispose();
  });
});
