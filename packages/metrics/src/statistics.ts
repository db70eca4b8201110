/**
 * Gaussian statistics of features — mean and covariance (`rowvar = False`, unbiased, float64),
 * as `numpy.mean(f, 0)` / `numpy.cov(f, rowvar=False)` in pytorch-fid — accumulated over batches
 * so 50,000 × 2048 features never sit in memory at once (Chan, Golub & LeVeque's pairwise update:
 * each batch is centred on its own mean and merged exactly).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';

/** Mean `[d]` and covariance `[d, d]` (row-major) in float64, from `count` samples. */
export interface GaussianStatistics {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly dim: number;
  /** Number of samples behind the statistics (0 when unknown, e.g. loaded from a file without it). */
  readonly count: number;
}

/** A batch of features: a `[b, d]` tensor, nested arrays, or a flat row-major array with `dim`. */
export type FeatureBatch = tf.Tensor | number[][] | Float32Array | Float64Array;

/**
 * Streaming accumulator of feature mean and covariance (float64). Memory O(d²).
 *
 * @example
 * ```ts
 * const acc = new FeatureStatistics();
 * for await (const f of featureBatches) acc.update(f); // f: [b, 2048]
 * const { mu, sigma } = acc.result();
 * ```
 */
export class FeatureStatistics {
  private n = 0;
  private d: number;
  private mean: Float64Array;
  private m2: Float64Array; // lower triangle of Σ (x − mean)(x − mean)ᵀ, row-major [d, d]

  /** @param dim the feature dimension; inferred from the first batch when omitted. */
  constructor(dim?: number) {
    this.d = dim ?? 0;
    this.mean = new Float64Array(this.d);
    this.m2 = new Float64Array(this.d * this.d);
  }

  /** Number of samples seen. */
  get count(): number {
    return this.n;
  }

  /** Feature dimension (0 before the first batch when not given). */
  get dim(): number {
    return this.d;
  }

  /**
   * Adds a batch of features `[b, d]`. A tensor is read once (not disposed); a flat
   * `Float32Array`/`Float64Array` is taken as row-major with the accumulator's `dim`.
   */
  update(batch: FeatureBatch): this {
    const { data, rows, cols } = toRows(batch, this.d);
    if (this.d === 0) {
      this.d = cols;
      this.mean = new Float64Array(cols);
      this.m2 = new Float64Array(cols * cols);
    }
    if (cols !== this.d) throw new OTError('SHAPE_MISMATCH', `features must have ${this.d} columns, got ${cols}`, { expected: this.d, got: cols });
    if (rows === 0) return this;
    const d = this.d;
    // batch mean and centred, transposed copy [d, b]
    const bm = new Float64Array(d);
    for (let i = 0; i < rows; i++) {
      const r = i * d;
      for (let j = 0; j < d; j++) bm[j] = bm[j]! + (data[r + j]!);
    }
    for (let j = 0; j < d; j++) {
      bm[j] = bm[j]! / rows;
      if (!Number.isFinite(bm[j]!)) throw new OTError('NON_FINITE', 'features contain NaN or Infinity');
    }
    const ct = new Float64Array(d * rows);
    for (let i = 0; i < rows; i++) {
      const r = i * d;
      for (let j = 0; j < d; j++) ct[j * rows + i] = data[r + j]! - bm[j]!;
    }
    // m2 += Ctᵀ-products (lower triangle), 2×2 register blocking
    const m2 = this.m2;
    const b = rows;
    let i = 0;
    for (; i + 1 < d; i += 2) {
      const xi = i * b;
      const xi1 = xi + b;
      let j = 0;
      for (; j + 1 <= i; j += 2) {
        const xj = j * b;
        const xj1 = xj + b;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let k = 0; k < b; k++) {
          const a0 = ct[xi + k]!;
          const a1 = ct[xi1 + k]!;
          const c0 = ct[xj + k]!;
          const c1 = ct[xj1 + k]!;
          s00 += a0 * c0;
          s01 += a0 * c1;
          s10 += a1 * c0;
          s11 += a1 * c1;
        }
        m2[i * d + j] = m2[i * d + j]! + (s00);
        m2[i * d + j + 1] = m2[i * d + j + 1]! + (s01);
        m2[(i + 1) * d + j] = m2[(i + 1) * d + j]! + (s10);
        m2[(i + 1) * d + j + 1] = m2[(i + 1) * d + j + 1]! + (s11);
      }
      // j === i: the 2×2 diagonal block
      let s00 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < b; k++) {
        const a0 = ct[xi + k]!;
        const a1 = ct[xi1 + k]!;
        s00 += a0 * a0;
        s10 += a1 * a0;
        s11 += a1 * a1;
      }
      m2[i * d + i] = m2[i * d + i]! + (s00);
      m2[(i + 1) * d + i] = m2[(i + 1) * d + i]! + (s10);
      m2[(i + 1) * d + i + 1] = m2[(i + 1) * d + i + 1]! + (s11);
    }
    if (i < d) {
      const xi = i * b;
      for (let j = 0; j <= i; j++) {
        const xj = j * b;
        let s = 0;
        for (let k = 0; k < b; k++) s += ct[xi + k]! * ct[xj + k]!;
        m2[i * d + j] = m2[i * d + j]! + (s);
      }
    }
    // merge: mean and the δδᵀ n_a n_b / n term
    const na = this.n;
    const n = na + rows;
    if (na > 0) {
      const delta = new Float64Array(d);
      for (let j = 0; j < d; j++) delta[j] = bm[j]! - this.mean[j]!;
      const f = (na * rows) / n;
      for (let p = 0; p < d; p++) {
        const dp = delta[p]! * f;
        const row = p * d;
        for (let q = 0; q <= p; q++) m2[row + q] = m2[row + q]! + (dp * delta[q]!);
      }
      for (let j = 0; j < d; j++) this.mean[j] = this.mean[j]! + (delta[j]! * rows) / n;
    } else {
      this.mean.set(bm);
    }
    this.n = n;
    return this;
  }

  /** Mean and unbiased covariance (needs ≥ 2 samples). */
  result(): GaussianStatistics {
    if (this.n < 2) throw new OTError('EMPTY_INPUT', `covariance needs at least 2 samples, got ${this.n}`, { count: this.n });
    const d = this.d;
    const sigma = new Float64Array(d * d);
    const inv = 1 / (this.n - 1);
    for (let p = 0; p < d; p++) {
      for (let q = 0; q <= p; q++) {
        const v = this.m2[p * d + q]! * inv;
        sigma[p * d + q] = v;
        sigma[q * d + p] = v;
      }
    }
    return { mu: Float64Array.from(this.mean), sigma, dim: d, count: this.n };
  }
}

