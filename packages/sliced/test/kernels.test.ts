/**
 * The faster TopK / ScatterNd kernels against the stock tfjs kernels of the same backend (and so,
 * transitively, against the cpu reference). Registration is process-wide, so this file computes the
 * stock results first, then registers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sortRows } from '@ot/core';
import { describeWithBackends, expectTensorsClose, loadFixture } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { registerSlicedKernels, slicedKernelsRegistered, slicedWasserstein } from '../src/index.js';
import { dirsOf, scalar, type Refs } from './helpers.js';

function cases(): tf.Tensor2D[] {
  return [
    tf.randomNormal([7, 300], 0, 1, 'float32', 1) as tf.Tensor2D, // radix path
    tf.randomNormal([5, 20], 0, 1, 'float32', 2) as tf.Tensor2D, // insertion path
    // ties, signed zeros, infinities and huge magnitudes
    tf.tensor2d([[0, -0, 1, 1, -1, Infinity, -Infinity, 3e38, -3e38, 1e-40, -1e-40, 0.5, 0.5, 2, -2, 7, 1, 0, 4, 4, 9, -9, 8, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]]),
    tf.tidy(() => tf.round(tf.mul(tf.randomUniform([3, 500], 0, 1, 'float32', 3), 5)) as tf.Tensor2D), // many ties, radix
    tf.tidy(() => tf.div(tf.round(tf.mul(tf.randomNormal([4, 400], 0, 1, 'float32', 4), 20)), 20) as tf.Tensor2D), // ties, buckets
  ];
}

describeWithBackends('registerSlicedKernels', (backend) => {
  it('TopK (full sort), ScatterNd, Tile and Transpose agree with the stock kernels; SW still matches POT', async () => {
    const xs = cases();
    const stock = xs.map((x) => tf.topk(x, x.shape[1]));
    const partial = tf.topk(xs[0] as tf.Tensor2D, 5);
    const idx = tf.tensor2d([[0], [3], [0], [1]], [4, 1], 'int32');
    const upd = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const scatterStock = tf.scatterND(idx, upd, [5, 2]);
    const g = (x: tf.Tensor2D) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(sortRows(t as tf.Tensor2D), tf.range(0, x.shape[1]))))(x);
    const gradStock = g(xs[0] as tf.Tensor2D);
    const tileInputs: Array<[tf.Tensor, number[]]> = [
      [tf.tensor2d([[1], [2], [3]], [3, 1], 'int32'), [1, 6]],
      [tf.tensor2d([[1, 2], [3, 4]]), [3, 2]],
      [tf.tensor3d([[[1, 2, 3]], [[4, 5, 6]]], [2, 1, 3], 'int32'), [2, 3, 2]],
      [tf.tensor1d([7, 8, 9]), [4]],
    ];
    const tileStock = tileInputs.map(([t, reps]) => tf.tile(t, reps));
    const trInputs: Array<[tf.Tensor, number[]]> = [
      [tf.randomNormal([37, 53], 0, 1, 'float32', 8), [1, 0]],
      [tf.tensor3d(Array.from({ length: 2 * 17 * 5 }, (_, i) => i), [2, 17, 5], 'int32'), [0, 2, 1]],
      [tf.randomNormal([3, 4, 5], 0, 1, 'float32', 9), [2, 0, 1]], // stock fallback
    ];
    const trStock = trInputs.map(([t, perm]) => tf.transpose(t, perm));

    expect(registerSlicedKernels([backend])).toEqual([backend]);
    expect(slicedKernelsRegistered(backend)).toBe(true);
    expect(registerSlicedKernels([backend])).toEqual([]); // idempotent

    xs.forEach((x, i) => {
      const fast = tf.topk(x, x.shape[1]);
      const fv = Array.from(fast.values.dataSync());
      const sv = Array.from((stock[i] as { values: tf.Tensor }).values.dataSync());
      fv.forEach((v, k) => expect(v === sv[k], `row-major index ${k}: ${v} vs ${sv[k]}`).toBe(true));
      // Indices may differ only among equal values; values gathered by them must agree.
      const a = Array.from(fast.indices.dataSync());
      const vals = x.dataSync();
      const n = x.shape[1];
      const sorted = fast.values.dataSync();
      a.forEach((j, k) => expect(Object.is(vals[Math.floor(k / n) * n + j], sorted[k]) || vals[Math.floor(k / n) * n + j] === sorted[k]).toBe(true));
      // Every row is a permutation.
      for (let r = 0; r < x.shape[0]; r++) expect(new Set(a.slice(r * n, (r + 1) * n)).size).toBe(n);
      tf.dispose([fast.values, fast.indices]);
    });
    const partialFast = tf.topk(xs[0] as tf.Tensor2D, 5);
    expectTensorsClose(partialFast.values, partial.values, { rtol: 0, atol: 0 });
    expectTensorsClose(tf.scatterND(idx, upd, [5, 2]), scatterStock, { rtol: 0, atol: 0 });
    expectTensorsClose(g(xs[0] as tf.Tensor2D), gradStock, { rtol: 0, atol: 0 });
    tileInputs.forEach(([t, reps], i) => expectTensorsClose(tf.tile(t, reps), tileStock[i] as tf.Tensor, { rtol: 0, atol: 0 }));
    trInputs.forEach(([t, perm], i) => expectTensorsClose(tf.transpose(t, perm), trStock[i] as tf.Tensor, { rtol: 0, atol: 0 }));

    const refs = await loadFixture<Refs>(import.meta.url, './fixtures/sliced_refs.json');
    for (const c of refs.sw) {
      const v = tf.tidy(() =>
        scalar(
          slicedWasserstein(tf.tensor2d(c.X), tf.tensor2d(c.Y), {
            p: c.p,
            projections: dirsOf(c.P),
            ...(c.a !== null ? { a: c.a } : {}),
            ...(c.b !== null ? { b: c.b } : {}),
          }),
        ),
      );
      expect(Math.abs(v - c.value) / c.value).toBeLessThan(1e-5);
    }
    tf.dispose([...xs, ...stock.flatMap((s) => [s.values, s.indices]), partial.values, partial.indices, partialFast.values, partialFast.indices, idx, upd, scatterStock, gradStock, ...tileInputs.map(([t]) => t), ...tileStock, ...trInputs.map(([t]) => t), ...trStock]);
  });
});
