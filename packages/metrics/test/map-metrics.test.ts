import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isOTError } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { l2Uvp, mapCosine } from '../src/index.js';

// Four fixed points of P (the seed is ignored): x ∈ {(0,0), (1,0), (0,1), (1,1)}.
const sampler = (n: number): tf.Tensor2D => tf.tile(tf.tensor2d([[0, 0], [1, 0], [0, 1], [1, 1]]), [n / 4, 1]) as tf.Tensor2D;
const mapTrue = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(x, 2);
const mapHat = (x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.mul(x, 2), tf.tensor1d([1, 0]));

describeWithBackends('map metrics (hand-computed cases)', () => {
  it('L2-UVP: 100 · E‖T̂ − T*‖² / Var(Q)', async () => {
    // ‖T̂ − T*‖² = 1 everywhere; Q = T*#P has per-coordinate unbiased variance 4 · (1/3), summed: 8/3
    const v = await expectNoLeakedTensors(() => l2Uvp(mapHat, mapTrue, sampler, { n: 4, batchSize: 4 }));
    expect(v).toBeCloseTo(37.5, 4);
    // with Var(Q) given: 100 · 1 / 2 = 50; two batches of 4 points
    expect(l2Uvp(mapHat, mapTrue, sampler, { n: 8, batchSize: 4, outputVariance: 2 })).toBeCloseTo(50, 4);
    expect(l2Uvp(mapTrue, mapTrue, sampler, { n: 4, batchSize: 4 })).toBe(0);
  });

  it('cosine of the displacements', async () => {
    // T̂ − id = x + e1, T* − id = x: ⟨·,·⟩ = 6, ‖x + e1‖² = 12, ‖x‖² = 4 → 6 / √48
    const v = await expectNoLeakedTensors(() => mapCosine(mapHat, mapTrue, sampler, { n: 4, batchSize: 4 }));
    expect(v).toBeCloseTo(6 / Math.sqrt(48), 5);
    expect(mapCosine(mapTrue, mapTrue, sampler, { n: 8, batchSize: 4 })).toBeCloseTo(1, 6);
  });

  it('bad inputs → OTError', () => {
    const bad = (x: tf.Tensor2D): tf.Tensor2D => tf.concat([x, x], 1);
    expect(() => l2Uvp(bad, mapTrue, sampler, { n: 4, batchSize: 4 })).toThrow(/SHAPE_MISMATCH/);
    expect(() => mapCosine((x) => x, mapTrue, sampler, { n: 4, batchSize: 4 })).toThrow(/NUMERICAL_ERROR/);
    try {
      l2Uvp(mapHat, mapTrue, sampler, { n: 1 });
      expect.fail('no error');
    } catch (e) {
      expect(isOTError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
