/**
 * Quantile functions of discrete 1D measures (the generalized inverse of the CDF), as POT's
 * `ot.lp.solver_1d.quantile_function`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import { gatherRows } from './sort.js';
import { toFloatTensor } from './validate.js';

/**
 * Row-wise quantile function: for each row, `xs[clip(searchsorted_left(cws, qs), 0, n − 1)]`.
 * `qs` `[k, q]`, `cws` `[k, n]` (nondecreasing cumulative weights), `xs` `[k, n]` sorted → `[k, q]`.
 * Differentiable w.r.t. `xs`.
 */
export function quantileRows(qs: tf.Tensor2D, cws: tf.Tensor2D, xs: tf.Tensor2D): tf.Tensor2D {
  const n = xs.shape[1];
  const idx = tf.tidy(() => tf.clipByValue(tf.searchSorted(cws, qs, 'left'), 0, n - 1) as tf.Tensor2D);
  const out = gatherRows(xs, idx);
  idx.dispose();
  return out;
}

/**
 * The quantile function of discrete measures along the first axis, as POT's `quantile_function`.
 *
 * @param qs - levels in [0, 1], `[q]` or `[q, k]`
 * @param cws - cumulative weights, `[n]` or `[n, k]`, nondecreasing along axis 0
 * @param xs - sorted support, same shape as `cws`
 * @returns quantiles `[q]` or `[q, k]`
 * @example
 * ```ts
 * quantileFunction(tf.tensor1d([0.1, 0.6]), tf.tensor1d([0.5, 1]), tf.tensor1d([-1, 2])); // [-1, 2]
 * ```
 */
export function quantileFunction(qs: tf.Tensor, cws: tf.Tensor, xs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const q = toFloatTensor(qs, 'qs', [1, 2]);
    const c = toFloatTensor(cws, 'cws', [1, 2]);
    const x = toFloatTensor(xs, 'xs', [1, 2]);
    if (c.rank !== x.rank || c.shape.join() !== x.shape.join()) {
      throw new OTError('SHAPE_MISMATCH', `cws and xs must have the same shape, got [${c.shape}] and [${x.shape}]`);
    }
    if (q.rank !== x.rank || (q.rank === 2 && q.shape[1] !== x.shape[1])) {
      throw new OTError('SHAPE_MISMATCH', `qs must be [q] for 1D xs or [q, k] for [n, k] xs, got [${q.shape}] and [${x.shape}]`);
    }
    const rows = (t: tf.Tensor) => (t.rank === 1 ? tf.reshape(t, [1, t.shape[0] as number]) : tf.transpose(t)) as tf.Tensor2D;
    const out = quantileRows(rows(q), rows(c), rows(x));
    return q.rank === 1 ? tf.reshape(out, [out.shape[1] as number]) : tf.transpose(out);
  });
}
