import * as tf from '@tensorflow/tfjs-core';
import { randomNormal } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { MlpPotential, VectorPotential, adam, asgd, semiDualProblem, type SemiDualProblem } from '../src/index.js';
import { refs, relErr, semidualCase } from './fixture.js';

const sd = refs.semidual;

function discreteProblem(lambda: number): SemiDualProblem {
  return semiDualProblem({ source: sd.X, sourceWeights: sd.a, target: sd.Y, targetWeights: sd.b, lambda });
}

describeWithBackends('semi-dual solvers', () => {
  it('ASGD: the averaged iterate is within 1% of the optimum after 500 iterations (batch 16, γ = 2, α = 0.5, λ = 0.1)', () => {
    const c = semidualCase(0.1);
    const problem = discreteProblem(0.1);
    const result = asgd({ gamma: 2, batchSize: 16, iterations: 500, seed: 1 }).solve(problem);
    expect(result.history).toHaveLength(500);
    expect(relErr(result.objective, c.optimum)).toBeLessThan(0.01);
    // The semi-dual value never exceeds the primal (weak duality), up to float32 rounding.
    expect(result.objective).toBeLessThanOrEqual(c.optimum * (1 + 1e-6));
    result.potential.dispose();
    problem.dispose();
  });

  it('ASGD without averaging returns the last iterate', () => {
    const problem = discreteProblem(0.1);
    const a = asgd({ gamma: 2, batchSize: 16, iterations: 50, seed: 3, averaging: false }).solve(problem);
    const b = asgd({ gamma: 2, batchSize: 16, iterations: 50, seed: 3 }).solve(problem);
    expect(a.history).toEqual(b.history); // same draws, same iterates
    expect(a.objective).not.toBe(b.objective); // different returned potentials
    a.potential.dispose();
    b.potential.dispose();
    problem.dispose();
  });

  for (const lambda of [1, 0.1, 0.01]) {
    it(`Adam (full batch) reaches the POT/Sinkhorn optimum to 1e-4 relative, λ = ${lambda}`, () => {
      const c = semidualCase(lambda);
      const problem = discreteProblem(lambda);
      const result = adam({ learningRate: 0.05, iterations: 400 }).solve(problem);
      expect(relErr(result.objective, c.optimum)).toBeLessThan(1e-4);
      result.potential.dispose();
      problem.dispose();
    });
  }

  it('as λ → 0 the solved semi-dual value tends to the exact OT cost (ot.emd2); warm starts across λ', () => {
    const gaps: number[] = [];
    let init: VectorPotential | undefined;
    for (const lambda of [0.1, 0.01, 0.001]) {
      const problem = discreteProblem(lambda);
      const result = adam({ learningRate: 0.05, iterations: 300 }).solve(problem, { init });
      gaps.push(Math.abs(result.objective - sd.emd2) / sd.emd2);
      init?.dispose();
      init = result.potential as VectorPotential;
      problem.dispose();
    }
    init?.dispose();
    expect(gaps[1]).toBeLessThan(gaps[0] as number);
    expect(gaps[2]).toBeLessThan(gaps[1] as number);
    expect(gaps[2]).toBeLessThan(2e-3);
  });

  it('SDOTNN: Adam on an MLP potential reaches the optimum (λ = 0.1)', () => {
    const c = semidualCase(0.1);
    const problem = discreteProblem(0.1);
    const init = new MlpPotential({ inputDim: 2, hidden: [32, 32], seed: 0 });
    const result = adam({ learningRate: 0.01, iterations: 300 }).solve(problem, { init });
    expect(result.potential.kind).toBe('mlp');
    expect(relErr(result.objective, c.optimum)).toBeLessThan(1e-3);
    result.potential.dispose();
    init.dispose();
    problem.dispose();
  });

  it('returns an immutable result, leaves init untouched, reports progress', () => {
    const problem = discreteProblem(0.1);
    const init = new VectorPotential(tf.fill([sd.Y.length], 0.5));
    const seen: number[] = [];
    const result = asgd({ gamma: 1, batchSize: 8, iterations: 20 }).solve(problem, {
      init,
      onProgress: ({ iteration }) => seen.push(iteration),
    });
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.history)).toBe(true);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(Array.from(init.psi.dataSync())).toEqual(new Array(sd.Y.length).fill(0.5));
    expect(result.potential).not.toBe(init);
    result.potential.dispose();
    init.dispose();
    problem.dispose();
  });

  it('works with a sampled (continuous) source', () => {
    const problem = semiDualProblem({
      source: (b, rng) => randomNormal([b, 2], rng) as tf.Tensor2D,
      target: sd.Y,
      lambda: 0.05,
      cost: 'normalized-sqeuclidean',
    });
    const result = asgd({ gamma: 1, batchSize: 32, iterations: 100, evalBatches: 2 }).solve(problem);
    expect(Number.isFinite(result.objective)).toBe(true);
    // ψ = 0 gives F = E[0^{c,λ}] ≤ F(ψ*) (ascent improves on zero up to sampling noise)
    result.potential.dispose();
    problem.dispose();
  });

  it('leaks no tensors across 100 iterations (ASGD with a vector, Adam with an MLP potential)', async () => {
    const problem = discreteProblem(0.05);
    const mlp = new MlpPotential({ inputDim: 2, hidden: [8], seed: 1 });
    await expectNoLeakedTensors(() => {
      asgd({ gamma: 1, batchSize: 8, iterations: 100 }).solve(problem).potential.dispose();
      adam({ batchSize: 8, iterations: 100 }).solve(problem, { init: mlp }).potential.dispose();
    });
    mlp.dispose();
    problem.dispose();
  });
});
