/**
 * One-dimensional optimal transport between discrete measures.
 *
 * W_p^p(μ, ν) = ∫₀¹ |F_μ⁻¹(t) − F_ν⁻¹(t)|^p dt, evaluated exactly on the union of both CDFs' jumps
 * (Peyré & Cuturi, *Computational Optimal Transport*, 2019, Remark 2.30; the same algorithm as
 * POT's `ot.wasserstein_1d`, which also returns W_p^p).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import { quantileRows } from './quantile.js';
import { gatherRows, sortRows, argsortRows } from './sort.js';
import type { TensorLike, ValidationLevel } from './types.js';
import { checkFinite, checkNumber, toFloatTensor, toWeights } from './validate.js';

export interface Wasserstein1dOptions {
  /** Ground-cost exponent p ≥ 1 (default 1, as POT). */
  p?: number;
  /** Weights of `u`: `[n]` (shared by all columns) or `[n, k]`; uniform when omitted. */
  uWeights?: TensorLike;
  /** Weights of `v`: `[m]` or `[m, k]`; uniform when omitted. */
  vWeights?: TensorLike;
  /** `'full'` (default) also checks NaN/Inf and weight sums; `'shapes'` skips data reads. */
  validate?: ValidationLevel;
}

/** |d|^p with cheap special cases. */
export function powAbs(d: tf.Tensor, p: number): tf.Tensor {
  if (p === 1) return tf.abs(d);
  if (p === 2) return tf.square(d);
  return tf.tidy(() => tf.pow(tf.abs(d), p));
}

/**
 * W_p^p between the rows of `u` `[k, n]` and `v` `[k, m]` (each row one 1D measure), uniform
 * weights unless given as `[k, n]` / `[k, m]`. Returns `[k]`. No validation: the building block
 * used by {@link wasserstein1d} and the sliced distances.
 */
export function wasserstein1dRows(u: tf.Tensor2D, v: tf.Tensor2D, p: number, uW?: tf.Tensor2D, vW?: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [k, n] = u.shape;
    const m = v.shape[1];
    if (uW === undefined && vW === undefined && n === m) {
      // Equal sizes, uniform weights: the sorted samples are matched one to one.
      return tf.mean(powAbs(tf.sub(sortRows(u), sortRows(v)), p), 1) as tf.Tensor1D;
    }
    const cdf = (x: tf.Tensor2D, w: tf.Tensor2D | undefined, size: number) => {
      const { indices } = argsortRows(x);
      const sorted = gatherRows(x, indices);
      const ws = w === undefined ? tf.fill([k, size], 1 / size) : gatherRows(w, indices);
      const cws = tf.cumsum(ws, 1) as tf.Tensor2D;
      // Pin the last level to exactly 1 so rounding in the cumulative sum cannot drop a tail.
      const fixed = tf.concat([tf.slice(cws, [0, 0], [k, size - 1]), tf.ones([k, 1])], 1) as tf.Tensor2D;
      return { sorted, cws: fixed };
    };
    const U = cdf(u, uW, n);
    const V = cdf(v, vW, m);
    const qs = tf.tidy(() => argsortRows(tf.concat([U.cws, V.cws], 1) as tf.Tensor2D).values);
    const uq = quantileRows(qs, U.cws, U.sorted);
    const vq = quantileRows(qs, V.cws, V.sorted);
    const prev = tf.concat([tf.zeros([k, 1]), tf.slice(qs, [0, 0], [k, n + m - 1])], 1);
    const delta = tf.sub(qs, prev);
    return tf.sum(tf.mul(delta, powAbs(tf.sub(uq, vq), p)), 1) as tf.Tensor1D;
  });
}

/**
 * W_p^p between 1D discrete measures: the same value as POT's `ot.wasserstein_1d(u, v, uw, vw, p)`.
 * Differentiable w.r.t. `u` and `v` (through the sort permutation).
 *
 * @param u - support of μ: `[n]`, or `[n, k]` for k measures (one per column)
 * @param v - support of ν: `[m]` or `[m, k]`; n ≠ m allowed
 * @returns W_p^p: a scalar for 1D inputs, `[k]` for batched inputs
 * @throws OTError `INVALID_SHAPE`, `SHAPE_MISMATCH`, `EMPTY_INPUT`, `NON_FINITE`, `INVALID_WEIGHTS`, `INVALID_ARGUMENT` (p < 1)
 * @example
 * ```ts
 * const w = wasserstein1d(tf.tensor1d([0, 1, 3]), tf.tensor1d([5, 6]), { p: 2 }); // W_2^2
 * ```
 */
export function wasserstein1d(u: TensorLike, v: TensorLike, options: Wasserstein1dOptions = {}): tf.Tensor {
  const p = checkNumber(options.p ?? 1, 'p', (x) => x >= 1, 'a finite number ≥ 1');
  return tf.tidy(() => {
    const U = toFloatTensor(u, 'u', [1, 2]);
    const V = toFloatTensor(v, 'v', [1, 2]);
    if (U.rank !== V.rank) {
      throw new OTError('SHAPE_MISMATCH', `u and v must have the same rank, got [${U.shape}] and [${V.shape}]`);
    }
    const batched = U.rank === 2;
    const k = batched ? (U.shape[1] as number) : 1;
    if (batched && V.shape[1] !== k) {
      throw new OTError('SHAPE_MISMATCH', `u [n, k] and v [m, k] need the same k, got ${k} and ${V.shape[1]}`);
    }
    checkFinite(U, 'u', options.validate);
    checkFinite(V, 'v', options.validate);
    const n = U.shape[0] as number;
    const m = V.shape[0] as number;
    const rows = (t: tf.Tensor, size: number) => (batched ? tf.transpose(t) : tf.reshape(t, [1, size])) as tf.Tensor2D;
    const weights = (w: TensorLike | undefined, size: number, name: string) => {
      if (w === undefined) return undefined;
      const t = toWeights(w, size, name, { level: options.validate, allowBatched: k });
      return (t.rank === 1 ? tf.tile(tf.reshape(t, [1, size]), [k, 1]) : tf.transpose(t)) as tf.Tensor2D;
    };
    const res = wasserstein1dRows(rows(U, n), rows(V, m), p, weights(options.uWeights, n, 'uWeights'), weights(options.vWeights, m, 'vWeights'));
    return batched ? res : tf.reshape(res, []);
  });
}
