/**
 * Exact OT (emd) against POT's ot.emd2 / ot.emd and 1D plans (emd1d) against ot.emd_1d.
 *
 * emd and emd1d compute on the host in float64, so costs are compared to 1e-9 relative (measured
 * ≈ 1e-15); the float32 plan tensor to 1e-6 absolute (masses ≤ 1, float32 rounding ≈ 6e-8).
 * They run under both backends because the plan is returned as a tensor on the active backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture, maxRelErr } from '@ot/test-utils';
import { afterAll, expect, it } from 'vitest';
import { emd, emd1d, matrixToArray, sqeuclideanCost } from '@ot/core';
import { noteError, printErrors } from './helpers.js';

interface EmdCase {
  n: number;
  m: number;
  metric: 'sqeuclidean' | 'euclidean';
  x: number[][];
  y: number[][];
  a?: number[];
  b?: number[];
  cost: number;
  plan?: number[][];
}
interface Emd1dCase {
  p: number;
  u: number[];
  v: number[];
  uWeights?: number[];
  vWeights?: number[];
  plan: [number, number, number][];
  cost: number;
}

const emdCases = await loadFixture<EmdCase[]>(import.meta.url, './fixtures/emd.json');
const emd1dCases = await loadFixture<Emd1dCase[]>(import.meta.url, './fixtures/emd1d.json');

/** The cost matrix as POT's ot.dist builds it, in float64. */
function costMatrix(c: EmdCase): number[][] {
  return c.x.map((xi) =>
    c.y.map((yj) => {
      let s = 0;
      for (let k = 0; k < xi.length; k++) s += ((xi[k] as number) - (yj[k] as number)) ** 2;
      return c.metric === 'sqeuclidean' ? s : Math.sqrt(s);
    }),
  );
}

function marginals(plan: Float64Array, n: number, m: number): [number[], number[]] {
  const r = new Array<number>(n).fill(0);
  const col = new Array<number>(m).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    r[i] = (r[i] as number) + (plan[i * m + j] as number);
    col[j] = (col[j] as number) + (plan[i * m + j] as number);
  }
  return [r, col];
}

afterAll(() => printErrors('emd'));

