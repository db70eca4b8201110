/**
 * Latent priors p(z) of the autoencoders (WAE, SWAE): a standard or scaled Gaussian (Tolstikhin et
 * al. 2018), the uniform distribution on a circle or a ring (annulus) — the 2D priors of Kolouri,
 * Pope, Martin, Rohde, *Sliced-Wasserstein autoencoder: an embarrassingly simple generative model*,
 * ICLR 2019 — or any sampler.
 *
 * A prior that can be written as a map of standard Gaussian noise (`fromNormal`) lets the decoder act
 * as an ordinary `Generator` (noise N(0, I) → samples), so `sample` / `eval` treat every model alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkPositive, toRng, type Seed } from '@ot/core';

export interface Prior {
  /** Short description (`'gaussian'`, `'circle(r=1)'`, ...), recorded in checkpoints. */
  readonly name: string;
  /** Dimension of the codes z. */
  readonly dim: number;
  /** Dimension of the Gaussian noise `fromNormal` takes (when defined). */
  readonly noiseDim: number;
  /** Variance of each coordinate (sets the MMD kernel scale; 1 for N(0, I)). */
  readonly variance: number;
  /** `n` codes `[n, dim]`. */
  sample(n: number, seed?: Seed): tf.Tensor2D;
  /** Maps standard Gaussian noise `[n, noiseDim]` to codes `[n, dim]` with law p(z), when possible. */
  fromNormal?(eps: tf.Tensor2D): tf.Tensor2D;
}

/**
 * N(0, σ²I) on `dim` dimensions.
 *
 * @example
 * ```ts
 * const p = gaussianPrior(8);   // the WAE MNIST prior
 * const z = p.sample(64, 0);    // [64, 8]
 * ```
 */
export function gaussianPrior(dim: number, sigma = 1): Prior {
  checkInteger(dim, 'dim');
  checkPositive(sigma, 'sigma');
  const fromNormal = (eps: tf.Tensor2D) => (sigma === 1 ? tf.clone(eps) : (tf.mul(eps, sigma) as tf.Tensor2D));
  return {
    name: sigma === 1 ? 'gaussian' : `gaussian(sigma=${sigma})`,
    dim,
    noiseDim: dim,
    variance: sigma * sigma,
    fromNormal,
    sample: (n, seed) => tf.tidy(() => fromNormal(tf.randomNormal([checkInteger(n, 'n'), dim], 0, 1, 'float32', toRng(seed).nextSeed()))),
  };
}

/**
 * Uniform on the annulus r0 ≤ ‖z‖ ≤ r1 in 2D (r0 = r1: the circle of radius r1). Radius
 * √(r0² + u(r1² − r0²)) with u = Φ(ε₃) makes the density uniform in area.
 *
 * @example
 * ```ts
 * const ring = ringPrior(0.5, 1);   // SWAE's ring prior
 * const circle = ringPrior(1, 1);   // the unit circle
 * ```
 */
export function ringPrior(r0: number, r1: number): Prior {
  if (!(Number.isFinite(r0) && Number.isFinite(r1) && r0 >= 0 && r1 > 0 && r0 <= r1)) {
    throw new OTError('INVALID_ARGUMENT', `ringPrior needs 0 ≤ r0 ≤ r1, r1 > 0, got r0 = ${r0}, r1 = ${r1}`);
  }
  const circle = r0 === r1;
  const fromNormal = (eps: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      const dir = tf.slice(eps, [0, 0], [-1, 2]);
      const unit = tf.div(dir, tf.add(tf.norm(dir, 2, 1, true), 1e-12));
      if (circle) return tf.mul(unit, r1) as tf.Tensor2D;
      const u = tf.mul(tf.add(tf.erf(tf.div(tf.slice(eps, [0, 2], [-1, 1]), Math.SQRT2)), 1), 0.5);
      const radius = tf.sqrt(tf.add(tf.mul(u, r1 * r1 - r0 * r0), r0 * r0));
      return tf.mul(unit, radius) as tf.Tensor2D;
    });
  const noiseDim = circle ? 2 : 3;
  // E‖z‖² / 2 per coordinate: r² / 2 on a circle, (r0² + r1²) / 4 on the annulus.
  const variance = circle ? (r1 * r1) / 2 : (r0 * r0 + r1 * r1) / 4;
  return {
    name: circle ? `circle(r=${r1})` : `ring(r0=${r0},r1=${r1})`,
    dim: 2,
    noiseDim,
    variance,
    fromNormal,
    sample: (n, seed) => tf.tidy(() => fromNormal(tf.randomNormal([checkInteger(n, 'n'), noiseDim], 0, 1, 'float32', toRng(seed).nextSeed()))),
  };
}

/**
 * Any sampler `(n, seed) → [n, dim]` as a prior (no `fromNormal`: the decoder then takes codes).
 *
 * @example
 * ```ts
 * const p = samplerPrior('uniform-square', 2, (n, seed) => tf.randomUniform([n, 2], -1, 1, 'float32', toRng(seed).nextSeed()));
 * ```
 */
export function samplerPrior(name: string, dim: number, sample: (n: number, seed: Seed) => tf.Tensor2D, variance = 1): Prior {
  checkInteger(dim, 'dim');
  if (typeof sample !== 'function') throw new OTError('INVALID_ARGUMENT', 'samplerPrior needs a sample(n, seed) function');
  return {
    name,
    dim,
    noiseDim: dim,
    variance: checkPositive(variance, 'variance'),
    sample: (n, seed) => {
      const z = sample(checkInteger(n, 'n'), seed);
      if (z.rank !== 2 || z.shape[0] !== n || z.shape[1] !== dim) throw new OTError('INVALID_SHAPE', `prior '${name}' returned [${z.shape}], expected [${n}, ${dim}]`);
      return z;
    },
  };
}
