/**
 * The packages' reference fixtures, run in headless Chromium on tfjs-webgl (and on the browser's
 * wasm backend for comparison): Node has no WebGL, so this is where the numerical routines meet
 * the webgl kernels (float32 textures, packed ops, its own sort and cumsum shaders).
 *
 * Checked against the committed fixtures (no Python needed): `wasserstein1d` against POT on all
 * 36 cases of `packages/core/test/fixtures/w1d.json` (values) and its gradients against torch
 * float64 (`w1d_grad.json`); `slicedWasserstein` against POT (`sliced_refs.json`, 12 cases with
 * fixed directions, weights, n ≠ m) and its gradient against torch; no tensor left behind.
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
import { serveDir } from './static-server.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(ROOT, '..', '..');
const hasChromium = existsSync(CHROMIUM);

interface W1dCase {
  name: string;
  p: number;
  u: number[] | number[][];
  v: number[] | number[][];
  uWeights?: number[] | number[][];
  vWeights?: number[] | number[][];
  value: number | number[];
}
interface W1dGradCase {
  p: number;
  u: number[];
  v: number[];
  uWeights?: number[];
  vWeights?: number[];
  value: number;
  grad: number[];
}
interface SwCase {
  p: number;
  n: number;
  m: number;
  weighted: boolean;
  X: number[][];
  Y: number[][];
  P: number[][];
  a: number[] | null;
  b: number[] | null;
  value: number;
  costs: number[];
}
interface SlicedRefs {
  sw: SwCase[];
  sw_grad: { X: number[][]; Y: number[][]; P: number[][]; value: number; grad: number[][] };
}

const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as T;
const w1dCases = fixture<W1dCase[]>('packages/core/test/fixtures/w1d.json');
const w1dGrads = fixture<W1dGradCase[]>('packages/core/test/fixtures/w1d_grad.json');
const sliced = fixture<SlicedRefs>('packages/sliced/test/fixtures/sliced_refs.json');

/** Largest |a − b| / max(|b|, floor) over paired entries (floor guards exact zeros). */
function maxRelErr(got: number[], want: number[], floor: number): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (!Number.isFinite(g)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(g - w) / Math.max(Math.abs(w), floor));
  }
  return worst;
}

const flat = (v: number | number[] | number[][]): number[] => (Array.isArray(v) ? (v as unknown[]).flat(2) as number[] : [v]);

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
          const float32 = await page.evaluate(() => window.ot!.tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'));
          expect(float32, 'float32 render targets').toBe(true);
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
    });
  }
});
