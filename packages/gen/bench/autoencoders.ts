/**
 * MNIST benchmark of the OT autoencoders and Wasserstein GANs at one equal step budget:
 * AE, WAE-MMD, WAE-GAN, SWAE (SW and LA-SW), WGAN (clipping), WGAN-GP. Reports the FID with the
 * bundled MNIST extractor of `@ot/metrics` (generated samples vs MNIST test images), the
 * reconstruction MSE (pixels in [−1, 1]) and the MMD (IMQ) / SW_2 between codes and prior samples
 * (autoencoders), and ms/step — mean ± std over the seeds.
 *
 * Run: `node --conditions=source --import tsx bench/autoencoders.ts`
 *   env STEPS (default 500), SEEDS (default "0,1,2"), BATCH (64), FID_N (2000), ONLY (comma list), OUT (JSON file)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
import { MnistExtractor, computeStatistics, fid, tensorSource } from '@ot/metrics';
import { slicedWasserstein } from '@ot/sliced';
import {
  AutoencoderTrainer,
  MlpCritic,
  MlpGenerator,
  SwaeTrainer,
  WaeGanTrainer,
  WaeMmdTrainer,
  WganTrainer,
  loadMnist,
  mmd,
  type Critic,
  type Trainer,
} from '../src/index.js';

const STEPS = Number(process.env['STEPS'] ?? 500);
const SEEDS = (process.env['SEEDS'] ?? '0,1,2').split(',').map(Number);
const BATCH = Number(process.env['BATCH'] ?? 64);
const FID_N = Number(process.env['FID_N'] ?? 2000);
const LATENT = 8;
const OUT = process.env['OUT'] ?? 'bench/results/autoencoders.json';

await initBackend({ backend: process.env['BACKEND'] ?? 'wasm', quiet: true });
tf.enableProdMode();
const train = loadMnist();
const test = loadMnist({ split: 'test' });
const extractor = await MnistExtractor.load();
const testImages = test.head(FID_N) as tf.Tensor4D;
const realStats = await computeStatistics(tensorSource(testImages, 500), { extractor, batchSize: 500 }, 'real');
testImages.dispose();

const ae = (seed: number) => ({ dataset: train, batchSize: BATCH, seed, latentDim: LATENT, hidden: [512, 256] });
const gan = (seed: number) => ({
  dataset: train,
  batchSize: BATCH,
  seed,
  makeGenerator: () => new MlpGenerator({ latentDim: LATENT, outputShape: [28, 28, 1], hidden: [256, 512], output: 'tanh', seed: seed + 1 }),
  makeCritic: () => new MlpCritic({ inputShape: [28, 28, 1], hidden: [512, 256], seed: seed + 2 }) as unknown as Critic,
});
const METHODS: Record<string, (seed: number) => Trainer> = {
  AE: (s) => new AutoencoderTrainer(ae(s)),
  'WAE-MMD': (s) => new WaeMmdTrainer(ae(s)),
  'WAE-GAN': (s) => new WaeGanTrainer({ ...ae(s), discriminatorHidden: [256, 256] }),
  'SWAE (SW, L=50)': (s) => new SwaeTrainer({ ...ae(s), slicer: 'sw', L: 50 }),
  'SWAE (LA-SW)': (s) => new SwaeTrainer({ ...ae(s), slicer: 'la-sw' }),
  'WGAN (clip)': (s) => new WganTrainer({ ...gan(s), mode: 'clip' }),
  'WGAN-GP': (s) => new WganTrainer({ ...gan(s), mode: 'gp' }),
};
const only = process.env['ONLY']?.split(',');

interface Row {
  method: string;
  seed: number;
  fid: number;
  reconstructionMse: number | null;
  latentMmd: number | null;
  latentSw2: number | null;
  msPerStep: number;
}
const rows: Row[] = [];
for (const [method, make] of Object.entries(METHODS)) {
  if (only !== undefined && !only.includes(method)) continue;
  for (const seed of SEEDS) {
    const t = make(seed);
    const t0 = performance.now();
    await t.run({ steps: STEPS });
    const msPerStep = (performance.now() - t0) / STEPS;
    const fake = (function* () {
      for (let i = 0; i < FID_N; i += 500) yield t.sample(Math.min(500, FID_N - i), { seed: 1000 + i }) as tf.Tensor4D;
    })();
    const f = await fid(realStats, fake, { extractor, batchSize: 500 });
    let rec: number | null = null;
    let lm: number | null = null;
    let ls: number | null = null;
    if (t instanceof AutoencoderTrainer) {
      rec = t.reconstructionError(1000, 77);
      [lm, ls] = tf.tidy((): [number, number] => {
        const z = t.encode(test.sample(1000, 78));
        const p = t.prior.sample(1000, 79);
        return [mmd(z, p).dataSync()[0] as number, slicedWasserstein(z, p, { nProjections: 200, seed: 0 }).dataSync()[0] as number];
      });
    }
    t.dispose();
    const row = { method, seed, fid: f, reconstructionMse: rec, latentMmd: lm, latentSw2: ls, msPerStep };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
extractor.dispose();

const stat = (xs: Array<number | null>): string => {
  const v = xs.filter((x): x is number => x !== null);
  if (v.length === 0) return '–';
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
  const digits = m >= 10 ? 1 : m >= 0.1 ? 3 : 4;
  return v.length > 1 ? `${m.toFixed(digits)} ± ${sd.toFixed(digits)}` : m.toFixed(digits);
};
const lines = [
  `MNIST, ${STEPS} steps, batch ${BATCH}, latent ${LATENT}, seeds ${SEEDS.join(', ')}, FID on ${FID_N} samples vs ${FID_N} MNIST test images (MNIST extractor)`,
  '',
  '| method | FID ↓ | reconstruction MSE ↓ | latent MMD² to prior ↓ | latent SW_2 to prior ↓ | ms/step |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const method of [...new Set(rows.map((r) => r.method))]) {
  const rs = rows.filter((r) => r.method === method);
  lines.push(`| ${method} | ${stat(rs.map((r) => r.fid))} | ${stat(rs.map((r) => r.reconstructionMse))} | ${stat(rs.map((r) => r.latentMmd))} | ${stat(rs.map((r) => r.latentSw2))} | ${stat(rs.map((r) => r.msPerStep))} |`);
}
console.log(lines.join('\n'));
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ steps: STEPS, batch: BATCH, latent: LATENT, seeds: SEEDS, fidSamples: FID_N, backend: tf.getBackend(), rows }, null, 2)}\n`);
