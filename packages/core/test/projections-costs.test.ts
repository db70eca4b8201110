/**
 * Directions, projections and cost matrices.
 *
 * Tolerances: unit norms and orthonormality within 1e-5 (float32 dot products of length ≤ 16);
 * cost matrices against POT's ot.dist (float64) within 1e-5 relative with an absolute floor of
 * 1e-5 × the largest entry: ‖x‖² + ‖y‖² − 2x·y in float32 loses relative accuracy on entries
 * much smaller than ‖x‖² + ‖y‖² (cancellation), which the floor accounts for.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture, maxRelErr } from '@ot/test-utils';
import { afterAll, expect, it } from 'vitest';
import { checkDirections, costChunks, createRng, orthogonalDirections, pnormCost, project, randomDirections, sqeuclideanCost } from '@ot/core';
import { noteError, printErrors } from './helpers.js';

interface CostCase {
  x: number[][];
  y: number[][];
  sqeuclidean: number[][];
  pnorm: Record<string, number[][]>;
}
const costCases = await loadFixture<CostCase[]>(import.meta.url, './fixtures/costs.json');

afterAll(() => printErrors('projections and costs'));

function columnNorms(t: tf.Tensor2D): number[] {
  const [d, L] = t.shape;
  const a = t.dataSync();
  return Array.from({ length: L }, (_, l) => Math.hypot(...Array.from({ length: d }, (_, i) => a[i * L + l] as number)));
}

describeWithBackends('randomDirections', () => {
  it('has unit-norm columns, shape [d, L], and is reproducible with a seed', async () => {
    await expectNoLeakedTensors(() => {
      const a = randomDirections(7, 50, { seed: 3 });
      const b = randomDirections(7, 50, { seed: 3 });
      const c = randomDirections(7, 50, { seed: 4 });
      expect(a.shape).toEqual([7, 50]);
      for (const n of columnNorms(a)) expect(Math.abs(n - 1)).toBeLessThan(1e-5);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
      tf.dispose([a, b, c]);
    });
  });

  it('an Rng seed advances: successive draws differ, the same generator state repeats them', () => {
    const r1 = createRng(11);
    const a = randomDirections(3, 4, { seed: r1 });
    const b = randomDirections(3, 4, { seed: r1 });
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    const r2 = createRng(11);
    const a2 = randomDirections(3, 4, { seed: r2 });
    expect(Array.from(a2.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, a2]);
  });

  it('is roughly uniform on the sphere (mean direction ≈ 0, second moment ≈ I/d)', () => {
    const d = 4;
    const L = 4000;
    const t = randomDirections(d, L, { seed: 5 });
    const a = t.dataSync();
    for (let i = 0; i < d; i++) {
      let m = 0;
      let s = 0;
      for (let l = 0; l < L; l++) {
        m += a[i * L + l] as number;
        s += (a[i * L + l] as number) ** 2;
      }
      expect(Math.abs(m / L)).toBeLessThan(0.05);
      expect(Math.abs(s / L - 1 / d)).toBeLessThan(0.03);
    }
    t.dispose();
  });
});

describeWithBackends('orthogonalDirections', () => {
  for (const [d, L] of [[5, 5], [4, 10], [6, 3], [1, 3]] as const) {
    it(`d=${d}, L=${L}: orthonormal within blocks of d columns, reproducible`, async () => {
      await expectNoLeakedTensors(() => {
        const t = orthogonalDirections(d, L, { seed: 9 });
        expect(t.shape).toEqual([d, L]);
        const a = t.dataSync();
        for (let start = 0; start < L; start += d) {
          const cols = Math.min(d, L - start);
          for (let p = 0; p < cols; p++) {
            for (let q = 0; q < cols; q++) {
              let dot = 0;
              for (let i = 0; i < d; i++) dot += (a[i * L + start + p] as number) * (a[i * L + start + q] as number);
              expect(Math.abs(dot - (p === q ? 1 : 0))).toBeLessThan(1e-5);
            }
          }
        }
        const t2 = orthogonalDirections(d, L, { seed: 9 });
        expect(Array.from(t2.dataSync())).toEqual(Array.from(a));
        tf.dispose([t, t2]);
      });
    });
  }
  it('different blocks are different bases', () => {
    const t = orthogonalDirections(3, 6, { seed: 1 });
    const a = t.arraySync();
    expect(a.map((r) => r.slice(0, 3))).not.toEqual(a.map((r) => r.slice(3, 6)));
    t.dispose();
  });
});

describeWithBackends('project and checkDirections', () => {
  it('project(x, dirs) = x @ dirs, column l holds ⟨x_i, θ_l⟩', async () => {
    const x = tf.tensor2d([[1, 2, 3], [-1, 0, 0.5]]);
    const dirs = tf.tensor2d([[1, 0], [0, 0.6], [0, 0.8]]);
    await expectNoLeakedTensors(() => {
      const p = project(x, dirs);
      expectTensorsClose(p, [[1, 1.2 + 2.4], [-1, 0.4]], { rtol: 1e-6, atol: 1e-6 });
      p.dispose();
      const q = project([[1, 2, 3]], [[1], [0], [0]]);
      expectTensorsClose(q, [[1]]);
      q.dispose();
    });
    // The projection of one direction equals the 1D projection used by sliced distances.
    const g = tf.grad((z: tf.Tensor) => tf.sum(project(z, dirs)))(x);
    expectTensorsClose(g, [[1, 0.6, 0.8], [1, 0.6, 0.8]], { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([x, dirs, g]);
  });

  it('checkDirections accepts unit columns and returns them', () => {
    const d = randomDirections(3, 5, { seed: 2 });
    const t = checkDirections(d, 3);
    expect(t).toBe(d);
    d.dispose();
  });
});

describeWithBackends('cost matrices vs POT ot.dist', () => {
  costCases.forEach((c, idx) => {
    it(`case ${idx}: ${c.x.length}×${c.y.length}, d=${c.x[0]!.length}`, async () => {
      const x = tf.tensor2d(c.x);
      const y = tf.tensor2d(c.y);
      await expectNoLeakedTensors(() => {
        const C = sqeuclideanCost(x, y);
        const scale = Math.max(...c.sqeuclidean.flat());
        const err = maxRelErr(C, c.sqeuclidean, 1e-5 * scale);
        noteError('sqeuclideanCost', err);
        expect(err).toBeLessThan(1e-5);
        // Chunked with a tiny budget (3 rows per block) equals the one-block result exactly.
        const Cc = sqeuclideanCost(x, y, { maxChunkElements: 3 * Math.max(c.y.length, c.x[0]!.length) });
        expect(Array.from(Cc.dataSync())).toEqual(Array.from(C.dataSync()));
        for (const [ps, ref] of Object.entries(c.pnorm)) {
          const p = Number(ps);
          const P = pnormCost(x, y, p);
          const s = Math.max(...ref.flat());
          const e = maxRelErr(P, ref, 1e-5 * s);
          noteError(`pnormCost p=${ps}`, e);
          expect(e).toBeLessThan(1e-5);
          const Pc = pnormCost(x, y, p, { maxChunkElements: 1 });
          expect(Array.from(Pc.dataSync())).toEqual(Array.from(P.dataSync()));
          tf.dispose([P, Pc]);
        }
        tf.dispose([C, Cc]);
      });
      tf.dispose([x, y]);
    });
  });

  it('pnormCost gradients: finite where x = y, analytic p‖x − y‖^{p−2}(x − y) elsewhere', () => {
    const x = tf.tensor2d([[0.3, 1], [2, -1]]);
    const y = tf.tensor2d([[0.3, 1], [0, 0.5]]);
    for (const p of [1, 1.5, 2, 3]) {
      const g = tf.grad((a: tf.Tensor) => tf.sum(pnormCost(a, y, p)))(x);
      const xs = x.arraySync();
      const ys = y.arraySync();
      const expected = xs.map((xi) =>
        xi.map((_, k) =>
          ys.reduce((s, yj) => {
            const r = Math.hypot(xi[0]! - yj[0]!, xi[1]! - yj[1]!);
            return r === 0 ? s : s + p * r ** (p - 2) * (xi[k]! - yj[k]!);
          }, 0),
        ),
      );
      expectTensorsClose(g, expected, { rtol: 1e-4, atol: 1e-4 });
      g.dispose();
    }
    tf.dispose([x, y]);
  });

  it('costChunks covers every row once within the budget', () => {
    const c = costCases[1]!;
    const x = tf.tensor2d(c.x);
    const y = tf.tensor2d(c.y);
    const budget = 5 * c.y.length;
    const rows: number[] = [];
    const full = sqeuclideanCost(x, y);
    const fullArr = full.arraySync();
    for (const { start, cost } of costChunks(x, y, { maxChunkElements: budget })) {
      expect(cost.size).toBeLessThanOrEqual(budget);
      const arr = cost.arraySync();
      arr.forEach((row, r) => expect(row).toEqual(fullArr[start + r]));
      for (let r = 0; r < cost.shape[0]; r++) rows.push(start + r);
      cost.dispose();
    }
    expect(rows).toEqual(Array.from({ length: c.x.length }, (_, i) => i));
    tf.dispose([x, y, full]);
  });
});
