/**
 * The WGAN-GP gradient penalty (Gulrajani, Ahmed, Arjovsky, Dumoulin, Courville, *Improved training
 * of Wasserstein GANs*, NeurIPS 2017, Algorithm 1):
 *
 * GP = λ · E_x̂ [ (‖∇_x̂ D(x̂)‖₂ − 1)² ],  x̂ = ε·x_real + (1 − ε)·x_fake,  ε ~ U[0, 1] per sample,
 *
 * differentiable in the critic's parameters (a second-order gradient), for any critic: a function
 * `x ↦ scores [b, 1]` or a `Critic` of this package.
 *
 * Piecewise-linear activations (ReLU, leaky ReLU) compute their masks with comparison ops, which
 * tfjs gives no gradient; this module registers the (zero) gradients of `Greater`, `GreaterEqual`,
 * `Less`, `LessEqual` and `Equal` once, on the first call, so the second-order gradient exists.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkNumber, toRng, type Seed } from '@ot/core';
import type { Critic } from '../models/module.js';

export interface GradientPenaltyOptions {
  /** Weight λ (default 10, as the paper). */
  lambda?: number;
  /** Seed or generator of the interpolation weights ε. */
  seed?: Seed;
  /** Interpolation weights `[b]` in [0, 1] instead of random ones (tests, reproductions). */
  epsilon?: tf.Tensor | readonly number[];
}

/** A critic: a function returning scores `[b, 1]` (or `[b]`), or a `Critic` module. */
export type CriticLike = ((x: tf.Tensor) => tf.Tensor) | Pick<Critic, 'forwardWithFeatures'>;

let comparisonGradientsRegistered = false;

/** Registers zero gradients for the comparison kernels (they are piecewise constant). */
export function registerComparisonGradients(): void {
  if (comparisonGradientsRegistered) return;
  comparisonGradientsRegistered = true;
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal']) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({
        a: () => tf.zerosLike(saved[0] as tf.Tensor),
        b: () => tf.zerosLike(saved[1] as tf.Tensor),
      }),
    });
  }
}

/** Scores of a critic as a flat `[b]` vector. */
export function criticScores(critic: CriticLike, x: tf.Tensor): tf.Tensor1D {
  const s = typeof critic === 'function' ? critic(x) : critic.forwardWithFeatures(x, { training: true }).score;
  return tf.reshape(s, [-1]) as tf.Tensor1D;
}

/**
 * λ·mean over the batch of (‖∇D(x̂)‖ − 1)² on random interpolates of `real` and `fake`
 * (both `[b, ...shape]`).
 *
 * @returns a scalar, differentiable in the critic's variables (call it inside the critic's loss)
 * @throws OTError `SHAPE_MISMATCH` when `real` and `fake` differ in shape, `INVALID_ARGUMENT` for λ < 0
 * @example
 * ```ts
 * const loss = criticOpt.minimize(() =>
 *   tf.add(tf.sub(tf.mean(D(fake)), tf.mean(D(real))), gradientPenalty(D, real, fake, { lambda: 10, seed: rng })));
 * ```
 */
export function gradientPenalty(critic: CriticLike, real: tf.Tensor, fake: tf.Tensor, options: GradientPenaltyOptions = {}): tf.Scalar {
  const lambda = checkNumber(options.lambda ?? 10, 'lambda', (v) => v >= 0, 'a number ≥ 0');
  if (real.shape.length !== fake.shape.length || real.shape.some((d, i) => d !== fake.shape[i])) {
    throw new OTError('SHAPE_MISMATCH', `real and fake must have the same shape, got [${real.shape}] and [${fake.shape}]`);
  }
  const b = real.shape[0];
  if (b === undefined || b < 1) throw new OTError('EMPTY_INPUT', 'gradientPenalty needs a non-empty batch');
  registerComparisonGradients();
  return tf.tidy(() => {
    const epsShape = [b, ...real.shape.slice(1).map(() => 1)];
    let eps: tf.Tensor;
    if (options.epsilon !== undefined) {
      const e = options.epsilon instanceof tf.Tensor ? tf.cast(options.epsilon, 'float32') : tf.tensor1d([...options.epsilon]);
      if (e.size !== b) throw new OTError('SHAPE_MISMATCH', `epsilon must have ${b} entries, got ${e.size}`);
      eps = tf.reshape(e, epsShape);
      if (eps.size !== b) throw new OTError('SHAPE_MISMATCH', `epsilon must have ${b} entries, got ${eps.size}`);
    } else {
      eps = tf.randomUniform(epsShape, 0, 1, 'float32', toRng(options.seed).nextSeed());
    }
    const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
    const g = tf.grad((x: tf.Tensor) => tf.sum(criticScores(critic, x)))(xHat);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(g, [b, -1])), 1), 1e-12));
    return tf.mul(tf.mean(tf.square(tf.sub(norms, 1))), lambda) as tf.Scalar;
  });
}
