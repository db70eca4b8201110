import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture } from '@ot/test-utils';
import { DenseICNN, MlpPotential, conjugate, type ConjugateTarget } from '../src/index.js';

// f(x) = ½ xᵀAx + bᵀx: x̂(y) = A⁻¹(y − b), f*(y) = ½ (y − b)ᵀA⁻¹(y − b).
const A = [
  [2, 0.5],
  [0.5, 1],
];
const b = [1, -1];
const det = 2 * 1 - 0.25;
const Ainv = [
  [1 / det, -0.5 / det],
  [-0.5 / det, 2 / det],
];
/** f(x) = ½ xᵀAx + bᵀx (A symmetric) and ∇f(x) = Ax + b. */
const quadraticTarget = (A: number[][], b: number[]): ConjugateTarget => ({
  dim: b.length,
  valueAndGrad: (x) =>
    tf.tidy(() => {
      const ax = tf.matMul(x, tf.tensor2d(A));
      const value = tf.add(tf.mul(tf.sum(tf.mul(ax, x), 1), 0.5), tf.sum(tf.mul(x, tf.tensor1d(b)), 1)) as tf.Tensor1D;
      return { value, grad: tf.add(ax, tf.tensor1d(b)) as tf.Tensor2D };
    }),
});
const quadratic = quadraticTarget(A, b);
const ys = [
  [0, 0],
  [3, -2],
  [-1.5, 4],
  [10, 10],
];
const expectedX = ys.map((y) => {
  const r = [y[0]! - b[0]!, y[1]! - b[1]!];
  return [Ainv[0]![0]! * r[0]! + Ainv[0]![1]! * r[1]!, Ainv[1]![0]! * r[0]! + Ainv[1]![1]! * r[1]!];
});
const expectedValue = ys.map((y, i) => 0.5 * ((y[0]! - b[0]!) * expectedX[i]![0]! + (y[1]! - b[1]!) * expectedX[i]![1]!));

/** torch.optim.LBFGS iterates on a 5-d quadratic (scripts/fixtures/lbfgs_refs.py). */
interface LbfgsRefs {
  A: number[][];
  b: number[];
  y: number[][];
  x0: number[][];
  cases: Array<{ memory: number; sample: number; iterates: number[][] }>;
}
const lbfgsRefs = await loadFixture<LbfgsRefs>(import.meta.url, './fixtures/lbfgs_refs.json');

