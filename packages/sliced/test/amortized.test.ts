import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@ot/test-utils';
import { expect, it } from 'vitest';
import {
  GeneralizedLinearAmortizedSlicer,
  LinearAmortizedSlicer,
  NonLinearAmortizedSlicer,
  maxSlicedWasserstein,
  slicedWasserstein,
  type AmortizedSlicer,
  type AmortizedSlicerOptions,
} from '../src/index.js';
import { scalar, shiftedGaussians } from './helpers.js';
import { projectRowsForDirections } from '../src/internal/project.js';
import { projectedCosts } from '../src/internal/projected-costs.js';
import { uniformCostsForDirections, uniformPair } from '../src/internal/uniform-costs.js';

type Ctor = new (m: number, d: number, o?: AmortizedSlicerOptions) => AmortizedSlicer;
const models: Array<[string, Ctor]> = [
  ['linear', LinearAmortizedSlicer],
  ['generalized linear', GeneralizedLinearAmortizedSlicer],
  ['non-linear', NonLinearAmortizedSlicer],
];

/** Central differences of `f` w.r.t. every entry of `v` (a variable), restoring it afterwards. */
function fdVariable(f: () => number, v: tf.Variable, h: number): number[] {
  const base = Array.from(v.dataSync());
  const out = base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    v.assign(tf.tensor(plus, v.shape));
    const fp = f();
    v.assign(tf.tensor(minus, v.shape));
    const fm = f();
    return (fp - fm) / (2 * h);
  });
  v.assign(tf.tensor(base, v.shape));
  return out;
}

function fdTensor(f: (t: tf.Tensor) => number, t: tf.Tensor, h: number): number[] {
  const base = Array.from(t.dataSync());
  return base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    return tf.tidy(() => (f(tf.tensor(plus, t.shape)) - f(tf.tensor(minus, t.shape))) / (2 * h));
  });
}

