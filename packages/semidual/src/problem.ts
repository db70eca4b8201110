/**
 * The data of a semi-dual (regularized) OT problem: a source μ — a discrete measure (points and
 * weights) or a sampler — and a prepared discrete target ν, with λ and the cost. Solvers
 * ({@link asgd}, {@link adam}) take a problem; the problem holds no potential.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkFinite, checkInteger, toFloatTensor, toWeights, type Rng, type TensorLike, type ValidationLevel } from '@ot/core';
import { checkLambda } from './c-transform.js';
import { SemiDualTarget, type SemiDualCost } from './target.js';

/** Draws `batchSize` source samples `[batchSize, d]` (the caller disposes them). */
export type SourceSampler = (batchSize: number, rng: Rng) => tf.Tensor2D;

export interface SemiDualProblemOptions {
  /** Source μ: points `[n, d]` (a discrete measure) or a sampler of a continuous one. */
  source: TensorLike | SourceSampler;
  /** Weights of a discrete source `[n]` (uniform by default). */
  sourceWeights?: TensorLike;
  /** Target ν: support `[J, d]` or a prepared {@link SemiDualTarget} (then not disposed by the problem). */
  target: TensorLike | SemiDualTarget;
  /** Target weights `[J]` (uniform by default; ignored for a prepared target). */
  targetWeights?: TensorLike;
  /** Regularization λ ≥ 0 (default 0). */
  lambda?: number;
  /** Cost (ignored for a prepared target). */
  cost?: SemiDualCost;
  /** Explicit cost divisor (ignored for a prepared target). */
  costScale?: number;
  /** Rows of Y per chunk (ignored for a prepared target). */
  chunkSize?: number;
  validate?: ValidationLevel;
}

/** A semi-dual OT problem. Call `dispose()` when done. */
export interface SemiDualProblem {
  readonly target: SemiDualTarget;
  readonly lambda: number;
  readonly dim: number;
  /** Discrete source points `[n, d]`, or undefined for a sampler. */
  readonly sourcePoints: tf.Tensor2D | undefined;
  /** Discrete source weights `[n]` (uniform when created without weights). */
  readonly sourceWeights: tf.Tensor1D | undefined;
  /** A batch of source samples (i.i.d. from μ) `[batchSize, d]`. */
  sample(batchSize: number, rng: Rng): tf.Tensor2D;
  dispose(): void;
}

/** Inverse-CDF sampling of indices from a probability vector. */
function sampleIndices(cdf: Float64Array, count: number, rng: Rng): Int32Array {
  const out = new Int32Array(count);
  const n = cdf.length;
  for (let k = 0; k < count; k++) {
    const u = rng.next() * (cdf[n - 1] as number);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    out[k] = lo;
  }
  return out;
}

/**
 * Builds a {@link SemiDualProblem}.
 *
 * @example
 * ```ts
 * const problem = semiDualProblem({
 *   source: (b, rng) => randomNormal([b, 784], rng) as tf.Tensor2D,
 *   target: mnistImages, // [60000, 784]
 *   lambda: 0.01,
 *   cost: 'normalized-sqeuclidean',
 * });
 * ```
 */
export function semiDualProblem(options: SemiDualProblemOptions): SemiDualProblem {
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'semiDualProblem needs an options object');
  const lambda = checkLambda(options.lambda);
  const ownsTarget = !(options.target instanceof SemiDualTarget);
  const target =
    options.target instanceof SemiDualTarget
      ? options.target
      : new SemiDualTarget(options.target, {
          nu: options.targetWeights,
          cost: options.cost,
          costScale: options.costScale,
          chunkSize: options.chunkSize,
          validate: options.validate,
        });
  target.assertAlive();
  let points: tf.Tensor2D | undefined;
  let weights: tf.Tensor1D | undefined;
  let cdf: Float64Array | undefined;
  let sampler: SourceSampler | undefined;
  try {
    if (typeof options.source === 'function') {
      sampler = options.source;
      if (options.sourceWeights !== undefined) throw new OTError('INVALID_ARGUMENT', 'sourceWeights only apply to a discrete source');
    } else {
      const src = options.source;
      [points, weights] = tf.tidy(() => {
        const X = toFloatTensor(src, 'source', 2) as tf.Tensor2D;
        checkFinite(X, 'source', options.validate);
        if (X.shape[1] !== target.dim) {
          throw new OTError('SHAPE_MISMATCH', `source [n, d] and target [J, d] need the same d, got ${X.shape[1]} and ${target.dim}`);
        }
        const n = X.shape[0];
        const w = options.sourceWeights === undefined ? tf.fill([n], 1 / n) : toWeights(options.sourceWeights, n, 'sourceWeights', { level: options.validate });
        return [tf.clone(X), tf.clone(w)] as [tf.Tensor2D, tf.Tensor1D];
      });
      const wv = weights.dataSync();
      cdf = new Float64Array(wv.length);
      let acc = 0;
      wv.forEach((v, i) => {
        acc += v;
        (cdf as Float64Array)[i] = acc;
      });
    }
  } catch (e) {
    if (ownsTarget) target.dispose();
    throw e;
  }
  let disposed = false;
  const dim = target.dim;
  return Object.freeze({
    target,
    lambda,
    dim,
    sourcePoints: points,
    sourceWeights: weights,
    sample(batchSize: number, rng: Rng): tf.Tensor2D {
      if (disposed) throw new OTError('DISPOSED', 'this SemiDualProblem was disposed');
      checkInteger(batchSize, 'batchSize', 1);
      if (sampler !== undefined) {
        const x = sampler(batchSize, rng);
        if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[0] !== batchSize || x.shape[1] !== dim || x.dtype !== 'float32') {
          const shape = x instanceof tf.Tensor ? `[${x.shape.join(', ')}] ${x.dtype}` : String(x);
          if (x instanceof tf.Tensor) x.dispose();
          throw new OTError('INVALID_SHAPE', `the source sampler must return a float32 [${batchSize}, ${dim}] tensor, got ${shape}`);
        }
        return x;
      }
      const idx = sampleIndices(cdf as Float64Array, batchSize, rng);
      return tf.tidy(() => tf.gather(points as tf.Tensor2D, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      tf.dispose([points, weights] as tf.Tensor[]);
      if (ownsTarget) target.dispose();
    },
  });
}
