/**
 * Differentiable sorting along the last axis. tfjs has no gradient for TopK, so the forward pass
 * sorts with `topk` and the backward pass scatters the incoming gradient back through the sort
 * permutation (flat indices, one `scatterND`), never sorting inside the gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad1 } from './custom-grad.js';

/**
 * Flat indices `idx[r, j] + r·n` of a `[k, q]` index matrix into a `[k·n]` vector. The offsets
 * are built in JS and added elementwise: on wasm (`[1000, 4096]`, 2026-11-23) that takes ≈52 ms,
 * where tfjs's int32 Tile + add took ≈440 ms and a broadcast add of a `[k, 1]` column ≈720 ms.
 */
function flatIndices(idx: tf.Tensor2D, n: number): tf.Tensor1D {
  const [k, q] = idx.shape;
  const offsets = new Int32Array(k * q);
  for (let r = 1; r < k; r++) offsets.fill(r * n, r * q, (r + 1) * q);
  return tf.reshape(tf.add(idx, tf.tensor2d(offsets, [k, q], 'int32')), [k * q]) as tf.Tensor1D;
}

/**
 * Gathers `x[r, idx[r, j]]` for each row `r`: `x` `[k, n]`, `idx` `[k, q]` int32 → `[k, q]`.
 * Differentiable w.r.t. `x` (duplicate indices accumulate), without tfjs's gather gradient.
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor2D): tf.Tensor2D {
  const [k, n] = x.shape;
  const q = idx.shape[1];
  const f = customGrad1((xx: tf.Tensor, save: tf.GradSaveFunc) => {
    // Built inside the forward function (which tfjs runs in a tidy scope, cloning what is saved
    // when a tape records), so no index tensor outlives the call.
    const flat = flatIndices(idx, n);
    save([flat]);
    const value = tf.reshape(tf.gather(tf.reshape(xx, [k * n]), flat), [k, q]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.reshape(tf.scatterND(tf.reshape(saved[0] as tf.Tensor, [k * q, 1]), tf.reshape(dy, [k * q]), [k * n]), [k, n]),
    };
  });
  return f(x) as tf.Tensor2D;
}

/** Ascending sort of each row of `x` `[k, n]`: sorted values and the permutation (int32). Not differentiable. */
export function argsortRows(x: tf.Tensor2D): { values: tf.Tensor2D; indices: tf.Tensor2D } {
  return tf.tidy(() => {
    const n = x.shape[1];
    const { values, indices } = tf.topk(tf.neg(x), n, true);
    return { values: tf.neg(values) as tf.Tensor2D, indices: indices as tf.Tensor2D };
  });
}

/**
 * Ascending sort of each row of `x` `[k, n]`, differentiable: the gradient of the sorted values
 * is routed back through the sort permutation.
 */
export function sortRows(x: tf.Tensor2D): tf.Tensor2D {
  const [k, n] = x.shape;
  const f = customGrad1((xx: tf.Tensor, save: tf.GradSaveFunc) => {
    const { values, indices } = tf.topk(tf.neg(xx), n, true);
    const flat = flatIndices(indices as tf.Tensor2D, n);
    indices.dispose();
    save([flat]);
    return {
      value: tf.neg(values),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.reshape(tf.scatterND(tf.reshape(saved[0] as tf.Tensor, [k * n, 1]), tf.reshape(dy, [k * n]), [k * n]), [k, n]),
    };
  });
  return f(x) as tf.Tensor2D;
}
