/**
 * The losses of the OT autoencoders and critics: the unbiased MMD against NumPy (fixture from
 * scripts/fixtures/gen_mmd_refs.py), its behaviour on equal and shifted distributions, the WGAN-GP
 * gradient penalty against hand-computed cases, and the latent priors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { OTError } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture } from '@ot/test-utils';
import { MlpCritic, gaussianPrior, gradientPenalty, mmd, ringPrior, samplerPrior, type MmdKernel } from '../src/index.js';

interface MmdCase {
  name: string;
  X: number[][];
  Y: number[][];
  kernel: MmdKernel;
  scales: number[];
  sigma2: number;
  value: number;
}

describeWithBackends('OT losses', () => {
  describe('mmd (unbiased U-statistic, WAE kernels)', () => {
    it('matches the NumPy float64 reference for every kernel / scale case', async () => {
      const { cases } = await loadFixture<{ cases: MmdCase[] }>(import.meta.url, './fixtures/mmd.json');
      expect(cases.length).toBe(6);
      for (const c of cases) {
        const v = tf.tidy(() => mmd(c.X, c.Y, { kernel: c.kernel, scales: c.scales, sigma2: c.sigma2 }).dataSync()[0] as number);
        // Measured: ≤ 2.4e-6 on wasm, ≤ 3e-7 on cpu (float32).
        expect(Math.abs(v - c.value), `${c.name}: ${v} vs ${c.value}`).toBeLessThan(1e-5);
      }
    });

    it('is ≈ 0 for two samples of one distribution and grows with a shift', () => {
      for (const kernel of ['imq', 'rbf'] as const) {
        const vals = tf.tidy(() => {
          const x = tf.randomNormal([400, 4], 0, 1, 'float32', 1);
          const y = tf.randomNormal([400, 4], 0, 1, 'float32', 2);
          return [0, 0.25, 0.5, 1, 2].map((s) => mmd(x, tf.add(y, s), { kernel }).dataSync()[0] as number);
        });
        expect(Math.abs(vals[0] as number), `${kernel} equal`).toBeLessThan(0.01);
        for (let i = 1; i < vals.length; i++) expect(vals[i] as number, `${kernel} shift ${i}`).toBeGreaterThan(vals[i - 1] as number);
        expect(vals[4] as number).toBeGreaterThan(50 * Math.abs(vals[0] as number));
      }
    });

    it('its gradient in X matches central finite differences', () => {
      const x0 = [
        [0.1, -0.4],
        [1.2, 0.3],
        [-0.7, 0.9],
      ];
      const y = [
        [0.5, 0.5],
        [-1, 0.2],
        [0.3, -0.8],
        [0, 0],
      ];
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => mmd(x, y, { kernel: 'imq' }))(tf.tensor2d(x0)).arraySync() as number[][]);
      const h = 1e-2;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 2; j++) {
          const f = (d: number) => tf.tidy(() => mmd(x0.map((r, a) => r.map((v, b) => (a === i && b === j ? v + d : v))), y).dataSync()[0] as number);
          expect((g[i] as number[])[j] as number).toBeCloseTo((f(h) - f(-h)) / (2 * h), 3);
        }
      }
    });

    it('validates inputs and does not leak', async () => {
      const x = tf.randomNormal([10, 3], 0, 1, 'float32', 3);
      const y = tf.randomNormal([12, 3], 0, 1, 'float32', 4);
      await expectNoLeakedTensors(() => mmd(x, y).dispose());
      expect(() => mmd(x, [[1, 2]])).toThrow(OTError);
      expect(() => mmd(x, tf.zeros([1, 3]))).toThrow(/at least 2/);
      expect(() => mmd(x, tf.zeros([5, 2]))).toThrow(/same dimension/);
      expect(() => mmd(x, y, { kernel: 'poly' as MmdKernel })).toThrow(/kernel/);
      expect(() => mmd(x, y, { scales: [] })).toThrow(/scales/);
      expect(() => mmd(x, y, { scales: [1, -1] })).toThrow(/scales\[1\]/);
      tf.dispose([x, y]);
    });
  });

  describe('gradientPenalty (Gulrajani et al. 2017)', () => {
    it('a linear critic f(x) = w·x has ‖∇f‖ = ‖w‖ everywhere: GP = λ(‖w‖ − 1)²', () => {
      const w = tf.tensor2d([[3], [4]]); // ‖w‖ = 5
      const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
      const real = tf.randomNormal([16, 2], 0, 1, 'float32', 5);
      const fake = tf.randomNormal([16, 2], 3, 1, 'float32', 6);
      for (const lambda of [10, 1, 0.5]) {
        const gp = gradientPenalty(critic, real, fake, { lambda, seed: 0 });
        expectTensorsClose(gp, lambda * 16, { rtol: 1e-5, atol: 1e-5 });
        gp.dispose();
      }
      tf.dispose([w, real, fake]);
    });

    it('the per-sample gradient norm on image-shaped inputs: f(x) = Σ c·x with ‖c‖ = 0.5 gives λ·0.25', () => {
      const c = tf.fill([4, 4, 1], 0.125); // ‖c‖ = √16 · 0.125 = 0.5
      const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, c), [1, 2, 3]);
      const real = tf.randomUniform([6, 4, 4, 1], 0, 1, 'float32', 1);
      const fake = tf.randomUniform([6, 4, 4, 1], 0, 1, 'float32', 2);
      const gp = gradientPenalty(critic, real, fake, { seed: 3 });
      expectTensorsClose(gp, 10 * 0.25, { rtol: 1e-5, atol: 1e-5 });
      tf.dispose([c, real, fake, gp]);
    });

    it('a quadratic critic f(x) = ½‖x‖² has ∇f(x̂) = x̂: the penalty uses the interpolates ε·real + (1 − ε)·fake', () => {
      const critic = (x: tf.Tensor) => tf.mul(tf.sum(tf.square(x), 1), 0.5);
      const real = tf.tensor2d([
        [2, 0],
        [0, 1],
      ]);
      const fake = tf.tensor2d([
        [0, 0],
        [0, 3],
      ]);
      // ε = (0.5, 0.25): x̂ = (1, 0) and (0, 2.5) → norms 1 and 2.5 → mean((0)² + (1.5)²) = 1.125.
      const gp = gradientPenalty(critic, real, fake, { lambda: 2, epsilon: [0.5, 0.25] });
      expectTensorsClose(gp, 2 * 1.125, { rtol: 1e-5, atol: 1e-6 });
      tf.dispose([real, fake, gp]);
    });

    it('is differentiable in the critic parameters (second order), through leaky-ReLU MLP critics, without leaks', async () => {
      const critic = new MlpCritic({ inputShape: [2], hidden: [16, 16], seed: 0 });
      const real = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
      const fake = tf.randomNormal([8, 2], 2, 1, 'float32', 2);
      await expectNoLeakedTensors(() => {
        const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, { seed: 4 }), critic.trainableVariables());
        const first = grads[critic.trainableVariables()[0]!.name]!;
        expect(tf.tidy(() => tf.norm(first).dataSync()[0] as number)).toBeGreaterThan(0);
        expect(value.dataSync()[0]).toBeGreaterThan(0);
        tf.dispose([value, ...Object.values(grads)]);
      });
      // The penalty gradient of a linear critic's weight: d/dw λ(‖w‖ − 1)² = 2λ(‖w‖ − 1) w/‖w‖.
      const w = tf.variable(tf.tensor2d([[3], [4]]));
      const g = tf.variableGrads(() => gradientPenalty((x) => tf.matMul(x as tf.Tensor2D, w), real, fake, { lambda: 10 }), [w]);
      expectTensorsClose(g.grads[w.name]!, [[2 * 10 * 4 * 0.6], [2 * 10 * 4 * 0.8]], { rtol: 1e-4, atol: 1e-3 });
      tf.dispose([g.value, ...Object.values(g.grads), w, real, fake]);
      critic.dispose();
    });

    it('rejects mismatched batches and negative λ', () => {
      const critic = (x: tf.Tensor) => tf.sum(x, 1);
      const a = tf.zeros([4, 2]);
      const b = tf.zeros([3, 2]);
      expect(() => gradientPenalty(critic, a, b)).toThrow(/same shape/);
      expect(() => gradientPenalty(critic, a, a, { lambda: -1 })).toThrow(/lambda/);
      expect(() => gradientPenalty(critic, a, a, { epsilon: [0.5] })).toThrow(/epsilon/);
      tf.dispose([a, b]);
    });
  });

  describe('latent priors', () => {
    it('Gaussian, circle and ring priors have the stated laws', () => {
      tf.tidy(() => {
        const g = gaussianPrior(3, 2).sample(4000, 1);
        const { mean, variance } = tf.moments(g, 0);
        expectTensorsClose(mean, [0, 0, 0], { atol: 0.15 });
        expectTensorsClose(variance, [4, 4, 4], { rtol: 0.08 });
        const c = ringPrior(1.5, 1.5).sample(500, 2);
        expectTensorsClose(tf.norm(c, 2, 1), tf.fill([500], 1.5), { rtol: 1e-4 });
        const r = ringPrior(0.5, 1).sample(4000, 3);
        const radius = tf.norm(r, 2, 1);
        expect(tf.min(radius).dataSync()[0]).toBeGreaterThanOrEqual(0.5 - 1e-4);
        expect(tf.max(radius).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-4);
        // Uniform in area: P(‖z‖ ≤ √((0.25 + 1)/2)) = 1/2.
        const inner = tf.mean(tf.cast(tf.lessEqual(radius, Math.sqrt(0.625)), 'float32')).dataSync()[0] as number;
        expect(inner).toBeCloseTo(0.5, 1);
        // Angles uniform: mean of the unit vectors ≈ 0.
        expectTensorsClose(tf.mean(tf.div(r, tf.expandDims(radius, 1)), 0), [0, 0], { atol: 0.05 });
      });
    });

    it('any sampler can be a prior; wrong shapes are reported', () => {
      const p = samplerPrior('square', 2, (n, seed) => tf.randomUniform([n, 2], -1, 1, 'float32', typeof seed === 'number' ? seed : 0));
      const z = p.sample(10, 1);
      expect(z.shape).toEqual([10, 2]);
      z.dispose();
      const bad = samplerPrior('bad', 2, (n) => tf.zeros([n, 3]) as tf.Tensor2D);
      expect(() => bad.sample(4, 0)).toThrow(/expected \[4, 2\]/);
      expect(() => ringPrior(2, 1)).toThrow(OTError);
    });
  });
});
