/**
 * The packages' reference fixtures, run in headless Chromium on tfjs-webgl (and on the browser's
 * wasm backend for comparison): Node has no WebGL, so this is where the numerical routines meet
 * the webgl kernels (float32 textures, packed ops, its own sort and cumsum shaders).
 *
 * Checked against the committed fixtures (no Python needed): `wasserstein1d` against POT on all
 * 36 cases of `packages/core/test/fixtures/w1d.json` (values) and its gradients against torch
 * float64 (`w1d_grad.json`); `slicedWasserstein` against POT (`sliced_refs.json`, 12 cases with
 * fixed directions, weights, n ≠ m) and its gradient against torch; `cTransform` against POT at
 * six λ and its gradients in X and ψ against torch (`semidual_refs.json`); the Mix3→Mix10 benchmark
 * maps (DenseICNN gradients with the published weights, d = 2 and 4) against the published T(x);
 * `conjugate` (L-BFGS with either line search) against the closed form of a quadratic and
 * ∇f(x̂) = y on an ICNN; KID against its reference; no tensor left behind.
 * In this Chromium WebGL is SwiftShader (software) with float32 textures, the same shaders as a
 * GPU runs (tfjs must find float32 render targets, or it falls back to float16 and these checks
 * fail). Tolerances are those of the Node tests: 1e-5 relative on values, 1e-4 on gradients.
 * Skipped (with a message) only when /usr/bin/chromium is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flat, maxRelErr, type CTransformRefs, type SlicedRefs, type W1dCase, type W1dGradCase } from '@ot/test-utils';
import { serveDir } from './static-server.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(ROOT, '..', '..');
const hasChromium = existsSync(CHROMIUM);

const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as T;
const w1dCases = fixture<W1dCase[]>('packages/core/test/fixtures/w1d.json');
const w1dGrads = fixture<W1dGradCase[]>('packages/core/test/fixtures/w1d_grad.json');
const sliced = fixture<SlicedRefs>('packages/sliced/test/fixtures/sliced_refs.json');
const ctransform = fixture<{ ctransform: CTransformRefs }>('packages/semidual/test/fixtures/semidual_refs.json').ctransform;
const kid = fixture<{ kid: { x: number[][]; y: number[][]; mmd2: number } }>('packages/metrics/test/fixtures/metrics_refs.json').kid;
const w2Pairs = [2, 4].map((d) => fixture<{ reference: { x: number[][]; Tx: number[][] } }>(`packages/icnn/test/fixtures/mix3tomix10-d${d}.json`));

/** Largest |a − b| / (atol + rtol·|b|): at most 1 when every entry is within tolerance (∞ when an entry is not finite). */
function worstRatio(got: number[], want: number[], rtol: number, atol: number): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (!Number.isFinite(g)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(g - w) / (atol + rtol * Math.abs(w)));
  }
  return worst;
}

