/**
 * Quality metrics for transport maps, from Korotin, Li, Genevay, Solomon, Filippov, Burnaev,
 * *Do Neural Optimal Transport Solvers Work? A Continuous Wasserstein-2 Benchmark*, NeurIPS 2021:
 *
 * - L2-UVP(T̂) = 100 · E_P‖T̂(x) − T*(x)‖² / Var(Q), Var(Q) the sum of per-coordinate variances of Q = T*#P;
 * - cos(T̂ − id, T* − id) = ⟨T̂ − id, T* − id⟩_{L²(P)} / (‖T̂ − id‖_{L²(P)} ‖T* − id‖_{L²(P)}).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkPositive, toRng, type Seed } from '@ot/core';

/** A map between point clouds: `[n, d]` → `[n, d]`. */
export type PointMap = (x: tf.Tensor2D) => tf.Tensor2D;
/** Draws `n` samples `[n, d]` of the input measure P. */
export type Sampler = (n: number, seed: Seed) => tf.Tensor2D;

export interface MapMetricOptions {
  /** Number of samples of P (default 16384). */
  n?: number;
  /** Samples per batch (default 4096). */
  batchSize?: number;
  /** Var(Q); estimated from T*(x) on the same samples when omitted. */
  outputVariance?: number;
  /** Seed for the samples of P. */
  seed?: Seed;
}

interface Sums {
  sqErr: number;
  dotHatTrue: number;
  hatNorm: number;
  trueNorm: number;
  sum: Float64Array;
  sumSq: Float64Array;
  count: number;
}

function accumulate(mapHat: PointMap, mapTrue: PointMap, sampler: Sampler, opts: MapMetricOptions): Sums {
  const n = checkInteger(opts.n ?? 16384, 'n', 2);
  const batch = checkInteger(opts.batchSize ?? 4096, 'batchSize');
  const rng = toRng(opts.seed);
  let sums: Sums | undefined;
  for (let done = 0; done < n; done += batch) {
    const b = Math.min(batch, n - done);
    const stats = tf.tidy(() => {
      const x = sampler(b, rng);
      if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[0] !== b) {
        throw new OTError('INVALID_SHAPE', `the sampler must return [${b}, d] samples, got ${x instanceof tf.Tensor ? `[${x.shape}]` : typeof x}`);
      }
      const th = mapHat(x);
      const tt = mapTrue(x);
      if (th.shape.join() !== x.shape.join() || tt.shape.join() !== x.shape.join()) {
        throw new OTError('SHAPE_MISMATCH', `maps must return [${x.shape}], got [${th.shape}] and [${tt.shape}]`);
      }
      const dh = tf.sub(th, x);
      const dt = tf.sub(tt, x);
      return [
        tf.sum(tf.square(tf.sub(th, tt))),
        tf.sum(tf.mul(dh, dt)),
        tf.sum(tf.square(dh)),
        tf.sum(tf.square(dt)),
        tf.sum(tt, 0),
        tf.sum(tf.square(tt), 0),
      ];
    });
    const v = stats.map((t) => Float64Array.from(t.dataSync()));
    tf.dispose(stats);
    const d = (v[4] as Float64Array).length;
    sums ??= { sqErr: 0, dotHatTrue: 0, hatNorm: 0, trueNorm: 0, sum: new Float64Array(d), sumSq: new Float64Array(d), count: 0 };
    sums.sqErr += v[0]![0]!;
    sums.dotHatTrue += v[1]![0]!;
    sums.hatNorm += v[2]![0]!;
    sums.trueNorm += v[3]![0]!;
    for (let j = 0; j < d; j++) {
      sums.sum[j]! += v[4]![j]!;
      sums.sumSq[j]! += v[5]![j]!;
    }
    sums.count += b;
  }
  if (sums === undefined) throw new OTError('EMPTY_INPUT', 'no samples drawn');
  const all = [sums.sqErr, sums.dotHatTrue, sums.hatNorm, sums.trueNorm];
  if (!all.every(Number.isFinite)) throw new OTError('NON_FINITE', 'a map produced NaN or Infinity');
  return sums;
}

/**
 * L2 unexplained variance percentage of `mapHat` against the true map, on `n` fresh samples of P.
 *
 * @returns L2-UVP in percent (0 is perfect; the best linear map scores the benchmark's `linearUvp`)
 * @example
 * ```ts
 * const uvp = l2Uvp(icnn.push.bind(icnn), pair.map, pair.sample, { outputVariance: pair.outputVariance, seed: 0 });
 * ```
 */
export function l2Uvp(mapHat: PointMap, mapTrue: PointMap, sampler: Sampler, options: MapMetricOptions = {}): number {
  const s = accumulate(mapHat, mapTrue, sampler, options);
  let variance = options.outputVariance;
  if (variance === undefined) {
    variance = 0;
    for (let j = 0; j < s.sum.length; j++) {
      const mean = s.sum[j]! / s.count;
      variance += (s.sumSq[j]! - s.count * mean * mean) / (s.count - 1);
    }
  }
  checkPositive(variance, 'outputVariance');
  return (100 * (s.sqErr / s.count)) / variance;
}

/**
 * Cosine similarity between the displacements T̂ − id and T* − id in L²(P) (1 is perfect).
 */
export function mapCosine(mapHat: PointMap, mapTrue: PointMap, sampler: Sampler, options: MapMetricOptions = {}): number {
  const s = accumulate(mapHat, mapTrue, sampler, options);
  const denom = Math.sqrt(s.hatNorm) * Math.sqrt(s.trueNorm);
  if (!(denom > 0)) throw new OTError('NUMERICAL_ERROR', 'a map has zero displacement: the cosine is undefined');
  return s.dotHatTrue / denom;
}
