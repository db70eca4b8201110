/**
 * Projected gradient ascent on the unit sphere, θ ← normalize(θ + step(g)), g the gradient
 * projected on the tangent space at θ, with plain SGD or Adam steps (Deshpande et al. 2019; the code of Nguyen & Ho 2022 uses Adam and re-normalizes θ
 * after each step). Shared by Max-SW and max-GSW.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkNumber, checkPositive, randomNormal, toFloatTensor, type Seed, type TensorLike } from '@ot/core';

export type SphereOptimizer = 'sgd' | 'adam';

export interface SphereAscentOptions {
  /** Number of ascent steps T2 ≥ 0 (default 100). */
  iterations?: number;
  /** Step size η > 0 (default 0.01). */
  lr?: number;
  /** `'adam'` (default, as the reference code) or `'sgd'`. */
  optimizer?: SphereOptimizer;
  /** Adam's (β1, β2) (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Seed or generator for the random initial direction. */
  seed?: Seed;
  /** Initial direction `[q]` (normalized here); random on the sphere when omitted. */
  init?: TensorLike;
}

export interface CheckedAscent {
  iterations: number;
  lr: number;
  optimizer: SphereOptimizer;
  betas: [number, number];
}

/** Validates the ascent hyper-parameters (before any tensor work). */
export function checkAscentOptions(options: SphereAscentOptions): CheckedAscent {
  const iterations = checkInteger(options.iterations ?? 100, 'iterations', 0);
  const lr = checkPositive(options.lr ?? 0.01, 'lr');
  const optimizer = checkChoice(options.optimizer ?? 'adam', 'optimizer', ['sgd', 'adam'] as const);
  const betas = options.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new OTError('INVALID_ARGUMENT', `betas must be [beta1, beta2], got ${String(betas)}`);
  }
  betas.forEach((b, i) => checkNumber(b, `betas[${i}]`, (v) => v >= 0 && v < 1, 'a number in [0, 1)'));
  return { iterations, lr, optimizer, betas: [betas[0], betas[1]] };
}

/** The initial unit direction `[q]` (a new tensor). */
export function initialDirection(q: number, options: SphereAscentOptions): tf.Tensor1D {
  return tf.tidy(() => {
    let v: tf.Tensor;
    if (options.init !== undefined) {
      v = toFloatTensor(options.init, 'init', 1);
      if (v.shape[0] !== q) {
        throw new OTError('SHAPE_MISMATCH', `init must be a direction of length ${q}, got [${v.shape}]`, { expected: q, shape: v.shape });
      }
      const norm = tf.norm(v).dataSync()[0] as number;
      if (!(norm > 0) || !Number.isFinite(norm)) {
        throw new OTError('INVALID_ARGUMENT', `init must be a finite nonzero vector, its norm is ${norm}`);
      }
    } else {
      v = randomNormal([q], options.seed);
    }
    return tf.div(v, tf.norm(v)) as tf.Tensor1D;
  });
}

/**
 * Runs T2 steps of projected ascent of `objective(θ)` (a scalar function of a unit `[q]` vector,
 * evaluated on detached data) from `theta0`; returns the final unit direction (a new tensor).
 * `objective` is either the function (differentiated by tfjs) or `{ gradient }`, its Euclidean
 * gradient `[q]` in closed form.
 */
export function sphereAscent(
  objective: ((theta: tf.Tensor1D) => tf.Scalar) | { gradient: (theta: tf.Tensor1D) => tf.Tensor1D },
  theta0: tf.Tensor1D,
  opts: CheckedAscent,
): tf.Tensor1D {
  let theta = tf.clone(theta0);
  const q = theta.shape[0];
  let m: tf.Tensor1D = tf.zeros([q]);
  let v: tf.Tensor1D = tf.zeros([q]);
  const [b1, b2] = opts.betas;
  const grad = typeof objective === 'function' ? (tf.grad((t: tf.Tensor) => objective(t as tf.Tensor1D)) as (t: tf.Tensor1D) => tf.Tensor1D) : objective.gradient;
  for (let t = 1; t <= opts.iterations; t++) {
    const next = tf.tidy(() => {
      // Riemannian gradient: drop the radial component (the objective is homogeneous in θ, so the
      // radial part only inflates Adam's second moments and biases its per-coordinate steps).
      const gE = grad(theta);
      const g = tf.sub(gE, tf.mul(theta, tf.sum(tf.mul(gE, theta)))) as tf.Tensor1D;
      let stepDir: tf.Tensor1D;
      let nm = m;
      let nv = v;
      if (opts.optimizer === 'sgd') {
        stepDir = tf.mul(g, opts.lr);
      } else {
        nm = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        nv = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        const mHat = tf.div(nm, 1 - b1 ** t);
        const vHat = tf.div(nv, 1 - b2 ** t);
        stepDir = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), 1e-8)), opts.lr);
      }
      const raw = tf.add(theta, stepDir);
      const theta1 = tf.div(raw, tf.norm(raw)) as tf.Tensor1D;
      return { theta1, nm, nv };
    });
    theta.dispose();
    if (next.nm !== m) m.dispose();
    if (next.nv !== v) v.dispose();
    theta = next.theta1;
    m = next.nm;
    v = next.nv;
  }
  m.dispose();
  v.dispose();
  return theta;
}

/** A copy of a small tensor made from its values: no gradient flows through it. */
export function detachedCopy<T extends tf.Tensor>(t: T): T {
  return tf.tensor(t.dataSync(), t.shape, t.dtype) as T;
}
