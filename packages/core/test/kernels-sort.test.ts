/**
 * The sort kernels registered by @ot/core (TopK, Tile and Transpose on cpu and wasm; ScatterNd on
 * cpu) against tfjs's stock cpu kernels: full sorts of random shapes through the bucket, radix and
 * insertion paths, ties, signed zeros and denormals (NaN-free inputs; values and indices must be
 * identical: ties keep index order), the stock fallbacks (k < n, `sorted: false`, int32 inputs,
 * other transpose permutations), `sortRows` and its gradient, scatters with duplicates and
 * slices, tiles of every rank, transposes through both the tiled copy and (wasm, small or flat
 * matrices) the stock kernel; no tensor or backend data left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { isReplacedKernel, registerBackendKernels } from '../src/kernels/index.js';
import { transposeBlocked, useBlockedTranspose } from '../src/kernels/transpose.js';
import { argsortRows, sortRows } from '../src/sort.js';
import { expectMatchesStockCpu, randn } from './kernels-reference.js';

const EXACT = { rtol: 0, atol: 0 };

/** Deterministic pseudo-random integers in [lo, hi). */
function randInts(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo));
  });
}

/** Both outputs of a full descending sort along the last axis. */
function fullTopk(x: tf.Tensor, k?: number, sorted = true): tf.Tensor[] {
  const { values, indices } = tf.topk(x, k ?? (x.shape[x.shape.length - 1] as number), sorted);
  return [values, indices];
}

/** Rows of ties between +0 and -0 (a constant row goes to the radix path, the others to buckets). */
function signedZeros(): tf.Tensor {
  const zeros = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -0 : 0));
  const mixed = Array.from({ length: 40 }, (_, i) => [0, -0, 1, -1, 0.5, -0, 2, 0][i % 8] as number);
  const small = [0, -0, 1, -0, 0, -1, -0, 0];
  return tf.concat([tf.tensor2d([zeros, mixed]), tf.pad(tf.tensor2d([small]), [[0, 0], [0, 32]])]);
}

const SORT_CASES: Array<[string, () => tf.Tensor]> = [
  ['[7, 300] normal (bucket path)', () => randn([7, 300], 1)],
  ['[5, 20] normal (insertion path, n ≤ 32)', () => randn([5, 20], 2)],
  ['[3, 4, 50] rank 3', () => randn([3, 4, 50], 3)],
  ['[2, 1] single column', () => randn([2, 1], 4)],
  ['[1, 2000] one long row', () => randn([1, 2000], 5)],
  ['[3, 500] values in {0..5} (ties, radix fallback)', () => tf.round(tf.mul(tf.randomUniform([3, 500], 0, 1, 'float32', 6), 5))],
  ['[4, 400] normal rounded to 1/20 (ties in buckets)', () => tf.div(tf.round(tf.mul(randn([4, 400], 7), 20)), 20)],
  ['[2, 300] a far outlier (concentrated buckets, radix fallback)', () => tf.concat([randn([2, 299], 8), tf.fill([2, 1], 1e30)], 1)],
  ['[3, 40] signed zeros', signedZeros],
  [
    '[1, 36] ±3e38, denormals, ties',
    () => tf.tensor2d([[0, -0, 1, 1, -1, 3e38, -3e38, 1e-40, -1e-40, 0.5, 0.5, 2, -2, 7, 1, 0, 4, 4, 9, -9, 8, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, -3e38, 3e38, -0, 1e-40]]),
  ],
  ['[6, 33] random integers (many ties, n just above 32)', () => tf.tensor2d(randInts(6 * 33, -4, 4, 9), [6, 33], 'float32')],
];

