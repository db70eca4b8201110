/** stopGradient: the identity forward, a zero gradient backward, no leaked tensors. */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { stopGradient } from '@ot/core';

describeWithBackends('stopGradient', () => {
  it('returns the same values and blocks the gradient through its branch only', async () => {
    const x = tf.tensor1d([3, -2, 0.5]);
    const y = stopGradient(x);
    expect(Array.from(y.dataSync())).toEqual([3, -2, 0.5]);
    // d/dx Σ x·sg(x) = sg(x) = x, where the plain product would give 2x.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x);
    expect(Array.from(g.dataSync())).toEqual([3, -2, 0.5]);
    // Entirely detached: a zero gradient.
    const z = tf.grad((t: tf.Tensor) => tf.sum(tf.square(stopGradient(t))))(x);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([x, y, g, z]);
  });

  it('leaks no tensor', async () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    await expectNoLeakedTensors(() => {
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x).dispose();
      stopGradient(x).dispose();
    });
    x.dispose();
  });
});
