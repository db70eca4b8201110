/**
 * `pnpm bench` for @ot/semidual (issue 4): c-transform of 256 points against J ∈ {10k, 60k}
 * MNIST-sized targets (d = 784, uniform [0, 1] pixels, the paper's normalized cost, λ = 0.01;
 * forward, and forward + gradient w.r.t. X), and log-domain Sinkhorn n = m = 1000, d = 2,
 * reg = 0.05, against POT 0.8.2 (NumPy float64) on the same machine, with ratios.
 *
 * Usage: node --conditions=source --import tsx bench/semidual-bench.ts [--backends wasm,cpu] [--reps 3] [--quick]
 * Writes bench/results.json and prints a Markdown table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, randomNormal, randomUniform } from '@ot/core';
import { SemiDualTarget, cTransform, sinkhorn } from '../src/index.js';
import { sqeuclideanCost } from '@ot/core';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : dflt;
};
const quick = args.includes('--quick');
const backends = arg('backends', 'wasm').split(',');
const reps = Number(arg('reps', quick ? '1' : '3'));
const Js = quick ? [2000] : [10000, 60000];
const SK = { n: quick ? 200 : 1000, reg: 0.05, tol: 1e-6, maxIter: 20000 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => void, n: number): number {
  fn(); // warm-up (kernel compilation, allocation)
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

interface Row {
  backend: string;
  what: string;
  ms: number;
  potMs?: number;
  note?: string;
}
const rows: Row[] = [];

// Sinkhorn clouds shared with the POT script.
await initBackend({ backend: 'cpu', quiet: true });
const xs = randomNormal([SK.n, 2], 1) as tf.Tensor2D;
const ys = randomNormal([SK.n, 2], 2) as tf.Tensor2D;
const dir = mkdtempSync(join(tmpdir(), 'semidual-bench-'));
const cloudsFile = join(dir, 'clouds.json');
writeFileSync(cloudsFile, JSON.stringify({ x: xs.arraySync(), y: ys.arraySync(), reg: SK.reg, tol: SK.tol, maxIter: SK.maxIter, J: Js }));
const xsData = xs.arraySync();
const ysData = ys.arraySync();
tf.dispose([xs, ys]);

let pot: { pot: string; ctransform: Record<string, number>; sinkhorn: { ms: number; transportCost: number; iterations: number } } | undefined;
if (existsSync('/usr/bin/python3')) {
  try {
    const out = execFileSync('/usr/bin/python3', [new URL('./pot_bench.py', import.meta.url).pathname, cloudsFile, String(reps)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE' },
      maxBuffer: 1 << 24,
    });
    pot = JSON.parse(out.trim().split('\n').pop() as string);
  } catch (e) {
    console.error('POT side failed (is python3-pot installed?):', (e as Error).message);
  }
}

for (const backend of backends) {
  await initBackend({ backend, quiet: true });
  for (const J of Js) {
    const X = randomUniform([256, 784], 3) as tf.Tensor2D;
    const Y = randomUniform([J, 784], 4) as tf.Tensor2D;
    const psi = tf.mul(randomNormal([J], 5), 0.1) as tf.Tensor1D;
    const target = new SemiDualTarget(Y, { cost: 'normalized-sqeuclidean', chunkSize: 4096 });
    const fwd = time(() => tf.tidy(() => cTransform(psi, X, target, { lambda: 0.01, validate: 'shapes' }).dataSync()), reps);
    const hard = time(() => tf.tidy(() => cTransform(psi, X, target, { lambda: 0, validate: 'shapes' }).dataSync()), reps);
    const bwd = time(
      () =>
        tf.tidy(() => {
          tf.grads((x: tf.Tensor, p: tf.Tensor) => tf.sum(cTransform(p, x, target, { lambda: 0.01, validate: 'shapes' })))([X, psi]).forEach((g) => g.dataSync());
        }),
      reps,
    );
    const oneShot = time(
      () => tf.tidy(() => cTransform(psi, X, Y, { lambda: 0.01, cost: 'normalized-sqeuclidean', validate: 'shapes' }).dataSync()),
      reps,
    );
    const potMs = pot?.ctransform[String(J)];
    rows.push({ backend, what: `c-transform 256 × ${J} × 784, λ = 0.01 (prepared target, chunks of 4096)`, ms: fwd, potMs });
    rows.push({ backend, what: `c-transform 256 × ${J} × 784, λ = 0 (hard min)`, ms: hard, potMs });
    rows.push({ backend, what: `c-transform 256 × ${J} × 784, λ = 0.01, raw Y (chunking per call)`, ms: oneShot, potMs });
    rows.push({ backend, what: `c-transform + gradient w.r.t. X and ψ, 256 × ${J} × 784`, ms: bwd });
    target.dispose();
    tf.dispose([X, Y, psi]);
    console.error(`[${backend}] J = ${J} done`);
  }
  const M = sqeuclideanCost(xsData, ysData);
  let res: ReturnType<typeof sinkhorn> | undefined;
  const t0 = performance.now();
  res = sinkhorn(undefined, undefined, M, { reg: SK.reg, tol: SK.tol, maxIter: SK.maxIter });
  const skMs = performance.now() - t0;
  const note = `${res.iterations} iterations (POT ${pot?.sinkhorn.iterations ?? '?'}), converged ${res.converged}; ⟨P,M⟩ ${res.transportCost.toFixed(6)} vs POT ${pot?.sinkhorn.transportCost.toFixed(6) ?? '?'}`;
  rows.push({ backend, what: `Sinkhorn log-domain n = m = ${SK.n}, d = 2, reg = ${SK.reg}, tol ${SK.tol}`, ms: skMs, potMs: pot?.sinkhorn.ms, note });
  res.dispose();
  M.dispose();
  console.error(`[${backend}] sinkhorn done`);
}

const lines = [
  '| backend | work | ours (ms) | POT 0.8.2 / NumPy f64 (ms) | ours / POT | note |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.backend} | ${r.what} | ${r.ms.toFixed(0)} | ${r.potMs === undefined ? '—' : r.potMs.toFixed(0)} | ${
        r.potMs === undefined ? '—' : (r.ms / r.potMs).toFixed(2)
      } | ${r.note ?? ''} |`,
  ),
];
console.log(lines.join('\n'));
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), reps, rows, pot }, null, 2));
