/**
 * Kernel Inception Distance of Bińkowski, Sutherland, Arbel, Gretton, *Demystifying MMD GANs*,
 * ICLR 2018: the unbiased estimator of MMD² with the polynomial kernel
 * k(x, y) = (xᵀy / d + 1)³, averaged over `subsets` random subsets of `subsetSize` samples drawn
 * without replacement from each set — torch-fidelity's `kid` maths (defaults 100 × 1000).
 *
 * Gram matrices are computed with tfjs (float32 matMul); the cubes and sums are in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Seed } from '@ot/core';
import { summarize, type ScoreSummary } from './inception-score.js';

export interface KidOptions {
  /** Number of random subsets (default 100). */
  subsets?: number;
  /** Samples per subset, taken from each set (default 1000; must not exceed either set). */
  subsetSize?: number;
  /** Seed for the subsets. */
  seed?: Seed;
}

/** Features of N samples: a `[N, d]` tensor (float32). */
function gramSum(a: tf.Tensor2D, b: tf.Tensor2D, d: number, skipDiagonal: boolean): number {
  const g = tf.tidy(() => tf.matMul(a, tf.transpose(b)));
  const v = g.dataSync();
  g.dispose();
  const m = a.shape[0];
  let s = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < b.shape[0]; j++) {
      if (skipDiagonal && i === j) continue;
      const k = v[i * b.shape[0] + j]! / d + 1;
      s += k * k * k;
    }
  }
  return s;
}

/**
 * KID from features `[N1, d]` and `[N2, d]`.
 *
 * @returns mean and (population) standard deviation of the unbiased MMD² over the subsets
 * @example
 * ```ts
 * const { mean, std } = kernelInceptionDistance(realFeats, fakeFeats, { subsets: 100, subsetSize: 1000, seed: 0 });
 * ```
 */
export function kernelInceptionDistance(x: tf.Tensor2D, y: tf.Tensor2D, options: KidOptions = {}): ScoreSummary {
  for (const [t, name] of [[x, 'x'], [y, 'y']] as const) {
    if (!(t instanceof tf.Tensor) || t.rank !== 2) throw new OTError('INVALID_SHAPE', `${name} must be a [N, d] tensor of features`);
    if (t.size === 0) throw new OTError('EMPTY_INPUT', `${name} is empty`);
  }
  const d = x.shape[1];
  if (y.shape[1] !== d) throw new OTError('SHAPE_MISMATCH', `feature dimensions differ: ${d} ≠ ${y.shape[1]}`);
  const subsets = checkInteger(options.subsets ?? 100, 'subsets');
  const m = checkInteger(options.subsetSize ?? 1000, 'subsetSize', 2);
  if (m > x.shape[0] || m > y.shape[0]) {
    throw new OTError('INVALID_ARGUMENT', `subsetSize ${m} exceeds the number of samples (${x.shape[0]} and ${y.shape[0]}); pass a smaller subsetSize`);
  }
  const finite = tf.tidy(() => tf.logicalAnd(tf.all(tf.isFinite(x)), tf.all(tf.isFinite(y))));
  const ok = finite.dataSync()[0] === 1;
  finite.dispose();
  if (!ok) throw new OTError('NON_FINITE', 'features contain NaN or Infinity');
  const rng = toRng(options.seed);
  const choose = (n: number): Int32Array => {
    // partial Fisher–Yates: m distinct indices
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < m; i++) {
      const j = i + rng.int(n - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return idx.slice(0, m);
  };
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const ix = choose(x.shape[0]);
    const iy = choose(y.shape[0]);
    const [xs, ys] = tf.tidy(() => [tf.gather(x, tf.tensor1d(ix, 'int32')), tf.gather(y, tf.tensor1d(iy, 'int32'))]) as [tf.Tensor2D, tf.Tensor2D];
    const kxx = gramSum(xs, xs, d, true);
    const kyy = gramSum(ys, ys, d, true);
    const kxy = gramSum(xs, ys, d, false);
    tf.dispose([xs, ys]);
    values.push((kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m));
  }
  return summarize(values);
}
