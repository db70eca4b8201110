/**
 * Adam (Kingma & Ba, ICLR 2015) ascent on the semi-dual objective, as used for SDOTNN potentials
 * in Houdard, Leclaire, Papadakis, Rabin (TMLR 2023). Uses tfjs's Adam optimizer on −F.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkPositive } from '@ot/core';
import type { SemiDualProblem } from './problem.js';
import { checkBatchOptions, runSolver, type BatchOptions, type SemiDualResult, type SemiDualSolver, type SolveOptions } from './solver.js';

export interface AdamOptions extends BatchOptions {
  /** Learning rate (default 0.01). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Configures Adam ascent. `solve(problem, { init, onProgress })` returns an immutable
 * {@link SemiDualResult} with the last iterate.
 *
 * @example
 * ```ts
 * const result = adam({ learningRate: 1e-3, batchSize: 64, iterations: 500 }).solve(problem, {
 *   init: new MlpPotential({ inputDim: 784, seed: 0 }),
 * });
 * ```
 */
export function adam(options: AdamOptions): SemiDualSolver {
  checkBatchOptions(options);
  const learningRate = checkPositive(options.learningRate ?? 0.01, 'learningRate');
  const beta1 = checkNumber(options.beta1 ?? 0.9, 'beta1', (v) => v >= 0 && v < 1, 'a number in [0, 1)');
  const beta2 = checkNumber(options.beta2 ?? 0.999, 'beta2', (v) => v >= 0 && v < 1, 'a number in [0, 1)');
  const epsilon = checkPositive(options.epsilon ?? 1e-8, 'epsilon');
  const config = Object.freeze({ ...options, learningRate, beta1, beta2, epsilon });
  return Object.freeze({
    name: 'adam' as const,
    options: config,
    solve(problem: SemiDualProblem, solveOptions: SolveOptions = {}): SemiDualResult {
      const opt = tf.train.adam(learningRate, beta1, beta2, epsilon);
      try {
        return runSolver(problem, solveOptions, config, {
          start() {},
          step(_k, _iterate, grads) {
            (opt as tf.Optimizer).applyGradients(grads);
          },
          finish(iterate) {
            return iterate;
          },
        });
      } finally {
        opt.dispose();
      }
    },
  });
}