function toRows(batch: FeatureBatch, dim: number): { data: ArrayLike<number>; rows: number; cols: number } {
  if (batch instanceof tf.Tensor) {
    if (batch.isDisposed) throw new OTError('DISPOSED', 'features is a disposed tensor');
    if (batch.rank !== 2) throw new OTError('INVALID_SHAPE', `features must be [b, d], got shape [${batch.shape.join(', ')}]`);
    return { data: batch.dataSync() as Float32Array, rows: batch.shape[0] as number, cols: batch.shape[1] as number };
  }
  if (batch instanceof Float32Array || batch instanceof Float64Array) {
    if (dim === 0) throw new OTError('INVALID_ARGUMENT', 'a flat features array needs the accumulator constructed with its dim');
    if (batch.length % dim !== 0) throw new OTError('INVALID_SHAPE', `a flat features array must hold a multiple of ${dim} values, got ${batch.length}`);
    return { data: batch, rows: batch.length / dim, cols: dim };
  }
  if (Array.isArray(batch)) {
    const rows = batch.length;
    if (rows === 0) return { data: [], rows: 0, cols: dim };
    const cols = (batch[0] as number[]).length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = batch[i] as number[];
      if (!Array.isArray(r) || r.length !== cols) throw new OTError('INVALID_SHAPE', `features row ${i} must have ${cols} numbers`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j] as number;
    }
    return { data, rows, cols };
  }
  throw new OTError('INVALID_ARGUMENT', 'features must be a [b, d] tensor, nested arrays or a flat typed array');
}

/**
 * Mean and covariance (rowvar = False, float64) of features `[n, d]` in one call.
 *
 * @example
 * ```ts
 * const { mu, sigma } = featureStatistics(tf.randomNormal([100, 8])); // mu [8], sigma [8·8]
 * ```
 */
export function featureStatistics(features: FeatureBatch, dim?: number): GaussianStatistics {
  return new FeatureStatistics(dim).update(features).result();
}
