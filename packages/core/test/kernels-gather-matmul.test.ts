/**
 * UnsortedSegmentSum (cpu, wasm), GatherV2 and the transposed BatchMatMul/_FusedMatMul (wasm)
 * registered by @ot/core against tfjs's stock cpu kernels: values, gradients, batch dims, all
 * transpose flag combinations and batched/broadcast shapes; no tensor or backend data leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { isReplacedKernel, stockKernel } from '../src/kernels/index.js';
import { expectMatchesStockCpu, randn, STOCK } from './kernels-reference.js';

function ints(values: number[], shape: number[]): tf.Tensor1D {
  return tf.tensor(values, shape as number[], 'int32') as unknown as tf.Tensor1D; // typed as 1D for unsortedSegmentSum; any rank at run time
}

/** Deterministic pseudo-random integers in [lo, hi). */
function randInts(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo));
  });
}

describeWithBackends('kernels: segment sum, gather, matMul', (backend) => {
  it('replaces the kernels this backend needs', () => {
    expect(isReplacedKernel('UnsortedSegmentSum', backend)).toBe(true);
    expect(isReplacedKernel('GatherV2', backend)).toBe(backend === 'wasm');
    expect(isReplacedKernel('BatchMatMul', backend)).toBe(backend === 'wasm');
    // cpu's stock UnsortedSegmentSum exists (slow); wasm has none.
    expect(stockKernel('UnsortedSegmentSum', backend) !== undefined).toBe(backend === 'cpu');
  });

  const segmentCases: Array<[string, number[], number[], number]> = [
    ['x [12], ids [12]', [12], [12], 5],
    ['x [10, 3], ids [10]', [10, 3], [10], 4],
    ['x [3, 4, 2], ids [3, 4]', [3, 4, 2], [3, 4], 6],
    ['x [200, 2], ids [200] (many terms per segment)', [200, 2], [200], 3],
  ];
  for (const [name, xShape, idShape, numSegments] of segmentCases) {
    it(`unsortedSegmentSum ${name}`, async () => {
      const n = idShape.reduce((a, b) => a * b, 1);
      // Include ids out of range (-1, numSegments): dropped, as in TensorFlow.
      const ids = randInts(n, -1, numSegments + 1, n + numSegments);
      await expectMatchesStockCpu(backend, () => {
        const x = randn(xShape, 1);
        if (tf.getBackend() !== STOCK || idShape.length === 1) {
          return tf.unsortedSegmentSum(x, ints(ids, idShape), numSegments);
        }
        // The stock cpu kernel fails on ids of rank > 1: its reference uses flattened ids.
        const flat = tf.reshape(x, [n, ...xShape.slice(idShape.length)]);
        return tf.unsortedSegmentSum(flat, ints(ids, [n]), numSegments);
      });
    });
  }

  it('unsortedSegmentSum of int32 values (int32 out, as in TensorFlow; stock cpu gives float32)', async () => {
    const ids = randInts(9, 0, 4, 3);
    const x = (): tf.Tensor => ints(randInts(18, -5, 5, 4), [9, 2]);
    const mine = tf.unsortedSegmentSum(x(), ints(ids, [9]), 4);
    expect(mine.dtype).toBe('int32');
    mine.dispose();
    await expectMatchesStockCpu(backend, () => tf.cast(tf.unsortedSegmentSum(x(), ints(ids, [9]), 4), 'int32'));
  });

  const gatherCases: Array<[string, number[], number[], number, number, number]> = [
    // name, x shape, indices shape, axis, batchDims, dim size of the gathered axis
    ['axis 0', [7, 3], [5], 0, 0, 7],
    ['axis 1, 2D indices', [4, 6, 2], [3, 2], 1, 0, 6],
    ['last axis', [3, 5], [8], 1, 0, 5],
    ['batchDims 1', [3, 5, 4], [3, 6], 1, 1, 5],
    ['batchDims 1, axis 2', [3, 2, 5, 2], [3, 4], 2, 1, 5],
    ['batchDims 2', [2, 3, 6], [2, 3, 4], 2, 2, 6],
    ['batchDims -1', [4, 6], [4, 3], 1, -1, 6],
  ];
  for (const [name, xShape, idxShape, axis, batchDims, dim] of gatherCases) {
    it(`gather ${name}`, async () => {
      const n = idxShape.reduce((a, b) => a * b, 1);
      const idx = randInts(n, 0, dim, n * 7 + dim);
      await expectMatchesStockCpu(backend, () => tf.gather(randn(xShape, 2), ints(idx, idxShape), axis, batchDims));
    });
  }

  for (const [name, xShape, idxShape, axis, batchDims, dim] of gatherCases.filter((c) => c[4] <= 1 && c[4] >= 0)) {
    it(`gather gradient ${name}`, async () => {
      const n = idxShape.reduce((a, b) => a * b, 1);
      const idx = randInts(n, 0, dim, n * 11 + dim);
      await expectMatchesStockCpu(backend, () => {
        const indices = ints(idx, idxShape);
        const x = randn(xShape, 3);
        const y = tf.gather(x, indices, axis, batchDims);
        return tf.grad((v: tf.Tensor) => tf.gather(v, indices, axis, batchDims))(x, randn(y.shape, 4));
      });
    });
  }

  it('gather rejects an index out of range without leaking', () => {
    const x = randn([4, 3], 5);
    const bad = ints([0, 4], [2]);
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, bad)).toThrow(/index/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, bad]);
  });

  const matCases: Array<[string, number[], number[]]> = [
    ['2D', [5, 7], [7, 4]],
    ['batched 3D', [3, 4, 6], [3, 6, 5]],
    ['broadcast batch', [1, 4, 6], [3, 6, 2]],
    ['rank 4', [2, 2, 3, 5], [2, 2, 5, 4]],
  ];
  for (const [name, aShape, bShape] of matCases) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`matMul ${name}, transposeA ${ta}, transposeB ${tb}${aShape[0] === bShape[0] ? ', and its gradients' : ''}`, async () => {
          const r = aShape.length;
          const swap = (s: number[], t: boolean): number[] =>
            t ? [...s.slice(0, r - 2), s[r - 1] as number, s[r - 2] as number] : s;
          await expectMatchesStockCpu(backend, () => {
            const a = randn(swap(aShape, ta), 6);
            const b = randn(swap(bShape, tb), 7);
            const y = tf.matMul(a, b, ta, tb);
            // tfjs's BatchMatMul gradient does not reduce broadcast batch dims: forward only.
            if (aShape[0] !== bShape[0]) return y;
            const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, ta, tb))([a, b], randn(y.shape, 8));
            return [y, da as tf.Tensor, db as tf.Tensor];
          });
        });
      }
    }
  }

  it('fused matMul with bias and relu, every transpose combination', async () => {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        await expectMatchesStockCpu(backend, () => {
          const a = randn(ta ? [6, 4] : [4, 6], 9) as tf.Tensor2D;
          const b = randn(tb ? [3, 6] : [6, 3], 10) as tf.Tensor2D;
          return tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: randn([3], 11), activation: 'relu' });
        });
      }
    }
  });
});
