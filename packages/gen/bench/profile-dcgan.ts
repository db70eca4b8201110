/**
 * Kernel profile of one DCGAN-28 + SW_2 (L = 1000, batch 64) training step — the step that
 * `table2.ts` times beside PyTorch: the step time, the time to draw the 784 × 1000 directions, and
 * the kernels by total time (`tf.profile`).
 *
 * Run: `node --conditions=source --import tsx bench/profile-dcgan.ts`
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, randomDirections } from '@ot/core';
import { slicedWasserstein } from '@ot/sliced';
import { Adam, DcganGenerator } from '../src/index.js';
await initBackend({ backend: 'wasm', quiet: true });
tf.enableProdMode();
const g = new DcganGenerator({ imageSize: 28, channels: 1, latentDim: 100, widths: [128, 64], seed: 0 });
const opt = new Adam(g.trainableVariables(), { lr: 2e-4, betas: [0.5, 0.999] });
const real = tf.randomUniform([64, 784], -1, 1);
const dcStep = () => {
  const z = tf.randomNormal([64, 100]);
  opt.minimize(() => slicedWasserstein(tf.reshape(g.forward(z, { training: true }), [64, 784]), real as tf.Tensor2D, { nProjections: 1000, seed: 0, validate: 'shapes' }));
  g.commitUpdates();
  z.dispose();
};
for (let i = 0; i < 3; i++) dcStep();
let t0 = performance.now();
for (let i = 0; i < 5; i++) dcStep();
console.log('step ms', (performance.now() - t0) / 5);
t0 = performance.now();
for (let i = 0; i < 5; i++) tf.dispose(randomDirections(784, 1000, { seed: i }));
console.log('randomDirections ms', (performance.now() - t0) / 5);
const prof = await tf.profile(() => { dcStep(); });
const agg = new Map<string, number>();
for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
const tot = [...agg.values()].reduce((a, b) => a + b, 0);
console.log('kernel total', tot.toFixed(1));
for (const [k, v] of [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(k.padEnd(28), v.toFixed(1));
