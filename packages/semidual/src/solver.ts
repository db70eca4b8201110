/**
 * The shared loop of the semi-dual solvers: each iteration draws a batch from μ (or takes all of a
 * discrete μ), computes the batch objective and its gradient w.r.t. the potential's variables, and
 * lets the solver take an ascent step. Results are immutable objects.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Rng, type Seed } from '@ot/core';
import type { DualPotential } from './potential.js';
import type { SemiDualProblem } from './problem.js';
import { cTransformCore } from './c-transform.js';
import { semiDualObjectiveCore } from './semi-dual-objective.js';
import { VectorPotential } from './vector-potential.js';

export interface SolveOptions {
  /** Starting potential (copied, never modified); zeros (a {@link VectorPotential}) by default. */
  init?: DualPotential;
  /** Called after every iteration with the batch objective of the current iterate. */
  onProgress?: (progress: { readonly iteration: number; readonly objective: number }) => void;
  /** Seed of the batch draws (default: the solver's seed). */
  seed?: Seed;
}

/** The outcome of a solve. The caller owns (and disposes) `potential`. */
export interface SemiDualResult {
  /** The returned potential: the averaged iterate for ASGD with averaging, else the last iterate. */
  readonly potential: DualPotential;
  /**
   * F at the returned potential: exact (Σ_i μ_i ψ^{c,λ}(x_i) + Σ_j ν_j ψ_j) for a discrete source,
   * else the mean over `evalBatches` fresh batches.
   */
  readonly objective: number;
  /** Batch objective of the current (non-averaged) iterate, one entry per iteration. */
  readonly history: readonly number[];
  readonly iterations: number;
}

/** A configured semi-dual solver. */
export interface SemiDualSolver {
  readonly name: 'asgd' | 'adam';
  solve(problem: SemiDualProblem, options?: SolveOptions): SemiDualResult;
}

export interface BatchOptions {
  /** Source samples per iteration; for a discrete source, omit it to use all points with their weights. */
  batchSize?: number;
  /** Number of ascent iterations. */
  iterations: number;
  /** Batches used to estimate the final objective for a sampled source (default 4). */
  evalBatches?: number;
  /** Default seed of the batch draws. */
  seed?: Seed;
}

/** Checks the shared options. */
export function checkBatchOptions(o: BatchOptions): void {
  if (o === null || typeof o !== 'object') throw new OTError('INVALID_ARGUMENT', 'solver options must be an object');
  checkInteger(o.iterations, 'iterations', 1);
  if (o.batchSize !== undefined) checkInteger(o.batchSize, 'batchSize', 1);
  if (o.evalBatches !== undefined) checkInteger(o.evalBatches, 'evalBatches', 1);
}

/** F(ψ) on a batch (weighted full source when `batchSize` is undefined and the source is discrete). */
export function batchObjective(problem: SemiDualProblem, potential: DualPotential, x: tf.Tensor2D | undefined): tf.Scalar {
  return tf.tidy(() => {
    const psi = potential.values(problem.target);
    if (x !== undefined) return semiDualObjectiveCore(psi, x, problem.target, problem.lambda);
    return semiDualObjectiveCore(psi, problem.sourcePoints as tf.Tensor2D, problem.target, problem.lambda, problem.sourceWeights);
  });
}