describeWithBackends('conjugate', () => {
  it('L-BFGS finds the closed-form conjugate point of a quadratic', () => {
    const r = conjugate(quadratic, ys, { solver: 'lbfgs', gtol: 1e-5, maxIter: 100 });
    expectTensorsClose(r.x, expectedX, { rtol: 1e-4, atol: 1e-4 });
    expectTensorsClose(r.value, expectedValue, { rtol: 1e-4, atol: 1e-4 });
    expect(Array.from(r.converged)).toEqual([1, 1, 1, 1]);
    expect(r.iterations).toBeLessThan(30);
    tf.dispose([r.x, r.value]);
  });

  it("L-BFGS takes torch.optim.LBFGS's iterates, for memories 2, 3 and 10 (the (s, y) history wraps around)", async () => {
    const f = quadraticTarget(lbfgsRefs.A, lbfgsRefs.b);
    let compared = 0;
    await expectNoLeakedTensors(() => {
      for (const memory of [2, 3, 10]) {
        const bySample = lbfgsRefs.cases.filter((c) => c.memory === memory);
        const kMax = Math.max(...bySample.map((c) => c.iterates.length));
        for (const lineSearch of ['backtracking', 'sequential'] as const) {
          for (let k = 1; k <= kMax; k++) {
            // All samples in one batch (each keeps its own memory); compared while torch's unit
            // steps pass Armijo by a clear margin (the fixture keeps only those).
            const r = conjugate(f, lbfgsRefs.y, { init: lbfgsRefs.x0, maxIter: k, memory, gtol: 1e-12, lineSearch });
            const x = r.x.arraySync();
            for (const c of bySample.filter((c) => c.iterates.length >= k)) {
              const want = c.iterates[k - 1]!;
              const err = Math.max(...want.map((w, j) => Math.abs(x[c.sample]![j]! - w)));
              expect(err, `memory ${memory}, ${lineSearch}, sample ${c.sample}, iteration ${k}`).toBeLessThan(2e-5);
              compared++;
            }
            tf.dispose([r.x, r.value]);
          }
        }
      }
    });
    expect(compared).toBe(2 * lbfgsRefs.cases.reduce((s, c) => s + c.iterates.length, 0));
  });

  it('Adam (cosine-decayed) finds it too, from a given init', () => {
    const r = conjugate(quadratic, ys, { solver: 'adam', gtol: 1e-4, maxIter: 1000, lr: 0.5, init: tf.zeros([4, 2]) });
    expectTensorsClose(r.x, expectedX, { rtol: 1e-3, atol: 1e-3 });
    tf.dispose([r.x, r.value]);
  });

  it('on a trained-like ICNN: ∇f(x̂) ≈ y at convergence, per-sample flags, no leaks', async () => {
    const f = new DenseICNN({ dim: 3, hidden: [16, 16, 8], strongConvexity: 0.5, seed: 2 });
    const y = tf.randomNormal([20, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    await expectNoLeakedTensors(() => {
      const r = conjugate(f, y, { solver: 'lbfgs', gtol: 1e-4, maxIter: 200 });
      expect(r.converged.every((c) => c === 1)).toBe(true);
      expect(Math.max(...r.gradNorm)).toBeLessThanOrEqual(1e-4);
      const g = f.push(r.x);
      expectTensorsClose(g, y, { atol: 2e-4, rtol: 0 });
      // f*(y) = ⟨x̂, y⟩ − f(x̂) ≥ ⟨x, y⟩ − f(x) for any x (here x = y)
      const lower = tf.tidy(() => tf.sub(tf.sum(tf.mul(y, y), 1), f.value(y)));
      const gap = tf.tidy(() => tf.min(tf.sub(r.value, lower)));
      expect(gap.dataSync()[0]).toBeGreaterThanOrEqual(-1e-4);
      tf.dispose([g, lower, gap, r.x, r.value]);
    });
    y.dispose();
    f.dispose();
  });

  // φ(x) = 3/2‖x‖² from x₀: the first L-BFGS direction is −∇φ(x₀) = −3x₀, so a step a lands on
  // (1 − 3a)·x₀. Armijo (c₁ = 1e-4) fails at a = 1 and a = 1/1.5 (|1 − 3a| ≥ 1) and holds at 1/1.5²
  // and at 1/2: the parallel search (base 1.5) lands on −x₀/3, halving on −x₀/2.
  const steep: ConjugateTarget = {
    dim: 2,
    valueAndGrad: (x) => tf.tidy(() => ({ value: tf.mul(tf.sum(tf.square(x), 1), 1.5) as tf.Tensor1D, grad: tf.mul(x, 3) as tf.Tensor2D })),
  };
  const x0 = [[1, -2]];
  const zero = [[0, 0]];

  it("the parallel line search takes the largest step lsBase⁻ᵏ that satisfies Armijo (w2ot's)", () => {
    const cases: [Parameters<typeof conjugate>[2], number][] = [
      [{ lineSearch: 'parallel' }, -1 / 3],
      [{ lineSearch: 'parallel', lsBase: 2 }, -1 / 2],
      [{ lineSearch: 'sequential' }, -1 / 3],
      [{ lineSearch: 'sequential', lsBase: 2 }, -1 / 2],
      [{ lineSearch: 'backtracking' }, -1 / 2],
    ];
    const steepWithValue: ConjugateTarget = { ...steep, value: (x) => tf.tidy(() => steep.valueAndGrad(x).value) };
    for (const [o, factor, target] of cases.flatMap(([o, factor]) => [[o, factor, steep], [o, factor, steepWithValue]] as const)) {
      const r = conjugate(target, zero, { ...o, init: x0, maxIter: 1, gtol: 1e-9 });
      expectTensorsClose(r.x, [[factor, -2 * factor]], { atol: 1e-6, rtol: 1e-6 });
      expect(r.iterations).toBe(1);
      tf.dispose([r.x, r.value]);
    }
  });

  it('the sequential search scores the unit step with its gradient, then 2, 4, 8, … steps per round', () => {
    // A gradient that lies: φ(x) = ‖x − x₀‖² has its minimum at x₀, but ∇ is reported as (1, 0), so
    // no step along −(1, 0) passes Armijo and all 30 steps are tried: 1 (with gradient), then
    // 2, 4, 8 and the last 15 (values only), in 5 rounds instead of 30.
    const gradRows: number[] = [];
    const valueRows: number[] = [];
    const phi = (x: tf.Tensor2D): tf.Tensor1D => tf.sum(tf.square(tf.sub(x, tf.tensor2d(x0))), 1);
    const liar: ConjugateTarget = {
      dim: 2,
      valueAndGrad: (x) => (gradRows.push(x.shape[0]), tf.tidy(() => ({ value: phi(x), grad: tf.mul(tf.onesLike(x), tf.tensor2d([[1, 0]])) as tf.Tensor2D }))),
      value: (x) => (valueRows.push(x.shape[0]), tf.tidy(() => phi(x))),
    };
    const stuck = conjugate(liar, zero, { lineSearch: 'sequential', lsEvaluations: 30, init: x0, gtol: 1e-9 });
    expect(gradRows).toEqual([1, 1, 1]); // the starting point, the unit step, the returned value
    expect(valueRows).toEqual([2, 4, 8, 15]);
    expectTensorsClose(stuck.x, x0, { atol: 0, rtol: 0 });
    expect(Array.from(stuck.converged)).toEqual([0]);
    tf.dispose([stuck.x, stuck.value]);
    // On φ = 3/2‖x‖² (see above) steps 1 and 1/1.5 fail and 1/1.5² passes: rounds {1}, {1/1.5, 1/1.5²},
    // then the gradient at the chosen step (and the returned value).
    gradRows.length = 0;
    valueRows.length = 0;
    const counted: ConjugateTarget = {
      dim: 2,
      valueAndGrad: (x) => (gradRows.push(x.shape[0]), steep.valueAndGrad(x)),
      value: (x) => (valueRows.push(x.shape[0]), tf.tidy(() => steep.valueAndGrad(x).value)),
    };
    const r = conjugate(counted, zero, { lineSearch: 'sequential', lsEvaluations: 30, init: x0, maxIter: 1, gtol: 1e-9 });
    expect(gradRows).toEqual([1, 1, 1, 1]);
    expect(valueRows).toEqual([2]);
    expectTensorsClose(r.x, [[-1 / 3, 2 / 3]], { atol: 1e-6, rtol: 1e-6 });
    tf.dispose([r.x, r.value]);
  });

  it('with f.value, the parallel search scores its steps without gradients and lands on the same points', async () => {
    const f = new MlpPotential({ dim: 3, hidden: [16, 16], init: 'lecun', seed: 4 });
    const y = tf.randomNormal([12, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const gradRows: number[] = [];
    const valueRows: number[] = [];
    const withGrads: ConjugateTarget = { dim: 3, valueAndGrad: (x) => (gradRows.push(x.shape[0]), f.valueAndGrad(x)) };
    const withValue: ConjugateTarget = { ...withGrads, value: (x) => (valueRows.push(x.shape[0]), f.value(x)) };
    const o = { lineSearch: 'parallel', gtol: 1e-4, maxIter: 50 } as const;
    const full = conjugate(withGrads, y, o);
    expect(Math.max(...gradRows)).toBe(12 * 10); // every candidate step with its gradient
    gradRows.length = 0;
    await expectNoLeakedTensors(() => {
      const lean = conjugate(withValue, y, o);
      expect(Math.max(...valueRows)).toBe(12 * 10);
      expect(Math.max(...gradRows)).toBeLessThanOrEqual(12); // gradients only at the chosen steps
      expectTensorsClose(lean.x, full.x, { atol: 1e-5, rtol: 0 });
      expect(Array.from(lean.converged)).toEqual(Array.from(full.converged));
      expect(lean.iterations).toBe(full.iterations);
      tf.dispose([lean.x, lean.value]);
    });
    tf.dispose([full.x, full.value, y]);
    f.dispose();
  });

  it('the parallel and sequential line searches stop a sample none of whose steps passes', () => {
    for (const lineSearch of ['parallel', 'sequential'] as const) {
      const r = conjugate(steep, [zero[0]!, zero[0]!], { lineSearch, lsEvaluations: 2, init: [x0[0]!, [2 ** -10, 0]], gtol: 1e-2 });
      // Sample 0: steps 1 and 1/1.5 both fail, it stays at x₀. Sample 1 starts converged.
      expectTensorsClose(r.x, [x0[0]!, [2 ** -10, 0]], { atol: 0, rtol: 0 });
      expect(Array.from(r.converged)).toEqual([0, 1]);
      expect(r.iterations).toBe(1);
      tf.dispose([r.x, r.value]);
    }
  });

  it("the sequential search lands on the parallel search's points with fewer evaluations (30 steps, as lbfgs_high_precision)", async () => {
    const f = new MlpPotential({ dim: 3, hidden: [16, 16], init: 'lecun', seed: 4 });
    const y = tf.randomNormal([12, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const valueRows = { parallel: 0, sequential: 0 };
    await expectNoLeakedTensors(() => {
      const [par, seq] = (['parallel', 'sequential'] as const).map((lineSearch) => {
        const target: ConjugateTarget = { dim: 3, valueAndGrad: (x) => f.valueAndGrad(x), value: (x) => ((valueRows[lineSearch] += x.shape[0]), f.value(x)) };
        return conjugate(target, y, { lineSearch, lsEvaluations: 30, gtol: 1e-4, maxIter: 50 });
      }) as [ReturnType<typeof conjugate>, ReturnType<typeof conjugate>];
      expectTensorsClose(seq.x, par.x, { atol: 0, rtol: 0 });
      expect(Array.from(seq.converged)).toEqual(Array.from(par.converged));
      expect(seq.iterations).toBe(par.iterations);
      tf.dispose([par.x, par.value, seq.x, seq.value]);
    });
    expect(valueRows.sequential).toBeLessThan(valueRows.parallel / 5);
    tf.dispose(y);
    f.dispose();
  });

  it('the parallel and sequential line searches find the closed-form conjugate point of a quadratic', async () => {
    for (const lineSearch of ['parallel', 'sequential'] as const) {
      await expectNoLeakedTensors(() => {
        const r = conjugate(quadratic, ys, { lineSearch, gtol: 1e-5, maxIter: 100 });
        expectTensorsClose(r.x, expectedX, { rtol: 1e-4, atol: 1e-4 });
        expectTensorsClose(r.value, expectedValue, { rtol: 1e-4, atol: 1e-4 });
        expect(Array.from(r.converged)).toEqual([1, 1, 1, 1]);
        tf.dispose([r.x, r.value]);
      });
    }
  });

  it('marks samples that did not converge within maxIter', () => {
    const r = conjugate(quadratic, ys, { solver: 'lbfgs', gtol: 1e-9, maxIter: 1, init: tf.fill([4, 2], 50) });
    expect(r.iterations).toBe(1);
    expect(Array.from(r.converged).some((c) => c === 0)).toBe(true);
    tf.dispose([r.x, r.value]);
  });
});
