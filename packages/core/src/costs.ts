/**
 * Ground-cost matrices between point clouds: squared Euclidean ‖x − y‖² and p-norm ‖x − y‖_2^p,
 * computed in row chunks so that no intermediate larger than a caller-set budget materializes
 * (the full n × m result is the caller's request). For streaming reductions over huge
 * targets, {@link costChunks} yields the chunks one at a time.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad1 } from './custom-grad.js';
import { OTError } from './errors.js';
import type { TensorLike, ValidationLevel } from './types.js';
import { checkFinite, checkNumber, checkPositive, toFloatTensor } from './validate.js';

export interface CostOptions {
  /** Max number of float32 entries of any intermediate (default 2^24 = 64 MiB). */
  maxChunkElements?: number;
  /** `'full'` (default) checks inputs for NaN/Inf. */
  validate?: ValidationLevel;
}

/**
 * Squared Euclidean distances of row blocks, no validation: ‖x‖² + ‖y‖² − 2 x·yᵀ, clamped at 0
 * (rounding can make it slightly negative). `x` `[n, d]`, `y` `[m, d]` → `[n, m]`.
 */
export function sqeuclideanBlock(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true);
    const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, y.shape[0]]);
    const xy = tf.matMul(x, tf.transpose(y));
    return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(xy, 2))) as tf.Tensor2D;
  });
}

/**
 * sq^{p/2} for sq ≥ 0 with the gradient (p/2)·sq^{p/2−1} taken as 0 where sq = 0, so that
 * ‖x − y‖^p is differentiable where x = y (pow(sqrt(·)) gives 0·∞ = NaN there; for p > 1 the true
 * derivative is 0, for p = 1 zero is a subgradient).
 */
const powHalf = (sq: tf.Tensor, p: number): tf.Tensor =>
  customGrad1((s: tf.Tensor, save: tf.GradSaveFunc) => {
    save([s]);
    return {
      value: tf.pow(s, p / 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const t = saved[0] as tf.Tensor;
          const pos = tf.greater(t, 0);
          const safe = tf.where(pos, t, tf.onesLike(t));
          return tf.mul(dy, tf.where(pos, tf.mul(tf.pow(safe, p / 2 - 1), p / 2), tf.zerosLike(t)));
        }),
    };
  })(sq);

function prepare(x: TensorLike, y: TensorLike, opts: CostOptions): [tf.Tensor2D, tf.Tensor2D, number] {
  const X = toFloatTensor(x, 'x', 2) as tf.Tensor2D;
  const Y = toFloatTensor(y, 'y', 2) as tf.Tensor2D;
  if (X.shape[1] !== Y.shape[1]) {
    throw new OTError('SHAPE_MISMATCH', `x [n, d] and y [m, d] need the same d, got ${X.shape[1]} and ${Y.shape[1]}`);
  }
  checkFinite(X, 'x', opts.validate);
  checkFinite(Y, 'y', opts.validate);
  const budget = checkPositive(opts.maxChunkElements ?? 2 ** 24, 'maxChunkElements');
  const m = Y.shape[0];
  const rows = Math.max(1, Math.floor(budget / Math.max(m, X.shape[1])));
  return [X, Y, rows];
}

/**
 * Iterates over row blocks of the cost matrix: yields `{ start, cost }` with `cost` `[rows, m]`
 * (the caller disposes each block). Memory stays within the chunk budget.
 */
export function* costChunks(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  options: CostOptions & { p?: number } = {},
): Generator<{ start: number; cost: tf.Tensor2D }> {
  const [X, Y, rows] = prepare(x, y, options);
  const p = checkNumber(options.p ?? 2, 'p', (v) => v > 0, 'a number > 0');
  const n = X.shape[0];
  for (let start = 0; start < n; start += rows) {
    const size = Math.min(rows, n - start);
    const cost = tf.tidy(() => {
      const block = tf.slice(X, [start, 0], [size, X.shape[1]]);
      const sq = sqeuclideanBlock(block, Y);
      return (p === 2 ? sq : powHalf(sq, p)) as tf.Tensor2D;
    });
    yield { start, cost };
  }
}

function assemble(x: TensorLike, y: TensorLike, p: number, opts: CostOptions): tf.Tensor2D {
  return tf.tidy(() => {
    const [X, Y] = prepare(x, y, opts);
    const blocks: tf.Tensor2D[] = [];
    for (const { cost } of costChunks(X, Y, { ...opts, p, validate: 'shapes' })) blocks.push(cost);
    return (blocks.length === 1 ? blocks[0] : tf.concat(blocks, 0)) as tf.Tensor2D;
  });
}

/**
 * Squared Euclidean cost matrix C_ij = ‖x_i − y_j‖² (POT's `ot.dist(x, y)` default).
 *
 * @param x - `[n, d]`
 * @param y - `[m, d]`
 * @returns `[n, m]`
 * @example
 * ```ts
 * const C = sqeuclideanCost(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]])); // [[25]]
 * ```
 */
export function sqeuclideanCost(x: TensorLike, y: TensorLike, options: CostOptions = {}): tf.Tensor2D {
  return assemble(x, y, 2, options);
}

/**
 * p-norm cost matrix C_ij = ‖x_i − y_j‖₂^p (p > 0; p = 1 is the Euclidean distance).
 *
 * @returns `[n, m]`
 */
export function pnormCost(x: TensorLike, y: TensorLike, p: number, options: CostOptions = {}): tf.Tensor2D {
  checkNumber(p, 'p', (v) => v > 0, 'a number > 0');
  return assemble(x, y, p, options);
}
