/**
 * One outer iteration of the alternating algorithm for generative models with a semi-dual
 * (regularized) OT loss (Houdard, Leclaire, Papadakis, Rabin, TMLR 2023, Algorithm 1):
 *
 *   1. K inner ascent iterations on ψ (any configured solver, e.g. ASGD), warm-started from the
 *      current ψ, on batches of generated samples g_θ(z) (not differentiated);
 *   2. one generator step on θ ↦ E_z[ψ^{c,λ}(g_θ(z))] with ψ fixed — its gradient is the paper's
 *      formula E_z[∇_x ψ^{c,λ}(g_θ(z)) ∂_θ g_θ(z)], computed by the envelope-formula gradient of
 *      {@link cTransform}.
 *
 * The training loop itself (schedules, checkpoints, logging) lives in `@ot/gen`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Rng, type Seed } from '@ot/core';
import { cTransformCore } from './c-transform.js';
import type { DualPotential } from './potential.js';
import { semiDualProblem } from './problem.js';
import type { SemiDualSolver } from './solver.js';
import { SemiDualTarget } from './target.js';

export interface SemiDualGeneratorStepOptions {
  /** The data measure ν (prepared once for all steps). */
  target: SemiDualTarget;
  /** Regularization λ ≥ 0. */
  lambda: number;
  /** The dual potential; updated in place with the inner solver's result (warm start). */
  potential: DualPotential;
  /** Inner solver: its `iterations` is K (e.g. `asgd({ gamma: 1, batchSize: 64, iterations: 10 })`). */
  innerSolver: SemiDualSolver;
  /** The generator g_θ: latent `[b, k]` → samples `[b, d]` (differentiable). */
  generator: (z: tf.Tensor2D) => tf.Tensor2D;
  /** θ: the variables the generator step updates. */
  generatorVariables: readonly tf.Variable[];
  /** The generator's optimizer (e.g. `tf.train.adam(1e-4)`). */
  optimizer: tf.Optimizer;
  /** Draws latent codes `[b, k]`. */
  sampleLatent: (batchSize: number, rng: Rng) => tf.Tensor2D;
  /** Generator batch size. */
  batchSize: number;
  /** Seed or generator of the draws (pass one Rng across steps). */
  seed?: Seed;
}

export interface SemiDualGeneratorStepResult {
  /** mean ψ^{c,λ}(g(z)) + Σ ν_j ψ_j on the generator batch, before the generator update (a W_λ estimate). */
  readonly loss: number;
  /** The inner solver's final objective estimate. */
  readonly dualObjective: number;
  /** The inner solver's batch objectives (K entries). */
  readonly innerHistory: readonly number[];
}

/**
 * One alternating step: K ascent iterations on ψ, then one generator step.
 *
 * @example
 * ```ts
 * const rng = createRng(0);
 * for (let it = 0; it < 1000; it++) {
 *   const { loss } = semiDualGeneratorStep({ target, lambda: 0.01, potential, innerSolver, generator,
 *     generatorVariables: vars, optimizer, sampleLatent: (b, r) => randomNormal([b, 32], r) as tf.Tensor2D,
 *     batchSize: 64, seed: rng });
 * }
 * ```
 */
export function semiDualGeneratorStep(options: SemiDualGeneratorStepOptions): SemiDualGeneratorStepResult {
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'semiDualGeneratorStep needs an options object');
  const { target, potential, innerSolver, generator, optimizer, sampleLatent } = options;
  if (!(target instanceof SemiDualTarget)) throw new OTError('INVALID_ARGUMENT', 'target must be a SemiDualTarget');
  target.assertAlive();
  if (typeof generator !== 'function' || typeof sampleLatent !== 'function') {
    throw new OTError('INVALID_ARGUMENT', 'generator and sampleLatent must be functions');
  }
  if (innerSolver === null || typeof innerSolver?.solve !== 'function') throw new OTError('INVALID_ARGUMENT', 'innerSolver must be a configured solver (asgd(...) or adam(...))');
  if (potential === null || typeof potential?.clone !== 'function') throw new OTError('INVALID_ARGUMENT', 'potential must be a DualPotential');
  if (!(optimizer instanceof tf.Optimizer)) throw new OTError('INVALID_ARGUMENT', 'optimizer must be a tf.Optimizer');
  if (!Array.isArray(options.generatorVariables) || options.generatorVariables.length === 0) {
    throw new OTError('INVALID_ARGUMENT', 'generatorVariables must be a non-empty array of tf.Variable');
  }
  const batchSize = checkInteger(options.batchSize, 'batchSize', 1);
  const rng = toRng(options.seed);
  const problem = semiDualProblem({
    source: (b, r) => tf.tidy(() => generator(sampleLatent(b, r))),
    target,
    lambda: options.lambda,
  });
  let inner;
  try {
    inner = innerSolver.solve(problem, { init: potential, seed: rng });
  } finally {
    problem.dispose();
  }
  potential.assign(inner.potential);
  inner.potential.dispose();
  const lambda = problem.lambda;
  const loss = tf.tidy(() => {
    const psi = tf.clone(potential.values(target)) as tf.Tensor1D;
    const nuTerm = tf.sum(tf.mul(psi, target.nu));
    const z = sampleLatent(batchSize, rng);
    const cost = optimizer.minimize(
      () => tf.mean(cTransformCore(psi, generator(z), target, lambda)) as tf.Scalar,
      true,
      options.generatorVariables as tf.Variable[],
    );
    return tf.add(cost as tf.Scalar, nuTerm);
  });
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  if (!Number.isFinite(value)) throw new OTError('NUMERICAL_ERROR', `the generator loss became ${value}`);
  return Object.freeze({ loss: value, dualObjective: inner.objective, innerHistory: inner.history });
}
