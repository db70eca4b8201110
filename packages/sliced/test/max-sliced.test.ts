import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { maxSlicedWasserstein, slicedWasserstein } from '../src/index.js';
import { scalar, shiftedGaussians } from './helpers.js';

describeWithBackends('maxSlicedWasserstein', () => {
  it('finds the axis along which two Gaussians differ, with the closed-form value (adam)', () => {
    const [X, Y] = shiftedGaussians(400, 5, 2, 3, 11);
    const { value, direction } = maxSlicedWasserstein(X, Y, { iterations: 100, lr: 0.05, seed: 1 });
    const dir = Array.from(direction.dataSync());
    expect(Math.abs(dir[2] as number)).toBeGreaterThan(0.99);
    // Population value: N(0, I) vs N(3 e_2, I) gives max_θ W_2 = 3; 400 samples are within a few %.
    expect(Math.abs(scalar(value) - 3) / 3).toBeLessThan(0.05);
    // The value is W_2 along the returned direction.
    const along = slicedWasserstein(X, Y, { projections: tf.reshape(direction, [5, 1]) });
    expect(scalar(value)).toBeCloseTo(scalar(along), 5);
    // Max-SW ≥ SW with the same data.
    const sw = slicedWasserstein(X, Y, { nProjections: 200, seed: 2 });
    expect(scalar(value)).toBeGreaterThan(scalar(sw));
    tf.dispose([X, Y, value, direction, along, sw]);
  });

  it('projected SGD ascent also aligns (p = 1), and T2 = 0 returns the initial direction', () => {
    const [X, Y] = shiftedGaussians(300, 4, 0, 2.5, 21);
    const r = maxSlicedWasserstein(X, Y, { p: 1, optimizer: 'sgd', iterations: 100, lr: 0.2, seed: 3 });
    expect(Math.abs(r.direction.dataSync()[0] as number)).toBeGreaterThan(0.99);
    const r0 = maxSlicedWasserstein(X, Y, { iterations: 0, init: [0, 3, 0, 4] });
    expectTensorsClose(r0.direction, [0, 0.6, 0, 0.8], { atol: 1e-6 });
    tf.dispose([X, Y, r.value, r.direction, r0.value, r0.direction]);
  });

  it('value is differentiable w.r.t. X and Y at the detached direction', () => {
    const [X, Y] = shiftedGaussians(40, 3, 1, 2, 5);
    const dir = maxSlicedWasserstein(X, Y, { iterations: 30, lr: 0.05, seed: 4 }).direction;
    const D = tf.reshape(dir, [3, 1]);
    const [gx, gy] = tf.grads((x: tf.Tensor, y: tf.Tensor) => maxSlicedWasserstein(x, y, { iterations: 30, lr: 0.05, seed: 4 }).value)([X, Y]);
    const [ex, ey] = tf.grads((x: tf.Tensor, y: tf.Tensor) => slicedWasserstein(x, y, { projections: D }))([X, Y]);
    expectTensorsClose(gx as tf.Tensor, ex as tf.Tensor, { atol: 1e-5 });
    expectTensorsClose(gy as tf.Tensor, ey as tf.Tensor, { atol: 1e-5 });
    tf.dispose([X, Y, dir, D, gx, gy, ex, ey] as tf.Tensor[]);
  });

  it('closed-form ascent gradient (uniform, n = m) equals the taped one (explicit uniform weights) for p = 1, 2, 3', () => {
    const [X, Y] = shiftedGaussians(64, 6, 1, 1.5, 9);
    const w = Array.from({ length: 64 }, () => 1 / 64);
    for (const p of [1, 2, 3]) {
      for (const optimizer of ['adam', 'sgd'] as const) {
        // one step of lr 1 shows the gradient itself; 20 steps, the whole ascent (float32 rounding
        // drifts apart slowly: measured ≤ 2e-4 for p = 3 with SGD, ≤ 1e-6 otherwise)
        for (const [iterations, lr, atol] of [
          [1, 1, 1e-6],
          [20, 0.05, 1e-3],
        ] as const) {
          const fast = maxSlicedWasserstein(X, Y, { p, iterations, lr, optimizer, seed: 3 });
          const taped = maxSlicedWasserstein(X, Y, { p, iterations, lr, optimizer, seed: 3, a: w, b: w });
          expectTensorsClose(fast.direction, taped.direction, { atol });
          expect(scalar(fast.value)).toBeCloseTo(scalar(taped.value), 4);
          tf.dispose([fast.value, fast.direction, taped.value, taped.direction]);
        }
      }
    }
    tf.dispose([X, Y]);
  });

  it('leaks no tensors across 100 calls', async () => {
    const [X, Y] = shiftedGaussians(12, 3, 0, 1, 7);
    await expectNoLeakedTensors(() => {
      for (let i = 0; i < 100; i++) {
        if (i % 2 === 0) {
          const r = maxSlicedWasserstein(X, Y, { iterations: 3, seed: i, optimizer: i % 4 === 0 ? 'adam' : 'sgd' });
          tf.dispose([r.value, r.direction]);
        } else {
          tf.grad((x: tf.Tensor) => maxSlicedWasserstein(x, Y, { iterations: 2, seed: i }).value)(X).dispose();
        }
      }
    });
    tf.dispose([X, Y]);
  });
});
