/**
 * The high-dimensional Gaussian benchmark of Korotin et al., *Wasserstein-2 Generative Networks*,
 * ICLR 2021: P = N(0, Σ_P), Q = N(0, Σ_Q), each Σ = W Wᵀ with W = R·diag(exp(linspace(log ½,
 * log 2, D))) and R a random orthogonal matrix. The optimal map is linear,
 * T(x) = Σ_P^{-½}(Σ_P^{½} Σ_Q Σ_P^{½})^{½} Σ_P^{-½} x (`gaussianMap` of `@ot/core`).
 *
 * The rotations are drawn with our seeded generator, so the pairs differ from the paper's (which
 * used an old SciPy's random rotations); the construction is the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, gaussianMap, randomNormal, toRng, type Rng, type Seed } from '@ot/core';
import type { W2Benchmark } from './w2-benchmark.js';

export interface GaussianBenchmarkOptions {
  /** Seed of the two random rotations. */
  seed?: Seed;
}

/** Extra fields of the Gaussian benchmark. */
export interface GaussianBenchmark extends W2Benchmark {
  /** Σ_P `[D][D]` (float64). */
  readonly covP: number[][];
  /** Σ_Q `[D][D]` (float64). */
  readonly covQ: number[][];
}

/** A random orthogonal matrix (Gram–Schmidt QR of a Gaussian matrix, signs fixed), row-major. */
function randomOrthogonal(D: number, rng: Rng): Float64Array[] {
  const q: Float64Array[] = [];
  for (let i = 0; i < D; i++) {
    const v = Float64Array.from({ length: D }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let k = 0; k < D; k++) dot += (u[k] as number) * (v[k] as number);
        for (let k = 0; k < D; k++) v[k]! -= dot * (u[k] as number);
      }
    }
    let norm = 0;
    for (let k = 0; k < D; k++) norm += (v[k] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < D; k++) v[k]! /= norm;
    q.push(v);
  }
  return q; // rows orthonormal: q is an orthogonal matrix (use it as R with R[i][k] = q[k][i])
}

/** W = R·diag(s) as row-major rows, and Σ = W Wᵀ. */
function factor(D: number, rng: Rng): { W: number[][]; S: number[][] } {
  const q = randomOrthogonal(D, rng);
  const s = Array.from({ length: D }, (_, i) => Math.exp(Math.log(0.5) + (D === 1 ? 0 : (i * (Math.log(2) - Math.log(0.5))) / (D - 1))));
  const W = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, k) => (q[k]![i] as number) * (s[k] as number)));
  const S = Array.from({ length: D }, (_, i) =>
    Array.from({ length: D }, (_, j) => {
      let v = 0;
      for (let k = 0; k < D; k++) v += W[i]![k]! * W[j]![k]!;
      return v;
    }),
  );
  return { W, S };
}

/**
 * Builds the Gaussian pair in dimension D with its closed-form map.
 *
 * @example
 * ```ts
 * const pair = highDimGaussianBenchmark(16, { seed: 0 });
 * const uvp = l2Uvp((x) => w2gn.map(x), (x) => pair.map(x), (n, s) => pair.sample(n, s), { outputVariance: pair.outputVariance });
 * pair.dispose();
 * ```
 */
export function highDimGaussianBenchmark(D: number, options: GaussianBenchmarkOptions = {}): GaussianBenchmark {
  checkInteger(D, 'D');
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'options must be an object');
  const rng = toRng(options.seed ?? 0);
  const p = factor(D, rng);
  const q = factor(D, rng);
  const zero = new Array<number>(D).fill(0);
  const T = gaussianMap(zero, p.S, zero, q.S);
  const wpT = tf.tidy(() => tf.transpose(tf.tensor2d(p.W.flat(), [D, D]))) as tf.Tensor2D; // x = z Wᵀ
  const wqT = tf.tidy(() => tf.transpose(tf.tensor2d(q.W.flat(), [D, D]))) as tf.Tensor2D;
  let trace = 0;
  for (let i = 0; i < D; i++) trace += q.S[i]![i]!;
  let disposed = false;
  const alive = (): void => {
    if (disposed) throw new OTError('DISPOSED', 'the Gaussian benchmark was used after dispose()');
  };
  const draw = (wT: tf.Tensor2D, n: number, seed?: Seed): tf.Tensor2D => {
    alive();
    checkInteger(n, 'n');
    return tf.tidy(() => tf.matMul(randomNormal([n, D], toRng(seed)) as tf.Tensor2D, wT));
  };
  return {
    name: `gaussian-d${D}`,
    dim: D,
    sample: (n, seed) => draw(wpT, n, seed),
    sampleTarget: (n, seed) => draw(wqT, n, seed),
    map: (x) => {
      alive();
      return T.apply(x, { validate: 'shapes' });
    },
    outputVariance: trace,
    linearUvp: 0,
    covP: p.S,
    covQ: q.S,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      tf.dispose([wpT, wqT]);
    },
  };
}
