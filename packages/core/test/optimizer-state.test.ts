/** getOptimizerState / setOptimizerState: an Adam copy continues the same run; bad states throw. */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expectOTErrorAsync } from './helpers.js';
import { expect, it } from 'vitest';
import { getOptimizerState, setOptimizerState } from '@ot/core';

/** f(a, b) = Σ (a − 1)⁴ + Σ b², whose Adam steps depend on the moments (not only on the gradient). */
const loss = (a: tf.Variable, b: tf.Variable) => () => tf.add(tf.sum(tf.pow(tf.sub(a, 1), 4)), tf.sum(tf.square(b))) as tf.Scalar;

describeWithBackends('Adam optimizer state', () => {
  it('a fresh optimizer given the state takes the same next steps; one without it does not', async () => {
    const a = tf.variable(tf.tensor1d([3, -2, 0.5]));
    const b = tf.variable(tf.tensor2d([[1, 2], [-1, 0.25]]));
    const opt = tf.train.adam(0.1, 0.5, 0.9);
    for (let i = 0; i < 4; i++) opt.minimize(loss(a, b), false, [a, b]);
    const state = await getOptimizerState(opt);
    expect(state.map((s) => s.shape)).toEqual([[], [3], [2, 2], [3], [2, 2]]);
    expect(state[0]!.values[0]).toBe(4);

    const a2 = tf.variable(tf.clone(a));
    const b2 = tf.variable(tf.clone(b));
    const copy = tf.train.adam(0.1, 0.5, 0.9);
    await setOptimizerState(copy, [a2, b2], state);
    const fresh = tf.train.adam(0.1, 0.5, 0.9);
    const a3 = tf.variable(tf.clone(a));
    const b3 = tf.variable(tf.clone(b));
    for (let i = 0; i < 3; i++) {
      opt.minimize(loss(a, b), false, [a, b]);
      copy.minimize(loss(a2, b2), false, [a2, b2]);
      fresh.minimize(loss(a3, b3), false, [a3, b3]);
    }
    expect(Array.from(a2.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b2.dataSync())).toEqual(Array.from(b.dataSync()));
    const diff = Math.max(...Array.from(a3.dataSync(), (v, i) => Math.abs(v - a.dataSync()[i]!)));
    expect(diff).toBeGreaterThan(1e-3);
    tf.dispose([a, b, a2, b2, a3, b3]);
    [opt, copy, fresh].forEach((o) => o.dispose());
  });

  it('restores a state taken before the first step (the step count only)', async () => {
    const a = tf.variable(tf.tensor1d([2]));
    const opt = tf.train.adam(0.1);
    const state = await getOptimizerState(opt);
    expect(state).toHaveLength(1);
    await setOptimizerState(opt, [a], state);
    opt.minimize(() => tf.sum(tf.square(a)) as tf.Scalar, false, [a]);
    expect(a.dataSync()[0]).toBeCloseTo(1.9, 5); // Adam's first step: lr · sign(gradient)
    a.dispose();
    opt.dispose();
  });

  it('rejects states that do not fit, and leaks no tensor', async () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const opt = tf.train.adam(0.1);
    opt.minimize(() => tf.sum(tf.square(a)) as tf.Scalar, false, [a]);
    const state = await getOptimizerState(opt);
    await expectOTErrorAsync(() => setOptimizerState(opt, [a], [] as never), 'INVALID_ARGUMENT');
    await expectOTErrorAsync(() => setOptimizerState(opt, [a], state.slice(1)), 'INVALID_ARGUMENT');
    await expectOTErrorAsync(() => setOptimizerState(opt, [a], state.slice(0, 2)), 'SHAPE_MISMATCH');
    await expectOTErrorAsync(() => setOptimizerState(opt, [a], [state[0]!, { ...state[1]!, shape: [3], values: new Float32Array(3) }, state[2]!]), 'SHAPE_MISMATCH');
    await expectOTErrorAsync(() => getOptimizerState({} as never), 'INVALID_ARGUMENT');
    await expectOTErrorAsync(() => setOptimizerState(opt, [tf.scalar(1)] as never, state), 'INVALID_ARGUMENT');
    const b = tf.variable(tf.tensor2d([[1]]));
    await expectOTErrorAsync(() => setOptimizerState(opt, [b], state), 'SHAPE_MISMATCH');
    await expectNoLeakedTensors(async () => {
      for (let i = 0; i < 5; i++) await setOptimizerState(opt, [a], await getOptimizerState(opt));
      opt.minimize(() => tf.sum(tf.square(a)) as tf.Scalar, false, [a]);
    });
    tf.dispose([a, b]);
    opt.dispose();
  });
});