describeWithBackends('emd vs POT ot.emd2', () => {
  for (const c of emdCases) {
    it(`${c.n}×${c.m} ${c.metric}${c.a ? ' weighted' : ' uniform'}`, async () => {
      const M = costMatrix(c);
      await expectNoLeakedTensors(() => {
        const res = emd(c.a, c.b, M);
        const err = Math.abs(res.cost - c.cost) / c.cost;
        noteError(`emd cost n≤${c.n <= 10 ? 10 : c.n <= 60 ? 60 : 200}`, err);
        expect(err).toBeLessThan(1e-9);
        expect(res.plan.shape).toEqual([c.n, c.m]);
        expect(res.plan.dtype).toBe('float32');
        // Feasible: nonnegative with the right marginals.
        const [r, col] = marginals(res.planF64.data, c.n, c.m);
        expect(Math.min(...res.planF64.data)).toBeGreaterThanOrEqual(0);
        expect(maxRelErr(r, c.a ?? new Array<number>(c.n).fill(1 / c.n), 1e-3)).toBeLessThan(1e-9);
        expect(maxRelErr(col, c.b ?? new Array<number>(c.m).fill(1 / c.m), 1e-3)).toBeLessThan(1e-9);
        // A basic solution: at most n + m − 1 nonzero entries.
        expect(res.planF64.data.filter((x) => x > 1e-15).length).toBeLessThanOrEqual(c.n + c.m - 1);
        // Optimal duals: feasible, tight on the support, strong duality, centered.
        const { f, g } = res.potentials;
        const a = c.a ?? new Array<number>(c.n).fill(1 / c.n);
        const b = c.b ?? new Array<number>(c.m).fill(1 / c.m);
        const scale = Math.max(...M.flat());
        let worstViolation = 0;
        let worstSlack = 0;
        for (let i = 0; i < c.n; i++) {
          for (let j = 0; j < c.m; j++) {
            const gap = M[i]![j]! - (f[i] as number) - (g[j] as number);
            worstViolation = Math.max(worstViolation, -gap);
            if ((res.planF64.data[i * c.m + j] as number) > 1e-12) worstSlack = Math.max(worstSlack, Math.abs(gap));
          }
        }
        expect(worstViolation / scale).toBeLessThan(1e-12);
        expect(worstSlack / scale).toBeLessThan(1e-12);
        const af = a.reduce((s, ai, i) => s + ai * (f[i] as number), 0);
        const bg = b.reduce((s, bj, j) => s + bj * (g[j] as number), 0);
        expect(Math.abs(af + bg - c.cost) / c.cost).toBeLessThan(1e-12);
        expect(Math.abs(af - bg) / Math.max(1, Math.abs(af))).toBeLessThan(1e-12);
        if (c.plan !== undefined) {
          expectTensorsClose(res.plan, c.plan, { rtol: 0, atol: 1e-6 });
          noteError('emd plan (abs)', maxRelErr(matrixToArray(res.planF64), c.plan, 1));
        }
        res.plan.dispose();
      });
    });
  }

  it('takes a float32 cost tensor and uniform weights', async () => {
    const c = emdCases.find((x) => x.n === 30 && x.m === 30)!;
    const X = tf.tensor2d(c.x);
    const Y = tf.tensor2d(c.y);
    const C = sqeuclideanCost(X, Y);
    await expectNoLeakedTensors(() => {
      const res = emd(undefined, undefined, C);
      // float32 costs: the optimum moves by at most the cost rounding (≈ 1e-6 relative).
      expect(Math.abs(res.cost - c.cost) / c.cost).toBeLessThan(1e-5);
      res.plan.dispose();
    });
    tf.dispose([X, Y, C]);
  });

  it('handles zero weights, a single point and identical supports', () => {
    const one = emd([1], [0.25, 0.75], [[2, 4]]);
    expect(one.cost).toBeCloseTo(0.5 + 3, 12);
    expectTensorsClose(one.plan, [[0.25, 0.75]], { atol: 1e-7 });
    const zero = emd([0.5, 0, 0.5], [0.5, 0.5], [[0, 1], [-5, -5], [1, 0]]);
    expect(zero.cost).toBeCloseTo(0, 12);
    const same = emd([0.3, 0.7], [0.3, 0.7], [[0, 1], [1, 0]]);
    expect(same.cost).toBe(0);
    tf.dispose([one.plan, zero.plan, same.plan]);
  });
});

describeWithBackends('emd1d vs POT ot.emd_1d', () => {
  emd1dCases.forEach((c, idx) => {
    it(`case ${idx}: n=${c.u.length}, m=${c.v.length}, p=${c.p}${c.uWeights ? ', weighted' : ''}`, async () => {
      await expectNoLeakedTensors(() => {
        const res = emd1d(c.u, c.v, { p: c.p, uWeights: c.uWeights, vWeights: c.vWeights });
        const errCost = Math.abs(res.cost - c.cost) / c.cost;
        noteError('emd1d cost', errCost);
        expect(errCost).toBeLessThan(1e-12);
        const dense = (entries: readonly { i: number; j: number; mass: number }[]) => {
          const d = Array.from({ length: c.u.length }, () => new Array<number>(c.v.length).fill(0));
          for (const e of entries) d[e.i]![e.j]! += e.mass;
          return d;
        };
        const ours = dense(res.plan);
        const ref = dense(c.plan.map(([i, j, mass]) => ({ i, j, mass })));
        const errPlan = maxRelErr(ours, ref, 1);
        noteError('emd1d plan (abs)', errPlan);
        expect(errPlan).toBeLessThan(1e-12);
        expect(res.plan.length).toBeLessThanOrEqual(c.u.length + c.v.length - 1);
      });
    });
  });

  it('accepts tensors and agrees with emd on |x − y|^p', () => {
    const u = tf.tensor1d([0.3, -1, 2.5, 0.1]);
    const v = tf.tensor1d([1, 2, -0.5]);
    const uw = [0.1, 0.2, 0.3, 0.4];
    const r1 = emd1d(u, v, { p: 1.5, uWeights: uw });
    const ux = Array.from(u.dataSync());
    const vx = Array.from(v.dataSync());
    const M = ux.map((a) => vx.map((b) => Math.abs(a - b) ** 1.5));
    const r2 = emd(uw, undefined, M);
    expect(r1.cost).toBeCloseTo(r2.cost, 6);
    tf.dispose([u, v, r2.plan]);
  });
});
