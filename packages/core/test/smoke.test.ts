import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@ot/test-utils';
import { it, expect } from 'vitest';
import { wasserstein1d, randomDirections } from '@ot/core';

describeWithBackends('smoke', (backend) => {
  it('runs on the requested backend', () => {
    expect(tf.getBackend()).toBe(backend);
  });
  it('w1d equal sizes', async () => {
    const u = tf.tensor1d([0, 1, 3]);
    const v = tf.tensor1d([5, 6, 2]);
    await expectNoLeakedTensors(() => {
      const w = wasserstein1d(u, v, { p: 2 });
      expectTensorsClose(w, [(4 + 16 + 9) / 3]);
      w.dispose();
    });
  });
  it('w1d unequal and grad', () => {
    const u = tf.tensor1d([0, 1, 3]);
    const v = tf.tensor1d([5, 6]);
    const w = wasserstein1d(u, v, { p: 1 });
    console.log('w', w.dataSync());
    const g = tf.grad((x: tf.Tensor) => wasserstein1d(x, v, { p: 2 }))(u);
    console.log('g', g.dataSync());
    const d = randomDirections(3, 4, { seed: 1 });
    console.log(d.arraySync());
  });
});
