/**
 * Bad input: every case throws an OTError with its stable code (and leaks no tensor while
 * throwing). Leaks: every public tensor function, forward and (where differentiable) backward,
 * leaves the number of live tensors unchanged once its outputs are disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import {
  argsortRows,
  checkBoolean,
  checkDirections,
  checkFinite,
  costChunks,
  createRng,
  emd,
  emd1d,
  gatherRows,
  gaussianMap,
  gaussianW2,
  inverseSqrtm,
  orthogonalDirections,
  permutation,
  pnormCost,
  powAbs,
  project,
  quantileFunction,
  quantileRows,
  randomDirections,
  randomNormal,
  randomUniform,
  setValidationLevel,
  sortRows,
  sqeuclideanBlock,
  sqeuclideanCost,
  sqrtm,
  symmetricEigen,
  toPointCloud,
  toWeights,
  wasserstein1d,
  wasserstein1dRows,
  type OTErrorCode,
} from '@ot/core';
import { expectOTError } from './helpers.js';

describeWithBackends('bad input → OTError code', () => {
  const u = () => tf.tensor1d([0, 1, 2]);
  const cases: [string, () => unknown, OTErrorCode][] = [
    // wasserstein1d
    ['wasserstein1d: rank-3 u', () => wasserstein1d(tf.zeros([2, 2, 2]), u()), 'INVALID_SHAPE'],
    ['wasserstein1d: [n] against [m, k]', () => wasserstein1d(u(), tf.zeros([3, 2])), 'SHAPE_MISMATCH'],
    ['wasserstein1d: batched k mismatch', () => wasserstein1d(tf.zeros([3, 2]), tf.zeros([3, 4])), 'SHAPE_MISMATCH'],
    ['wasserstein1d: empty u', () => wasserstein1d(tf.tensor1d([]), u()), 'EMPTY_INPUT'],
    ['wasserstein1d: NaN in u', () => wasserstein1d([0, NaN, 1], u()), 'NON_FINITE'],
    ['wasserstein1d: Infinity in v', () => wasserstein1d(u(), [0, Infinity]), 'NON_FINITE'],
    ['wasserstein1d: negative weights', () => wasserstein1d(u(), u(), { uWeights: [0.5, 0.7, -0.2] }), 'INVALID_WEIGHTS'],
    ['wasserstein1d: weights not summing to 1', () => wasserstein1d(u(), u(), { vWeights: [0.2, 0.2, 0.2] }), 'INVALID_WEIGHTS'],
    ['wasserstein1d: weights of the wrong length', () => wasserstein1d(u(), u(), { uWeights: [0.5, 0.5] }), 'SHAPE_MISMATCH'],
    ['wasserstein1d: NaN weights', () => wasserstein1d(u(), u(), { uWeights: [NaN, 0.5, 0.5] }), 'NON_FINITE'],
    ['wasserstein1d: p < 1', () => wasserstein1d(u(), u(), { p: 0.5 }), 'INVALID_ARGUMENT'],
    ['wasserstein1d: p = NaN', () => wasserstein1d(u(), u(), { p: NaN }), 'INVALID_ARGUMENT'],
    ['wasserstein1d: int32 tensor', () => wasserstein1d(tf.tensor1d([1, 2], 'int32'), u()), 'INVALID_DTYPE'],
    [
      'wasserstein1d: disposed tensor',
      () => {
        const t = u();
        t.dispose();
        return wasserstein1d(t, u());
      },
      'DISPOSED',
    ],
    ['wasserstein1d: ragged array', () => wasserstein1d([[1, 2], [3]] as unknown as number[][], u()), 'INVALID_SHAPE'],
    ['wasserstein1d: string input', () => wasserstein1d('abc' as unknown as number[], u()), 'INVALID_ARGUMENT'],
    // quantile
    ['quantileFunction: cws and xs shapes differ', () => quantileFunction(tf.tensor1d([0.5]), tf.tensor1d([0.5, 1]), tf.tensor1d([1, 2, 3])), 'SHAPE_MISMATCH'],
    // projections
    ['randomDirections: L = 0', () => randomDirections(3, 0), 'INVALID_ARGUMENT'],
    ['randomDirections: L = −2', () => randomDirections(3, -2), 'INVALID_ARGUMENT'],
    ['randomDirections: non-integer d', () => randomDirections(2.5, 4), 'INVALID_ARGUMENT'],
    ['orthogonalDirections: d = 0', () => orthogonalDirections(0, 4), 'INVALID_ARGUMENT'],
    ['project: dims mismatch', () => project(tf.zeros([4, 3]), tf.zeros([2, 5])), 'SHAPE_MISMATCH'],
    ['project: rank-1 x', () => project(tf.zeros([4]), tf.zeros([4, 5])), 'INVALID_SHAPE'],
    ['checkDirections: not unit norm', () => checkDirections([[2, 0], [0, 1]], 2), 'INVALID_ARGUMENT'],
    ['checkDirections: wrong d', () => checkDirections([[1, 0], [0, 1]], 3), 'SHAPE_MISMATCH'],
    // costs
    ['sqeuclideanCost: d mismatch', () => sqeuclideanCost(tf.zeros([3, 2]), tf.zeros([4, 3])), 'SHAPE_MISMATCH'],
    ['sqeuclideanCost: maxChunkElements = 0', () => sqeuclideanCost(tf.zeros([3, 2]), tf.zeros([4, 2]), { maxChunkElements: 0 }), 'INVALID_ARGUMENT'],
    ['pnormCost: p = 0', () => pnormCost(tf.zeros([3, 2]), tf.zeros([4, 2]), 0), 'INVALID_ARGUMENT'],
    ['sqeuclideanCost: NaN in y', () => sqeuclideanCost([[0, 0]], [[NaN, 1]]), 'NON_FINITE'],
    // linear algebra
    ['sqrtm: non-symmetric', () => sqrtm([[1, 2], [0, 1]]), 'NOT_POSITIVE_DEFINITE'],
    ['sqrtm: negative definite', () => sqrtm([[-1, 0], [0, -2]]), 'NOT_POSITIVE_DEFINITE'],
    ['sqrtm: indefinite', () => sqrtm([[1, 2], [2, 1]]), 'NOT_POSITIVE_DEFINITE'],
    ['sqrtm: non-square', () => sqrtm([[1, 2, 3], [4, 5, 6]]), 'INVALID_SHAPE'],
    ['sqrtm: NaN entry', () => sqrtm([[1, NaN], [NaN, 1]]), 'NON_FINITE'],
    ['sqrtm: empty', () => sqrtm([]), 'EMPTY_INPUT'],
    ['sqrtm: int32 tensor', () => sqrtm(tf.tensor2d([[1, 0], [0, 1]], undefined, 'int32')), 'INVALID_DTYPE'],
    ['sqrtm: Float64Matrix with wrong data length', () => sqrtm({ rows: 2, cols: 2, data: new Float64Array(3) }), 'INVALID_SHAPE'],
    ['inverseSqrtm: singular', () => inverseSqrtm([[1, 1], [1, 1]]), 'NOT_POSITIVE_DEFINITE'],
    ['symmetricEigen: flat array', () => symmetricEigen([1, 2, 3, 4] as unknown as number[][]), 'INVALID_SHAPE'],
    // Gaussians
    ['gaussianW2: mean lengths differ', () => gaussianW2([0, 0], [[1, 0], [0, 1]], [0], [[1]]), 'SHAPE_MISMATCH'],
    ['gaussianW2: covariance size ≠ mean length', () => gaussianW2([0, 0], [[1]], [0, 0], [[1, 0], [0, 1]]), 'SHAPE_MISMATCH'],
    ['gaussianW2: S2 not PSD', () => gaussianW2([0, 0], [[1, 0], [0, 1]], [0, 0], [[1, 0], [0, -1]]), 'NOT_POSITIVE_DEFINITE'],
    ['gaussianMap: singular S1', () => gaussianMap([0, 0], [[1, 0], [0, 0]], [0, 0], [[1, 0], [0, 1]]), 'NOT_POSITIVE_DEFINITE'],
    ['gaussianMap.apply: wrong d', () => gaussianMap([0], [[1]], [1], [[2]]).apply(tf.zeros([3, 2])), 'SHAPE_MISMATCH'],
    // exact OT
    ['emd: a length ≠ rows of M', () => emd([0.5, 0.5], [1], [[1], [2], [3]]), 'SHAPE_MISMATCH'],
    ['emd: negative weight', () => emd([1.5, -0.5], [1], [[1], [2]]), 'INVALID_WEIGHTS'],
    ['emd: b not normalized', () => emd([0.5, 0.5], [0.5, 0.2], [[1, 2], [2, 1]]), 'INVALID_WEIGHTS'],
    ['emd: NaN in M', () => emd(undefined, undefined, [[1, NaN], [2, 1]]), 'NON_FINITE'],
    ['emd: maxIter = 0', () => emd(undefined, undefined, [[1, 2], [2, 1]], { maxIter: 0 }), 'INVALID_ARGUMENT'],
    ['emd: maxIter too small', () => emd(undefined, undefined, [[1, 2, 3], [2, 1, 0], [0, 4, 1]], { maxIter: 1 }), 'NOT_CONVERGED'],
    ['emd: rank-1 M', () => emd(undefined, undefined, tf.tensor1d([1, 2])), 'INVALID_SHAPE'],
    ['emd1d: p < 1', () => emd1d([0, 1], [1, 2], { p: 0.9 }), 'INVALID_ARGUMENT'],
    ['emd1d: 2D u', () => emd1d([[0, 1]] as unknown as number[], [1, 2]), 'INVALID_SHAPE'],
    ['emd1d: empty v', () => emd1d([0, 1], []), 'EMPTY_INPUT'],
    // validation helpers, RNG
    ['toWeights: not summing to 1', () => toWeights([0.3, 0.3], 2, 'w'), 'INVALID_WEIGHTS'],
    ['toPointCloud: rank 1', () => toPointCloud([1, 2, 3], 'x'), 'INVALID_SHAPE'],
    ['checkFinite: Inf', () => checkFinite(tf.tensor1d([1, Infinity]), 'x'), 'NON_FINITE'],
    ['checkBoolean: a number', () => checkBoolean(1, 'flag'), 'INVALID_ARGUMENT'],
    ['setValidationLevel: unknown level', () => setValidationLevel('some' as 'full'), 'INVALID_ARGUMENT'],
    ['createRng: non-integer seed', () => createRng(1.5), 'INVALID_ARGUMENT'],
    ['createRng: malformed state', () => createRng({ kind: 'mt', s: [1, 2, 3, 4] } as unknown as number), 'INVALID_ARGUMENT'],
    ['permutation: negative n', () => permutation(-1, 0), 'INVALID_ARGUMENT'],
    ['Rng.int: n = 0', () => createRng(0).int(0), 'INVALID_ARGUMENT'],
  ];

  it(`has at least 20 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, fn, code] of cases) {
    it(`${name} → ${code}`, () => {
      // Inputs are built inside the scope, so they are disposed with it; what is checked is that
      // the failing call itself leaves nothing behind.
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        expectOTError(fn, code);
      });
      expect(tf.memory().numTensors - before, 'tensors leaked while throwing').toBe(0);
    });
  }
});

describeWithBackends('no public function leaks tensors', () => {
  it('tensor-valued functions (forward)', async () => {
    const x = tf.tensor2d([[0.3, 1], [2, -1], [0.5, 0.2]]);
    const y = tf.tensor2d([[1, 1], [0, 0.5]]);
    const v1 = tf.tensor1d([0.1, 0.9, -2, 3]);
    const v2 = tf.tensor1d([1, 0.5, 2]);
    const rows = tf.tensor2d([[3, 1, 2], [0, -1, 5]]);
    const idx = tf.tensor2d([[0, 2], [1, 1]], undefined, 'int32');
    const S = tf.tensor2d([[2, 0.3], [0.3, 1]]);
    const [q1, c1, x1] = [tf.tensor1d([0.2, 0.9]), tf.tensor1d([0.5, 1]), tf.tensor1d([-1, 1])];
    const [q2, c2, x2] = [tf.tensor2d([[0.2], [0.9]]), tf.tensor2d([[0.5, 1], [0.3, 1]]), tf.tensor2d([[1, 2], [3, 4]])];
    const dirs = randomDirections(2, 3, { seed: 2 });
    const m0 = tf.tensor1d([0, 0]);
    const inputs = [x, y, v1, v2, rows, idx, S, q1, c1, x1, q2, c2, x2, dirs, m0];
    await expectNoLeakedTensors(() => {
      const outs: tf.Tensor[] = [
        wasserstein1d(v1, v2, { p: 2, vWeights: [0.2, 0.3, 0.5] }),
        wasserstein1d([0, 1], [2, 3]),
        wasserstein1dRows(rows, rows, 1.5),
        quantileFunction(q1, c1, x1),
        quantileRows(q2, c2, x2),
        sortRows(rows),
        gatherRows(rows, idx),
        ...Object.values(argsortRows(rows)),
        powAbs(v1, 1.5),
        randomDirections(2, 5, { seed: 1 }),
        orthogonalDirections(2, 5, { seed: 1 }),
        project(x, dirs),
        sqeuclideanCost(x, y, { maxChunkElements: 2 }),
        pnormCost(x, y, 1.5),
        sqeuclideanBlock(x, y),
        randomNormal([3], 1),
        randomUniform([3], 1),
        sqrtm(S),
        inverseSqrtm(S),
        emd(undefined, undefined, [[0, 1], [1, 0]]).plan,
        gaussianMap([0, 0], S, [1, 1], [[1, 0], [0, 1]]).apply(x),
      ];
      for (const { cost } of costChunks(x, y, { maxChunkElements: 2 })) outs.push(cost);
      tf.dispose(outs);
      // Host functions that read tensors.
      emd1d(v1, v2, { p: 2 });
      symmetricEigen(S);
      gaussianW2(m0, S, [1, 1], S);
      checkDirections(randomDirections(2, 3, { seed: 3 }), 2).dispose();
    });
    tf.dispose(inputs);
  });

  it('differentiable functions (backward)', async () => {
    const v1 = tf.tensor1d([0.1, 0.9, -2, 3]);
    const v2 = tf.tensor1d([1, 0.5, 2]);
    const rows = tf.tensor2d([[3, 1, 2], [0, -1, 5]]);
    const idx = tf.tensor2d([[0, 2], [1, 1]], undefined, 'int32');
    const x = tf.tensor2d([[0.3, 1], [2, -1], [0.5, 0.2]]);
    const y = tf.tensor2d([[1, 1], [0, 0.5]]);
    const dirs = randomDirections(2, 4, { seed: 4 });
    await expectNoLeakedTensors(() => {
      const gs: tf.Tensor[] = [
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => wasserstein1d(a, b, { p: 3, uWeights: [0.1, 0.2, 0.3, 0.4] }))([v1, v2]),
        tf.grad((a: tf.Tensor) => tf.sum(sortRows(a as tf.Tensor2D)))(rows),
        tf.grad((a: tf.Tensor) => tf.sum(gatherRows(a as tf.Tensor2D, idx)))(rows),
        tf.grad((a: tf.Tensor) => tf.sum(project(a, dirs)))(x),
        tf.grad((a: tf.Tensor) => tf.sum(sqeuclideanCost(a, y, { maxChunkElements: 2 })))(x),
        tf.grad((a: tf.Tensor) => tf.sum(wasserstein1d(project(a, dirs), project(y, dirs), { p: 2 })))(x),
      ];
      tf.dispose(gs);
    });
    tf.dispose([v1, v2, rows, idx, x, y, dirs]);
  });
});