describeWithBackends('kernels: TopK, ScatterNd, Tile, Transpose', (backend) => {
  it('replaces the kernels this backend needs (ScatterNd on cpu only)', () => {
    expect(registerBackendKernels(backend)).toEqual([]); // idempotent: initBackend registered them
    for (const name of ['TopK', 'Tile', 'Transpose']) expect(isReplacedKernel(name, backend), name).toBe(true);
    expect(isReplacedKernel('ScatterNd', backend)).toBe(backend === 'cpu');
  });

  for (const [name, make] of SORT_CASES) {
    it(`topk full sort ${name}: values and indices identical to the stock cpu kernel`, async () => {
      await expectMatchesStockCpu(backend, () => fullTopk(make()), EXACT);
    });
  }

  it('topk full sort with ±Infinity: non-increasing, a permutation, values at their indices', () => {
    const row = [Infinity, 1, -Infinity, 0, 2, Infinity, -1, ...Array.from({ length: 40 }, (_, i) => i % 7)];
    const x = tf.tensor2d([row, row.map((v) => -v)]);
    const [values, indices] = fullTopk(x) as [tf.Tensor, tf.Tensor];
    const v = values.arraySync() as number[][];
    const ix = indices.arraySync() as number[][];
    const xs = x.arraySync();
    v.forEach((r, i) => {
      for (let j = 1; j < r.length; j++) expect(r[j - 1] as number).toBeGreaterThanOrEqual(r[j] as number);
      expect(new Set(ix[i]).size).toBe(row.length);
      (ix[i] as number[]).forEach((p, j) => expect((xs[i] as number[])[p]).toBe(r[j]));
    });
    tf.dispose([x, values, indices]);
  });

  it('topk stock fallbacks: k < n, sorted = false, int32 inputs, k = 0', async () => {
    await expectMatchesStockCpu(backend, () => fullTopk(randn([4, 50], 10), 5), EXACT);
    await expectMatchesStockCpu(backend, () => fullTopk(randn([3, 40], 11), 1), EXACT);
    await expectMatchesStockCpu(backend, () => fullTopk(tf.tensor2d(randInts(3 * 45, -20, 20, 12), [3, 45], 'int32')), EXACT);
    await expectMatchesStockCpu(backend, () => fullTopk(tf.tensor2d(randInts(2 * 45, -20, 20, 13), [2, 45], 'int32'), 7), EXACT);
    await expectMatchesStockCpu(backend, () => fullTopk(randn([3, 6], 14), 0), EXACT);
  });

  it('sortRows, argsortRows and the sortRows gradient match the stock kernels', async () => {
    await expectMatchesStockCpu(backend, () => {
      const x = tf.div(tf.round(tf.mul(randn([6, 120], 15), 10)), 10) as tf.Tensor2D; // with ties
      const { values, indices } = argsortRows(x);
      const w = randn([6, 120], 16);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(sortRows(t as tf.Tensor2D), w)))(x);
      return [sortRows(x), values, indices, g];
    }, EXACT);
  });

  const scatterCases: Array<[string, number[], number[], number[], tf.DataType]> = [
    // name, indices (flattened), indices shape, output shape, dtype
    ['1D indices into [12] with duplicates', randInts(30, 0, 12, 17), [30, 1], [12], 'float32'],
    ['2D indices into [5, 4] with duplicates', randInts(40, 0, 4, 18).map((v, i) => (i % 2 === 0 ? v : v % 4)), [20, 2], [5, 4], 'float32'],
    ['slices: [6, 1] indices into [7, 3]', randInts(6, 0, 7, 19), [6, 1], [7, 3], 'float32'],
    ['int32 updates', randInts(15, 0, 9, 20), [15, 1], [9, 2], 'int32'],
    ['a permutation of [1000]', Array.from({ length: 1000 }, (_, i) => (i * 367) % 1000), [1000, 1], [1000], 'float32'],
  ];
  for (const [name, idx, idxShape, shape, dtype] of scatterCases) {
    it(`scatterND ${name}`, async () => {
      const count = idxShape[0] as number;
      const updShape = [count, ...shape.slice(idxShape[1] as number)];
      await expectMatchesStockCpu(backend, () => {
        const updates = dtype === 'int32' ? tf.tensor(randInts(updShape.reduce((a, b) => a * b, 1), -9, 9, 21), updShape, 'int32') : randn(updShape, 22);
        return tf.scatterND(tf.tensor(idx, idxShape, 'int32'), updates, shape);
      });
    });
  }

  const tileCases: Array<[string, number[], number[], tf.DataType]> = [
    ['int32 column [3, 1] × [1, 6]', [3, 1], [1, 6], 'int32'],
    ['[2, 2] × [3, 2]', [2, 2], [3, 2], 'float32'],
    ['int32 [2, 1, 3] × [2, 3, 2]', [2, 1, 3], [2, 3, 2], 'int32'],
    ['[3] × [4]', [3], [4], 'float32'],
    ['[2, 3, 1, 2] × [1, 2, 3, 2]', [2, 3, 1, 2], [1, 2, 3, 2], 'float32'],
    ['[4, 5] × [1, 1]', [4, 5], [1, 1], 'float32'],
    ['bool [2, 3] × [2, 2]', [2, 3], [2, 2], 'bool'],
  ];
  for (const [name, shape, reps, dtype] of tileCases) {
    it(`tile ${name}`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      await expectMatchesStockCpu(backend, () => {
        const x = dtype === 'float32' ? randn(shape, 23) : tf.tensor(randInts(size, dtype === 'bool' ? 0 : -9, dtype === 'bool' ? 2 : 9, 24), shape, dtype);
        return tf.tile(x, reps);
      }, EXACT);
    });
  }

  const transposeCases: Array<[string, number[], number[], tf.DataType]> = [
    ['[37, 53]', [37, 53], [1, 0], 'float32'],
    ['int32 [2, 17, 5] last two axes', [2, 17, 5], [0, 2, 1], 'int32'],
    ['[2, 3, 20, 18] last two axes', [2, 3, 20, 18], [0, 1, 3, 2], 'float32'],
    ['[1, 40] row vector', [1, 40], [1, 0], 'float32'],
    ['[300, 70] (tiled on every backend; partial tiles)', [300, 70], [1, 0], 'float32'],
    ['int32 [2, 400, 45] last two axes (tiled on every backend)', [2, 400, 45], [0, 2, 1], 'int32'],
    ['[1000, 8] tall and narrow (stock on wasm)', [1000, 8], [1, 0], 'float32'],
    ['[3, 4, 5] other permutation (stock fallback)', [3, 4, 5], [2, 0, 1], 'float32'],
    ['[3, 4, 5] identity (stock fallback)', [3, 4, 5], [0, 1, 2], 'float32'],
  ];
  it('transpose: the shapes above cover both paths of the kernel', () => {
    expect(useBlockedTranspose(backend, 300, 70)).toBe(true);
    expect(useBlockedTranspose(backend, 400, 45)).toBe(true);
    expect(useBlockedTranspose(backend, 37, 53)).toBe(backend !== 'wasm');
    expect(useBlockedTranspose(backend, 1000, 8)).toBe(backend !== 'wasm');
  });

  for (const [name, shape, perm, dtype] of transposeCases) {
    it(`transpose ${name}`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      await expectMatchesStockCpu(backend, () => {
        const x = dtype === 'int32' ? tf.tensor(randInts(size, -50, 50, 25), shape, 'int32') : randn(shape, 26);
        return tf.transpose(x, perm);
      }, EXACT);
    });
  }
});

it('transposeBlocked: every element lands at its transposed place (tile edges, batches, dtypes)', () => {
  for (const [batch, rows, cols] of [[1, 1, 1], [1, 1, 70], [1, 70, 1], [1, 31, 33], [3, 32, 32], [2, 65, 97]] as const) {
    const n = batch * rows * cols;
    for (const make of [(k: number) => new Float32Array(k), (k: number) => new Int32Array(k), (k: number) => new Uint8Array(k)]) {
      const x = make(n);
      for (let k = 0; k < n; k++) x[k] = (k * 7 + 3) % 251;
      const out = make(n);
      transposeBlocked(x, batch, rows, cols, out);
      let wrong = 0;
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) if (out[b * rows * cols + j * rows + i] !== x[b * rows * cols + i * cols + j]) wrong++;
        }
      }
      expect(wrong, `[${batch}, ${rows}, ${cols}] ${x.constructor.name}`).toBe(0);
    }
  }
});
