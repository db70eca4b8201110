import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@ot/test-utils';
import { highDimGaussianBenchmark, loadW2Benchmark } from '../src/index.js';

// d = 2 and 4 are copied into test/fixtures; the larger pairs are read from ../shared (beside the
// repository, as in CI) when present.
const fixture = (d: number): string => fileURLToPath(new URL(`./fixtures/mix3tomix10-d${d}.json`, import.meta.url));
const shared = (d: number): string => fileURLToPath(new URL(`../../../../shared/benchmarks/w2/mix3tomix10-d${d}.json`, import.meta.url));
const pairs = [2, 4, 8, 16, 32].map((d) => ({ d, path: existsSync(fixture(d)) ? fixture(d) : shared(d) })).filter((p) => existsSync(p.path));

describeWithBackends('W2 benchmark pairs', () => {
  it('finds the pairs d = 2 and 4 at least', () => {
    expect(pairs.map((p) => p.d)).toEqual(expect.arrayContaining([2, 4]));
  });

  for (const { d, path } of pairs) {
    it(`the ported map reproduces the published T(x) of the d = ${d} pair (1e-4 relative)`, async () => {
      const pair = await loadW2Benchmark(path);
      expect(pair.dim).toBe(d);
      const ref = pair.reference!;
      const x = tf.tensor2d(ref.x);
      const tx = pair.map(x);
      const rms = Math.sqrt(ref.Tx.flat().reduce((a, v) => a + v * v, 0) / (ref.Tx.length * d));
      expectTensorsClose(tx, ref.Tx, { rtol: 1e-4, atol: 1e-4 * rms });
      tf.dispose([x, tx]);
      pair.dispose();
    });
  }

  it('the sampler draws P and Var(T(x)) matches outputVariance (d = 4)', async () => {
    const pair = await loadW2Benchmark(fixture(4));
    const stats = tf.tidy(() => {
      const x = pair.sample(20000, 7);
      const y = pair.map(x);
      const m = tf.moments(y, 0);
      return [tf.sum(m.variance), tf.mean(x, 0)];
    });
    const variance = stats[0]!.dataSync()[0] as number;
    expect(Math.abs(variance / pair.outputVariance - 1)).toBeLessThan(0.04);
    const json = (await import('node:fs')).readFileSync(fixture(4), 'utf8');
    const centers = (JSON.parse(json) as { input: { centers: number[][] } }).input.centers;
    const mean = centers[0]!.map((_, j) => centers.reduce((a, c) => a + c[j]!, 0) / centers.length);
    expectTensorsClose(stats[1]!, mean, { atol: 0.08, rtol: 0 });
    tf.dispose(stats);
    // same seed, same samples
    const a = pair.sample(5, 3);
    const b = pair.sample(5, 3);
    expectTensorsClose(a, b);
    tf.dispose([a, b]);
    pair.dispose();
  });

  it('loading, sampling and mapping leak no tensors', async () => {
    await expectNoLeakedTensors(async () => {
      const pair = await loadW2Benchmark(fixture(2));
      const x = pair.sample(10, 1);
      tf.dispose([x, pair.map(x), pair.sampleTarget(4, 2)]);
      pair.dispose();
    });
  });

  it('highDimGaussianBenchmark: covariances, closed-form map and Var(Q)', async () => {
    const D = 6;
    await expectNoLeakedTensors(() => {
      const g = highDimGaussianBenchmark(D, { seed: 3 });
      // spectrum of each covariance: exp(2·linspace(log ½, log 2, D)); trace = outputVariance
      const s2 = Array.from({ length: D }, (_, i) => Math.exp(2 * (Math.log(0.5) + (i * Math.log(4)) / (D - 1))));
      expect(g.outputVariance).toBeCloseTo(s2.reduce((a, b) => a + b, 0), 8);
      const [covMapped, covSample] = tf.tidy(() => {
        const x = g.sample(40000, 1);
        const y = g.map(x);
        const cov = (z: tf.Tensor2D): tf.Tensor => tf.div(tf.matMul(tf.transpose(z), z), z.shape[0]);
        return [cov(y), cov(x)];
      });
      expectTensorsClose(covMapped!, g.covQ, { atol: 0.08, rtol: 0.05 });
      expectTensorsClose(covSample!, g.covP, { atol: 0.08, rtol: 0.05 });
      tf.dispose([covMapped!, covSample!]);
      g.dispose();
    });
  });
});
