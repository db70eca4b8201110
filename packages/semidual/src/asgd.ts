/**
 * Averaged stochastic gradient ascent on the semi-dual (Genevay, Cuturi, Peyré, Bach, NeurIPS 2016;
 * Houdard, Leclaire, Papadakis, Rabin, TMLR 2023):
 *
 *   ψ̃_k = ψ̃_{k−1} + γ / k^α · ∇_ψ F_batch(ψ̃_{k−1}),    ψ_k = (1/k) Σ_{l ≤ k} ψ̃_l,
 *
 * with α = 1/2 giving the O(log k / √k) rate. Works on any {@link DualPotential} (for an MLP the
 * weights are averaged).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkNumber, checkPositive } from '@ot/core';
import type { DualPotential } from './potential.js';
import type { SemiDualProblem } from './problem.js';
import { checkBatchOptions, runSolver, type BatchOptions, type SemiDualResult, type SemiDualSolver, type SolveOptions } from './solver.js';

export interface AsgdOptions extends BatchOptions {
  /** Base step γ > 0. */
  gamma: number;
  /** Decay exponent α ∈ [0, 1] of the step γ / k^α (default 0.5). */
  alpha?: number;
  /** Return the running average of the iterates (default true). */
  averaging?: boolean;
}

/**
 * Configures averaged SGD. `solve(problem, { init, onProgress })` returns an immutable
 * {@link SemiDualResult}.
 *
 * @example
 * ```ts
 * const result = asgd({ gamma: 1, batchSize: 64, iterations: 2000 }).solve(problem);
 * console.log(result.objective, result.history.length);
 * result.potential.dispose();
 * ```
 */
export function asgd(options: AsgdOptions): SemiDualSolver {
  checkBatchOptions(options);
  const gamma = checkPositive(options.gamma, 'gamma');
  const alpha = checkNumber(options.alpha ?? 0.5, 'alpha', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const averaging = checkBoolean(options.averaging ?? true, 'averaging');
  const config = Object.freeze({ ...options, gamma, alpha, averaging });
  return Object.freeze({
    name: 'asgd' as const,
    options: config,
    solve(problem: SemiDualProblem, solveOptions: SolveOptions = {}): SemiDualResult {
      let average: DualPotential | undefined;
      return runSolver(problem, solveOptions, config, {
        start(iterate) {
          if (averaging) average = iterate.clone();
        },
        step(k, iterate, grads) {
          const rate = gamma / Math.pow(k, alpha);
          const vars = iterate.variables;
          const avgVars = average?.variables;
          vars.forEach((v, i) => {
            const g = grads[v.name];
            if (g === undefined) return;
            v.assign(tf.sub(v, tf.mul(g, rate))); // g is ∇(−F): ascent on F
            if (avgVars !== undefined) {
              const a = avgVars[i] as tf.Variable;
              a.assign(tf.add(a, tf.div(tf.sub(v, a), k)));
            }
          });
        },
        finish(iterate) {
          const out = average ?? iterate;
          average = undefined;
          return out;
        },
        abort() {
          average?.dispose();
        },
      });
    },
  });
}
