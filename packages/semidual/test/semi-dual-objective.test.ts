import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { SemiDualTarget, semiDualObjective } from '../src/index.js';
import { refs, relErr } from './fixture.js';

const sd = refs.semidual;

describeWithBackends('semiDualObjective', () => {
  it("equals POT's ot.emd2 at the exact dual potential (λ = 0, hard min), 1e-4 relative", () => {
    const v = semiDualObjective(sd.emdV, sd.X, sd.Y, { lambda: 0, mu: sd.a, nu: sd.b });
    expect(relErr(v.dataSync()[0] as number, sd.emd2)).toBeLessThan(1e-4);
    v.dispose();
  });

  for (const c of sd.cases) {
    it(`equals the entropic OT value (POT sinkhorn_log, float64) at the optimal ψ, λ = ${c.lambda}`, () => {
      const v = semiDualObjective(c.psi, sd.X, sd.Y, { lambda: c.lambda, mu: sd.a, nu: sd.b });
      expect(relErr(v.dataSync()[0] as number, c.optimum)).toBeLessThan(1e-4);
      v.dispose();
    });

    it(`has a vanishing supergradient in ψ at the optimum, λ = ${c.lambda}`, () => {
      const psi = tf.tensor1d(c.psi);
      const g = tf.grad((p: tf.Tensor) => semiDualObjective(p, sd.X, sd.Y, { lambda: c.lambda, mu: sd.a, nu: sd.b }))(psi);
      // ∂F/∂ψ_j = ν_j − Σ_i μ_i w_ij: the target marginal of the plan matches ν.
      expect(tf.max(tf.abs(g)).dataSync()[0]).toBeLessThan(2e-5);
      tf.dispose([psi, g]);
    });
  }

  it('POT 0.8.2 solve_semi_dual_entropic (SAG) returns NaN at λ = 1e-3 while ours is finite (POT issue 264)', () => {
    const c = sd.cases.find((k) => k.lambda === 1e-3)!;
    expect(c.potSag.finite).toBe(false);
    const v = semiDualObjective(c.psi, sd.X, sd.Y, { lambda: 1e-3, mu: sd.a, nu: sd.b });
    expect(Number.isFinite(v.dataSync()[0])).toBe(true);
    v.dispose();
    // Where POT's solver is stable its optimum agrees with the float64 Sinkhorn value.
    for (const k of sd.cases.filter((q) => q.potSag.finite)) expect(relErr(k.potSag.value as number, k.optimum)).toBeLessThan(1e-6);
  });

  it('the optimum decreases to ot.emd2 as λ → 0', () => {
    const gaps = sd.cases.map((c) => c.optimum - sd.emd2);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThan(0);
      if (i > 0) expect(g).toBeLessThan(gaps[i - 1] as number);
    });
    expect(gaps[gaps.length - 1]! / sd.emd2).toBeLessThan(2e-3);
  });

  it('mean over the batch by default; leaks nothing; accepts a prepared target', async () => {
    const target = new SemiDualTarget(sd.Y, { nu: sd.b, chunkSize: 3 });
    const X = tf.tensor2d(sd.X);
    await expectNoLeakedTensors(() => {
      const a = semiDualObjective(sd.cases[1]!.psi, X, target, { lambda: 0.1 });
      const b = semiDualObjective(sd.cases[1]!.psi, X, sd.Y, { lambda: 0.1, nu: sd.b, mu: new Array(sd.X.length).fill(1 / sd.X.length) });
      expect(a.dataSync()[0]).toBeCloseTo(b.dataSync()[0] as number, 5);
      tf.dispose([a, b]);
      tf.grad((x: tf.Tensor) => semiDualObjective(sd.cases[1]!.psi, x, target, { lambda: 0.1 }))(X).dispose();
    });
    X.dispose();
    target.dispose();
  });
});
