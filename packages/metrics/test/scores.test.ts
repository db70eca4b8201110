import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isOTError } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, loadFixture } from '@ot/test-utils';
import { inceptionScoreFromLogits, kernelInceptionDistance } from '../src/index.js';

interface Refs {
  inceptionScore: { logits: number[][]; splits: number; mean: number; std: number };
  kid: { x: number[][]; y: number[][]; mmd2: number };
}
const refs = await loadFixture<Refs>(import.meta.url, './fixtures/metrics_refs.json');

describeWithBackends('Inception Score and KID vs NumPy', () => {
  it('IS on fixed logits (5 splits)', async () => {
    const { logits, splits, mean, std } = refs.inceptionScore;
    const host = inceptionScoreFromLogits(logits, { splits });
    expect(host.mean).toBeCloseTo(mean, 10);
    expect(host.std).toBeCloseTo(std, 10);
    const t = tf.tensor2d(logits);
    const dev = await expectNoLeakedTensors(() => inceptionScoreFromLogits(t, { splits }));
    t.dispose();
    expect(Math.abs(dev.mean - mean) / mean).toBeLessThan(1e-5); // logits read as float32
    expect(dev.values).toHaveLength(splits);
  });

  it('IS is 1 for identical predictions and the number of classes for confident, balanced ones', () => {
    expect(inceptionScoreFromLogits([[1, 2, 3], [1, 2, 3]], { splits: 1 }).mean).toBeCloseTo(1, 12);
    const eye = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 50 : 0)));
    expect(inceptionScoreFromLogits(eye, { splits: 1 }).mean).toBeCloseTo(4, 6);
  });

  it('KID (unbiased MMD², polynomial kernel) with subsetSize = set size', async () => {
    const x = tf.tensor2d(refs.kid.x);
    const y = tf.tensor2d(refs.kid.y);
    const r = await expectNoLeakedTensors(() => kernelInceptionDistance(x, y, { subsets: 3, subsetSize: 40, seed: 1 }));
    for (const v of r.values) expect(v).toBeCloseTo(refs.kid.mmd2, 4);
    expect(r.std).toBeLessThan(1e-5);
    // subsets of 20 scatter around the full-set value
    const s = kernelInceptionDistance(x, y, { subsets: 50, subsetSize: 20, seed: 2 });
    expect(Math.abs(s.mean - refs.kid.mmd2)).toBeLessThan(3 * s.std);
    // symmetric in its arguments (the unbiased estimator is not 0 for x = y: it assumes independent sets)
    const swapped = kernelInceptionDistance(y, x, { subsets: 1, subsetSize: 40, seed: 0 });
    expect(swapped.mean).toBeCloseTo(refs.kid.mmd2, 4);
    tf.dispose([x, y]);
  });

  it('bad inputs → OTError', () => {
    const x = tf.ones([10, 4]) as tf.Tensor2D;
    const y = tf.ones([10, 5]) as tf.Tensor2D;
    const nan = tf.fill([10, 4], NaN) as tf.Tensor2D;
    const codes = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isOTError(e) ? e.code : String(e);
      }
      return undefined;
    };
    expect(codes(() => kernelInceptionDistance(x, y, { subsetSize: 5 }))).toBe('SHAPE_MISMATCH');
    expect(codes(() => kernelInceptionDistance(x, x, { subsetSize: 11 }))).toBe('INVALID_ARGUMENT');
    expect(codes(() => kernelInceptionDistance(x, nan, { subsetSize: 5 }))).toBe('NON_FINITE');
    expect(codes(() => inceptionScoreFromLogits([[1, 2]], { splits: 2 }))).toBe('INVALID_ARGUMENT');
    expect(codes(() => inceptionScoreFromLogits([[1, NaN], [0, 0]], { splits: 1 }))).toBe('NON_FINITE');
    tf.dispose([x, y, nan]);
  });
});