if (!hasChromium) {
  console.warn(`browser numerics skipped: ${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!hasChromium)('reference fixtures in headless Chromium', () => {
  let outDir = '';
  let server: Awaited<ReturnType<typeof serveDir>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'ot-numerics-'));
    await build({
      root: join(ROOT, 'test', 'numerics'),
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    server = await serveDir(outDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  });

  // The Node tests' tolerances: 1e-5 relative on values, 1e-4 on gradients (measured on webgl
  // here, 2026-12-01: worst 4e-7 on wasserstein1d values, 2e-7 on sliced ones).
  const valueTol = 1e-5;
  const gradTol = 1e-4;
  for (const backend of ['webgl', 'wasm'] as const) {
    describe(backend, () => {
      let page: Page | undefined;
      const errors: string[] = [];

      beforeAll(async () => {
        if (browser === undefined || server === undefined) throw new Error('setup failed');
        page = await browser.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}?backend=${backend}`);
        await page.waitForFunction(() => document.body.dataset['ready'] === '1', undefined, { timeout: 60_000 });
        const started = await page.evaluate(() => ({ backend: window.ot?.backend, active: window.ot?.tf.getBackend(), error: window.ot?.error }));
        expect(started).toEqual({ backend, active: backend, error: undefined });
        if (backend === 'webgl') {
          const flags = await page.evaluate(() => ({
            float32: window.ot!.tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
            cpuForward: window.ot!.tf.env().getBool('WEBGL_CPU_FORWARD'),
          }));
          expect(flags, 'float32 render targets, no CPU forwarding of small ops').toEqual({ float32: true, cpuForward: false });
        }
      }, 90_000);

      afterAll(async () => {
        await page?.close();
        expect(errors).toEqual([]);
      });

      it('wasserstein1d matches POT on every fixture case, without leaking tensors', async () => {
        const out = await page!.evaluate((cases) => {
          const { tf, core } = window.ot!;
          const before = tf.memory().numTensors;
          const values = cases.map((c) =>
            tf.tidy(() => {
              const opts = { p: c.p, ...(c.uWeights ? { uWeights: c.uWeights } : {}), ...(c.vWeights ? { vWeights: c.vWeights } : {}) };
              return Array.from(core.wasserstein1d(tf.tensor(c.u), tf.tensor(c.v), opts).dataSync());
            }),
          );
          return { values, leaked: tf.memory().numTensors - before };
        }, w1dCases);
        expect(out.leaked).toBe(0);
        let worst = 0;
        for (const [k, c] of w1dCases.entries()) {
          const err = maxRelErr(out.values[k] as number[], flat(c.value), 1e-6);
          worst = Math.max(worst, err);
          expect(err, c.name).toBeLessThan(valueTol);
        }
        console.log(`browser ${backend}: wasserstein1d worst relative difference to POT ${worst.toExponential(2)} (${w1dCases.length} cases)`);
      });

      it('wasserstein1d gradients match torch float64', async () => {
        const grads = await page!.evaluate((cases) => {
          const { tf, core } = window.ot!;
          return cases.map((c) =>
            tf.tidy(() => {
              const v = tf.tensor1d(c.v);
              const opts = { p: c.p, ...(c.uWeights ? { uWeights: c.uWeights } : {}), ...(c.vWeights ? { vWeights: c.vWeights } : {}) };
              const g = tf.grad((u: import('@tensorflow/tfjs-core').Tensor) => core.wasserstein1d(u, v, opts))(tf.tensor1d(c.u));
              return Array.from(g.dataSync());
            }),
          );
        }, w1dGrads);
        let worst = 0;
        for (const [k, c] of w1dGrads.entries()) {
          const scale = Math.max(...c.grad.map(Math.abs));
          const err = maxRelErr(grads[k] as number[], c.grad, 1e-5 * scale);
          worst = Math.max(worst, err);
          expect(err, `case ${k} p=${c.p}`).toBeLessThan(gradTol);
        }
        console.log(`browser ${backend}: wasserstein1d gradient worst relative difference to torch ${worst.toExponential(2)} (${w1dGrads.length} cases)`);
      });

      it('slicedWasserstein matches POT (fixed directions, weights, n ≠ m) and its gradient matches torch', async () => {
        const out = await page!.evaluate((refs) => {
          const { tf, sliced: sw } = window.ot!;
          const before = tf.memory().numTensors;
          const values = refs.sw.map((c) =>
            tf.tidy(() => {
              const r = sw.slicedWasserstein(tf.tensor2d(c.X), tf.tensor2d(c.Y), {
                p: c.p,
                projections: tf.transpose(tf.tensor2d(c.P)) as import('@tensorflow/tfjs-core').Tensor2D,
                ...(c.a !== null ? { a: tf.tensor1d(c.a) } : {}),
                ...(c.b !== null ? { b: tf.tensor1d(c.b) } : {}),
                returnDetails: true,
              });
              return { value: r.value.dataSync()[0] as number, costs: Array.from(r.projectedCosts.dataSync()) };
            }),
          );
          const g = refs.sw_grad;
          const grad = tf.tidy(() => {
            const Y = tf.tensor2d(g.Y);
            const P = tf.transpose(tf.tensor2d(g.P)) as import('@tensorflow/tfjs-core').Tensor2D;
            return Array.from(tf.grad((x: import('@tensorflow/tfjs-core').Tensor) => sw.slicedWasserstein(x as import('@tensorflow/tfjs-core').Tensor2D, Y, { projections: P }))(tf.tensor2d(g.X)).dataSync());
          });
          return { values, grad, leaked: tf.memory().numTensors - before };
        }, sliced);
        expect(out.leaked).toBe(0);
        let worst = 0;
        for (const [k, c] of sliced.sw.entries()) {
          const got = out.values[k]!;
          const err = maxRelErr([got.value], [c.value], 1e-6);
          worst = Math.max(worst, err);
          expect(err, `p=${c.p} n=${c.n} m=${c.m} weighted=${c.weighted}`).toBeLessThan(valueTol);
          expect(maxRelErr(got.costs, c.costs, 0.05), `costs p=${c.p} n=${c.n} m=${c.m}`).toBeLessThan(2 * valueTol);
        }
        const want = sliced.sw_grad.grad.flat();
        const scale = Math.max(...want.map(Math.abs));
        const gradErr = maxRelErr(out.grad, want, scale);
        expect(gradErr).toBeLessThan(4 * gradTol);
        console.log(`browser ${backend}: slicedWasserstein worst relative difference to POT ${worst.toExponential(2)} (${sliced.sw.length} cases), gradient ${gradErr.toExponential(2)} of its largest entry`);
      });

      it('cTransform matches POT at every λ and its gradients (X and ψ) match torch', async () => {
        const out = await page!.evaluate((ct) => {
          const { tf, semidual: sd } = window.ot!;
          const before = tf.memory().numTensors;
          const res = ct.cases.map((c) =>
            tf.tidy(() => {
              const values = Array.from(sd.cTransform(ct.psi, ct.X, ct.Y, { lambda: c.lambda, nu: ct.nu }).dataSync());
              const g = tf.grads((x: import('@tensorflow/tfjs-core').Tensor, p: import('@tensorflow/tfjs-core').Tensor) =>
                tf.sum(tf.mul(sd.cTransform(p as import('@tensorflow/tfjs-core').Tensor1D, x as import('@tensorflow/tfjs-core').Tensor2D, ct.Y, { lambda: c.lambda, nu: ct.nu, validate: 'shapes' }), ct.w)),
              )([tf.tensor2d(ct.X), tf.tensor1d(ct.psi)]);
              return { values, gradX: Array.from(g[0]!.dataSync()), gradPsi: Array.from(g[1]!.dataSync()) };
            }),
          );
          return { res, leaked: tf.memory().numTensors - before };
        }, ctransform);
        expect(out.leaked).toBe(0);
        let worst = 0;
        for (const [k, c] of ctransform.cases.entries()) {
          const r = out.res[k]!;
          // The Node test's tolerances (looser gradients for 0 < λ < 1e-2).
          const gt = c.lambda > 0 && c.lambda < 1e-2 ? 1e-3 : 1e-4;
          const v = worstRatio(r.values, c.values, 1e-4, 1e-5);
          worst = Math.max(worst, v);
          expect(v, `values λ=${c.lambda}`).toBeLessThanOrEqual(1);
          expect(worstRatio(r.gradX, c.gradX.flat(), gt, gt), `∇X λ=${c.lambda}`).toBeLessThanOrEqual(1);
          expect(worstRatio(r.gradPsi, c.gradPsi, gt, gt), `∇ψ λ=${c.lambda}`).toBeLessThanOrEqual(1);
        }
        console.log(`browser ${backend}: cTransform worst error / tolerance ${worst.toExponential(2)} (${ctransform.cases.length} values of λ)`);
      });

      it('the benchmark maps (DenseICNN gradients with the published weights) reproduce T(x), d = 2 and 4', async () => {
        const out = await page!.evaluate((pairs) => {
          const { tf, icnn } = window.ot!;
          const before = tf.memory().numTensors;
          const maps = pairs.map((json) => {
            const pair = icnn.parseW2Benchmark(json);
            const tx = tf.tidy(() => Array.from(pair.map(tf.tensor2d(json.reference.x)).dataSync()));
            pair.dispose();
            return tx;
          });
          return { maps, leaked: tf.memory().numTensors - before };
        }, w2Pairs);
        expect(out.leaked).toBe(0);
        for (const [k, pair] of w2Pairs.entries()) {
          const want = pair.reference.Tx.flat();
          const rms = Math.sqrt(want.reduce((a, v) => a + v * v, 0) / want.length);
          const ratio = worstRatio(out.maps[k]!, want, 1e-4, 1e-4 * rms);
          expect(ratio, `d = ${pair.reference.x[0]!.length}`).toBeLessThanOrEqual(1);
          console.log(`browser ${backend}: W2 benchmark map d = ${pair.reference.x[0]!.length}, worst error / tolerance ${ratio.toExponential(2)}`);
        }
      });

      it('conjugate: L-BFGS (both line searches) finds the closed-form point of a quadratic, and ∇f(x̂) = y on an ICNN', async () => {
        // f(x) = ½ xᵀAx + bᵀx: x̂(y) = A⁻¹(y − b).
        const A = [
          [2, 0.5],
          [0.5, 1],
        ];
        const b = [1, -1];
        const ys = [
          [0, 0],
          [3, -2],
          [-1.5, 4],
          [10, 10],
        ];
        const det = 2 * 1 - 0.25;
        const want = ys.flatMap(([y0, y1]) => {
          const [r0, r1] = [y0! - b[0]!, y1! - b[1]!];
          return [(1 * r0 - 0.5 * r1) / det, (-0.5 * r0 + 2 * r1) / det];
        });
        const out = await page!.evaluate(({ A, b, ys }) => {
          const { tf, icnn } = window.ot!;
          const before = tf.memory().numTensors;
          const quadratic = {
            dim: 2,
            valueAndGrad: (x: import('@tensorflow/tfjs-core').Tensor2D) =>
              tf.tidy(() => {
                const ax = tf.matMul(x, tf.tensor2d(A));
                const value = tf.add(tf.mul(tf.sum(tf.mul(ax, x), 1), 0.5), tf.sum(tf.mul(x, tf.tensor1d(b)), 1)) as import('@tensorflow/tfjs-core').Tensor1D;
                return { value, grad: tf.add(ax, tf.tensor1d(b)) as import('@tensorflow/tfjs-core').Tensor2D };
              }),
          };
          const quad = (['backtracking', 'parallel'] as const).map((lineSearch) => {
            const r = icnn.conjugate(quadratic, ys, { solver: 'lbfgs', lineSearch, gtol: 1e-5, maxIter: 100 });
            const x = Array.from(r.x.dataSync());
            tf.dispose([r.x, r.value]);
            return { x, converged: Array.from(r.converged) };
          });
          const f = new icnn.DenseICNN({ dim: 3, hidden: [16, 16, 8], strongConvexity: 0.5, seed: 2 });
          const y = tf.randomNormal([20, 3], 0, 1, 'float32', 5) as import('@tensorflow/tfjs-core').Tensor2D;
          const r = icnn.conjugate(f, y, { solver: 'lbfgs', gtol: 1e-4, maxIter: 200 });
          const residual = tf.tidy(() => tf.max(tf.abs(tf.sub(f.push(r.x), y))).dataSync()[0] as number);
          const icnnConverged = r.converged.every((c) => c === 1);
          tf.dispose([r.x, r.value, y]);
          f.dispose();
          return { quad, residual, icnnConverged, leaked: tf.memory().numTensors - before };
        }, { A, b, ys });
        expect(out.leaked).toBe(0);
        for (const q of out.quad) {
          expect(q.converged).toEqual([1, 1, 1, 1]);
          expect(worstRatio(q.x, want, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
        }
        expect(out.icnnConverged).toBe(true);
        expect(out.residual).toBeLessThan(1e-3);
        console.log(`browser ${backend}: conjugate on an ICNN, max |∇f(x̂) − y| = ${out.residual.toExponential(2)}`);
      });

      it('KID (Gram matrices on the backend, unbiased MMD²) matches the reference on the full sets', async () => {
        const out = await page!.evaluate((k) => {
          const { tf, metrics: m } = window.ot!;
          const before = tf.memory().numTensors;
          const [x, y] = [tf.tensor2d(k.x), tf.tensor2d(k.y)];
          const r = m.kernelInceptionDistance(x, y, { subsets: 2, subsetSize: k.x.length, seed: 1 });
          tf.dispose([x, y]);
          return { values: r.values, leaked: tf.memory().numTensors - before };
        }, kid);
        expect(out.leaked).toBe(0);
        // The Node test's tolerance (toBeCloseTo(·, 4): 5e-5 absolute).
        for (const v of out.values) expect(Math.abs(v - kid.mmd2)).toBeLessThan(5e-5);
        console.log(`browser ${backend}: KID ${out.values[0]} vs reference ${kid.mmd2}`);
      });
    });
  }
});