describeWithBackends('amortized slicers', () => {
  it('closed-form cost along K directions (uniform, n = m) equals the taped projection, sort and 1D cost, with its gradient', () => {
    const [X, Y] = shiftedGaussians(24, 5, 1, 1.5, 13);
    const D = tf.tidy(() => {
      const g = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
      return tf.div(g, tf.norm(g, 'euclidean', 0, true)) as tf.Tensor2D;
    });
    const c = tf.tensor1d([0.7, -1.3, 2]);
    const pair = uniformPair(X, Y);
    for (const p of [1, 2, 3]) {
      const closed = (dirs: tf.Tensor) => tf.sum(tf.mul(uniformCostsForDirections(pair, dirs as tf.Tensor2D, p), c)) as tf.Scalar;
      const taped = (dirs: tf.Tensor) =>
        tf.sum(tf.mul(projectedCosts(projectRowsForDirections(X, dirs as tf.Tensor2D), projectRowsForDirections(Y, dirs as tf.Tensor2D), p), c)) as tf.Scalar;
      expectTensorsClose(closed(D), taped(D).dataSync()[0]!, { rtol: 1e-5 });
      expectTensorsClose(tf.grad(closed)(D), tf.grad(taped)(D), { rtol: 1e-4, atol: 1e-5 });
    }
    tf.dispose([X, Y, D, c, pair.Z, pair.Zt]);
  });

  for (const [name, Model] of models) {
    for (const K of [1, 2]) {
      it(`${name} (K = ${K}): gradients w.r.t. ψ, X and Y match finite differences`, () => {
        const [X, Y] = shiftedGaussians(6, 3, 0, 1.5, 37);
        const slicer = new Model(6, 3, { seed: 5, directions: K, hidden: 4 });
        const lossNum = () => tf.tidy(() => scalar(slicer.loss(X, Y)));
        const vars = slicer.trainableVariables;
        const { grads } = tf.variableGrads(() => slicer.loss(X, Y), vars as tf.Variable[]);
        for (const v of vars) {
          const g = grads[v.name] as tf.Tensor;
          expectTensorsClose(g, fdVariable(lossNum, v, 2e-3), { rtol: 3e-2, atol: 3e-3 });
        }
        const [gx, gy] = tf.grads((x: tf.Tensor, y: tf.Tensor) => slicer.loss(x, y))([X, Y]);
        expectTensorsClose(gx as tf.Tensor, fdTensor((x) => scalar(slicer.loss(x, Y)), X, 5e-3), { rtol: 3e-2, atol: 3e-3 });
        expectTensorsClose(gy as tf.Tensor, fdTensor((y) => scalar(slicer.loss(X, y)), Y, 5e-3), { rtol: 3e-2, atol: 3e-3 });
        tf.dispose([X, Y, gx, gy] as tf.Tensor[]);
        tf.dispose(Object.values(grads));
        slicer.dispose();
      });
    }

    it(`${name}: ascent steps approach Max-SW from below (Prop. 2)`, () => {
      const [X, Y] = shiftedGaussians(64, 3, 1, 2.5, 41);
      const max = maxSlicedWasserstein(X, Y, { iterations: 100, lr: 0.05, seed: 1 });
      const maxV = scalar(max.value);
      const slicer = new Model(64, 3, { seed: 2, lr: 0.04 });
      const first = scalar(slicer.loss(X, Y));
      for (let t = 0; t < 100; t++) slicer.step(X, Y).dispose();
      const last = tf.tidy(() => scalar(slicer.loss(X, Y)));
      expect(last).toBeGreaterThan(first);
      expect(last).toBeGreaterThan(0.95 * maxV);
      expect(last).toBeLessThanOrEqual(maxV * (1 + 1e-4));
      const dir = slicer.direction(X, Y);
      expect(dir.shape).toEqual([3]);
      expect(Math.abs(dir.dataSync()[1] as number)).toBeGreaterThan(0.95);
      tf.dispose([X, Y, max.value, max.direction, dir]);
      slicer.dispose();
    });
  }

  it('K-direction variants return orthonormal directions (QR)', () => {
    const [X, Y] = shiftedGaussians(10, 6, 0, 1, 51);
    for (const [, Model] of models) {
      const slicer = new Model(10, 6, { seed: 9, directions: 4 });
      const D = slicer.directions(X, Y);
      expect(D.shape).toEqual([6, 4]);
      expectTensorsClose(tf.matMul(tf.transpose(D), D), tf.eye(4), { atol: 2e-5 });
      expect(slicer.direction(X, Y).shape).toEqual([6, 4]);
      tf.dispose(D);
      slicer.dispose();
    }
    tf.dispose([X, Y]);
  });

  it('detachDirections: the gradient w.r.t. X is that of SW along the fixed directions', () => {
    const [X, Y] = shiftedGaussians(8, 3, 0, 1, 61);
    const slicer = new LinearAmortizedSlicer(8, 3, { seed: 1, directions: 2 });
    const D = slicer.directions(X, Y);
    const g = tf.grad((x: tf.Tensor) => slicer.loss(x, Y, { detachDirections: true }))(X);
    const expected = tf.grad((x: tf.Tensor) => slicedWasserstein(x, Y, { projections: D }))(X);
    expectTensorsClose(g, expected, { atol: 1e-5 });
    // Without detaching, the directions' dependence on X adds a term.
    const full = tf.grad((x: tf.Tensor) => slicer.loss(x, Y))(X);
    expect(tf.max(tf.abs(tf.sub(full, expected))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([X, Y, D, g, expected, full]);
    slicer.dispose();
  });

  it('getOptimizerState / setOptimizerState: a copy continues the same ascent, without leaks', async () => {
    const [X, Y] = shiftedGaussians(8, 3, 0, 1, 72);
    const a = new GeneralizedLinearAmortizedSlicer(8, 3, { seed: 4, lr: 0.05 });
    const b = new GeneralizedLinearAmortizedSlicer(8, 3, { seed: 5, lr: 0.05 });
    expect(await a.getOptimizerState()).toHaveLength(1); // before the first step: the step count only
    for (let i = 0; i < 3; i++) a.step(X, Y).dispose();
    const state = await a.getOptimizerState();
    expect(state).toHaveLength(1 + 2 * a.trainableVariables.length);
    expect(state[0]!.values[0]).toBe(3);
    a.trainableVariables.forEach((v, i) => b.trainableVariables[i]!.assign(v));
    await b.setOptimizerState(state); // creates b's moments
    await expectNoLeakedTensors(() => b.setOptimizerState(state)); // replacing them frees the old ones
    for (let i = 0; i < 2; i++) {
      a.step(X, Y).dispose();
      b.step(X, Y).dispose();
    }
    expectTensorsClose(b.direction(X, Y), a.direction(X, Y), { rtol: 1e-6, atol: 1e-7 });
    // a fresh slicer stepped from zero moments differs: the state mattered
    const c = new GeneralizedLinearAmortizedSlicer(8, 3, { seed: 5, lr: 0.05 });
    a.trainableVariables.forEach((v, i) => c.trainableVariables[i]!.assign(v));
    c.step(X, Y).dispose();
    c.step(X, Y).dispose();
    expect(Array.from(c.direction(X, Y).dataSync())).not.toEqual(Array.from(a.direction(X, Y).dataSync()));
    await expect(b.setOptimizerState(state.slice(0, 2))).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(b.setOptimizerState([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    [a, b, c].forEach((s) => s.dispose());
    tf.dispose([X, Y]);
  });

  it('step changes ψ; leaks no tensors across 100 calls; dispose frees variables', async () => {
    const [X, Y] = shiftedGaussians(8, 3, 0, 1, 71);
    const slicer = new NonLinearAmortizedSlicer(8, 3, { seed: 3, directions: 2 });
    const before = Array.from((slicer.trainableVariables[0] as tf.Variable).dataSync());
    slicer.step(X, Y).dispose();
    const after = Array.from((slicer.trainableVariables[0] as tf.Variable).dataSync());
    expect(after).not.toEqual(before);
    await expectNoLeakedTensors(() => {
      for (let i = 0; i < 100; i++) {
        const mode = i % 4;
        if (mode === 0) slicer.step(X, Y).dispose();
        else if (mode === 1) slicer.loss(X, Y).dispose();
        else if (mode === 2) slicer.direction(X, Y).dispose();
        else tf.grad((x: tf.Tensor) => slicer.loss(x, Y))(X).dispose();
      }
    });
    const n0 = tf.memory().numTensors;
    const count = slicer.trainableVariables.length;
    slicer.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(n0 - count);
    tf.dispose([X, Y]);
  });
});