/** F at `potential`: exact for a discrete source (in row blocks), else averaged over fresh batches. */
export function evaluateObjective(problem: SemiDualProblem, potential: DualPotential, rng: Rng, batchSize: number, evalBatches: number): number {
  return tf.tidy(() => {
    const psi = potential.values(problem.target);
    const nuTerm = tf.sum(tf.mul(psi, problem.target.nu));
    let total = 0;
    if (problem.sourcePoints !== undefined) {
      const X = problem.sourcePoints;
      const w = problem.sourceWeights as tf.Tensor1D;
      const n = X.shape[0];
      const block = 1024;
      for (let s = 0; s < n; s += block) {
        const size = Math.min(block, n - s);
        total += tf.tidy(() => {
          const xb = tf.slice(X, [s, 0], [size, X.shape[1]]) as tf.Tensor2D;
          const wb = tf.slice(w, [s], [size]);
          return tf.sum(tf.mul(cTransformCore(psi, xb, problem.target, problem.lambda), wb)).dataSync()[0] as number;
        });
      }
      return total + (nuTerm.dataSync()[0] as number);
    }
    for (let b = 0; b < evalBatches; b++) {
      total += tf.tidy(() => {
        const x = problem.sample(batchSize, rng);
        return semiDualObjectiveCore(psi, x, problem.target, problem.lambda).dataSync()[0] as number;
      });
    }
    return total / evalBatches;
  });
}

/**
 * Runs `iterations` steps: `step(k, grads)` receives the gradient of −F (w.r.t. the iterate's
 * variables) and must update them. Returns the result built from `finalPotential()`.
 */
export function runSolver(
  problem: SemiDualProblem,
  options: SolveOptions,
  config: BatchOptions,
  hooks: {
    start(iterate: DualPotential): void;
    step(k: number, iterate: DualPotential, grads: tf.NamedTensorMap): void;
    finish(iterate: DualPotential): DualPotential;
    /** Frees the solver's own state after an error. */
    abort?(): void;
  },
): SemiDualResult {
  if (problem === null || typeof problem !== 'object' || typeof problem.sample !== 'function') {
    throw new OTError('INVALID_ARGUMENT', 'solve needs a problem made by semiDualProblem(...)');
  }
  problem.target.assertAlive();
  if (options.init !== undefined && (options.init === null || typeof options.init.clone !== 'function')) {
    throw new OTError('INVALID_ARGUMENT', 'init must be a DualPotential (VectorPotential or MlpPotential)');
  }
  if (options.init?.isDisposed === true) throw new OTError('DISPOSED', 'init potential was disposed');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new OTError('INVALID_ARGUMENT', 'onProgress must be a function');
  }
  const discrete = problem.sourcePoints !== undefined;
  const batchSize = config.batchSize ?? (discrete ? undefined : 64);
  const rng = toRng(options.seed ?? config.seed ?? 0);
  const iterate = options.init === undefined ? new VectorPotential(problem.target.size) : options.init.clone();
  const history: number[] = [];
  let returned: DualPotential | undefined;
  try {
    // Validate the potential against the target before iterating (throws SHAPE_MISMATCH).
    tf.tidy(() => {
      iterate.values(problem.target);
    });
    hooks.start(iterate);
    const vars = iterate.variables as tf.Variable[];
    for (let k = 1; k <= config.iterations; k++) {
      const x = batchSize === undefined ? undefined : problem.sample(batchSize, rng);
      const value = tf.tidy(() => {
        const { value: negF, grads } = tf.variableGrads(() => tf.neg(batchObjective(problem, iterate, x)) as tf.Scalar, vars);
        hooks.step(k, iterate, grads);
        return negF;
      });
      x?.dispose();
      const objective = -(value.dataSync()[0] as number);
      value.dispose();
      if (!Number.isFinite(objective)) {
        throw new OTError('NUMERICAL_ERROR', `the semi-dual objective became ${objective} at iteration ${k} (step size too large?)`, { iteration: k });
      }
      history.push(objective);
      options.onProgress?.({ iteration: k, objective });
    }
    returned = hooks.finish(iterate);
    const objective = evaluateObjective(problem, returned, rng, batchSize ?? 64, config.evalBatches ?? 4);
    return Object.freeze({ potential: returned, objective, history: Object.freeze(history), iterations: config.iterations });
  } catch (e) {
    if (returned !== undefined && returned !== iterate) returned.dispose();
    hooks.abort?.();
    throw e;
  } finally {
    if (returned !== iterate) iterate.dispose();
  }
}
