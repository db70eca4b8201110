/**
 * A latent walk through a Wasserstein autoencoder (Tolstikhin, Bousquet, Gelly, Schölkopf, ICLR 2018;
 * SWAE: Kolouri et al., ICLR 2019) trained on MNIST with `@ot/gen`:
 *
 * - `out/samples.png`: 64 decoded prior samples z ~ N(0, I) — the generative model;
 * - `out/interpolations.png`: 8 rows, each a test digit, the decoded codes (1 − t)·E(a) + t·E(b)
 *   for t = 0 … 1, and the second digit;
 * - `out/prior-walk.png`: 8 rows of decoded spherical interpolations between two prior samples
 *   (slerp, which stays in the typical set of a Gaussian);
 * - `out/reconstructions.png` and `out/report.json` (losses, reconstruction MSE, MMD(q(z), p(z))).
 *
 *   pnpm start                        # WAE-MMD, 2000 steps (minutes on the wasm backend)
 *   pnpm start --model swae           # or wae-gan
 *   pnpm start --smoke                # 30 steps, small network: seconds
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
import { SwaeTrainer, WaeGanTrainer, WaeMmdTrainer, loadMnist, mmd, type AutoencoderTrainer } from '@ot/gen';
import { imageGrid } from '@ot/cli';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const model = flag('--model') ?? 'wae-mmd';
const steps = Number(flag('--steps') ?? (smoke ? 30 : 2000));
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');
const cols = 10;

await initBackend({ backend: flag('--backend') ?? 'wasm', quiet: true });
tf.enableProdMode();
const train = loadMnist();
const test = loadMnist({ split: 'test' });
const options = { dataset: train, batchSize: smoke ? 32 : 100, seed: 0, latentDim: 8, hidden: smoke ? [128, 64] : [512, 256] };
const trainer: AutoencoderTrainer =
  model === 'swae' ? new SwaeTrainer({ ...options, L: 50 }) : model === 'wae-gan' ? new WaeGanTrainer({ ...options, discriminatorHidden: smoke ? [32] : [256, 256] }) : new WaeMmdTrainer(options);

const t0 = performance.now();
let last: Record<string, number> = {};
await trainer.run({
  steps,
  onProgress: ({ step, losses }) => {
    last = losses;
    if (step % Math.max(1, Math.round(steps / 10)) === 0) console.log(`step ${step}/${steps}`, Object.entries(losses).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' | '));
  },
});
const trainSeconds = (performance.now() - t0) / 1000;

const png = (name: string, x: tf.Tensor, c = cols): string => {
  const file = join(out, name);
  writeFileSync(file, imageGrid(x.dataSync() as Float32Array, x.shape as [number, number, number, number], c));
  return file;
};

/** Spherical interpolation between rows a and b `[k, d]` at t. */
const slerp = (a: tf.Tensor2D, b: tf.Tensor2D, t: number): tf.Tensor2D =>
  tf.tidy(() => {
    const cos = tf.clipByValue(tf.div(tf.sum(tf.mul(a, b), 1, true), tf.mul(tf.norm(a, 2, 1, true), tf.norm(b, 2, 1, true))), -0.9999, 0.9999);
    const omega = tf.acos(cos);
    const s = tf.sin(omega);
    return tf.add(tf.mul(a, tf.div(tf.sin(tf.mul(omega, 1 - t)), s)), tf.mul(b, tf.div(tf.sin(tf.mul(omega, t)), s))) as tf.Tensor2D;
  });

mkdirSync(out, { recursive: true });
const files: string[] = [];
tf.tidy(() => {
  files.push(png('samples.png', trainer.sample(64, { seed: 1 }), 8));

  // Interpolations between pairs of test digits, in code space.
  const a = test.sample(8, 11);
  const b = test.sample(8, 12);
  const za = trainer.encode(a);
  const zb = trainer.encode(b);
  const ts = Array.from({ length: cols - 2 }, (_, i) => i / (cols - 3));
  const steps = ts.map((t) => trainer.decode(tf.add(tf.mul(za, 1 - t), tf.mul(zb, t))));
  const rows: tf.Tensor[] = [];
  for (let r = 0; r < 8; r++) {
    rows.push(tf.slice(a, [r], [1]));
    for (const s of steps) rows.push(tf.slice(s, [r], [1]));
    rows.push(tf.slice(b, [r], [1]));
  }
  files.push(png('interpolations.png', tf.concat(rows, 0)));

  // A walk through the prior: slerp between two prior samples per row.
  const p = trainer.prior.sample(8, 21);
  const q = trainer.prior.sample(8, 22);
  const walk = Array.from({ length: cols }, (_, i) => trainer.decode(slerp(p, q, i / (cols - 1))));
  const wrows: tf.Tensor[] = [];
  for (let r = 0; r < 8; r++) for (const w of walk) wrows.push(tf.slice(w, [r], [1]));
  files.push(png('prior-walk.png', tf.concat(wrows, 0)));

  const x = test.sample(16, 31);
  const recon = trainer.reconstruct(x);
  files.push(png('reconstructions.png', tf.concat([tf.slice(x, [0], [8]), tf.slice(recon, [0], [8]), tf.slice(x, [8], [8]), tf.slice(recon, [8], [8])], 0), 8));
});
const latentMmd = tf.tidy(() => mmd(trainer.encode(test.sample(1000, 41)), trainer.prior.sample(1000, 42)).dataSync()[0] as number);
const report = {
  model,
  steps,
  smoke,
  trainSeconds,
  finalLosses: last,
  reconstructionMse: trainer.reconstructionError(1000, 43),
  latentMmdToPrior: latentMmd,
  files,
};
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify({ ...report, files: files.map((f) => f.slice(out.length + 1)) }));
trainer.dispose();
train.dispose();
test.dispose();
