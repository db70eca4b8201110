/**
 * `pnpm bench:gen` — Table 2 of Nguyen & Ho (NeurIPS 2022) at this machine's scale: iterations/s
 * and memory of one generator trained with SW (L = 1, 100, 1000, 10000), Max-SW (T2 = 1, 10, 100)
 * and LA / GA / NA-SW, same data (MNIST pixels), same generator (the `ot train` MLP), same batch;
 * then a DCGAN-28 + SW_2 (L = 1000, batch 64) training step beside PyTorch CPU (2 threads) in the
 * same run. Flags: `--steps N` (timed steps per row, default 10), `--batch B` (default 128),
 * `--skip-torch`, `--json FILE`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
import { slicedWasserstein } from '@ot/sliced';
import { Adam, DcganGenerator, MlpGenerator, SlicedTrainer, loadMnist, type SlicedLoss } from '../src/index.js';

const args = process.argv.slice(2);
const flag = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const steps = flag('--steps', 10);
const batch = flag('--batch', 128);
const jsonIdx = args.indexOf('--json');
const backend = await initBackend({ quiet: true });
const ds = loadMnist();
const rows: Array<Record<string, unknown>> = [];
const cases: Array<{ method: string; loss: SlicedLoss; L?: number; t2?: number }> = [
  { method: 'SW (L=1)', loss: 'sw', L: 1 },
  { method: 'SW (L=100)', loss: 'sw', L: 100 },
  { method: 'SW (L=1000)', loss: 'sw', L: 1000 },
  { method: 'SW (L=10000)', loss: 'sw', L: 10000 },
  { method: 'Max-SW (T2=1)', loss: 'max-sw', t2: 1 },
  { method: 'Max-SW (T2=10)', loss: 'max-sw', t2: 10 },
  { method: 'Max-SW (T2=100)', loss: 'max-sw', t2: 100 },
  { method: 'LA-SW', loss: 'la-sw' },
  { method: 'GA-SW', loss: 'ga-sw' },
  { method: 'NA-SW', loss: 'na-sw' },
];
console.error(`Table 2 at MNIST-pixel scale: MLP generator 32→256→512→1024→784, batch ${batch}, ${steps} timed steps after 2 warm-up, backend ${backend}`);
for (const c of cases) {
  const t = new SlicedTrainer({
    loss: c.loss,
    dataset: ds,
    batchSize: batch,
    seed: 0,
    L: c.L,
    t2: c.t2,
    makeGenerator: () => new MlpGenerator({ latentDim: 32, outputShape: [28, 28, 1], output: 'tanh', seed: 1 }),
  });
  await t.step();
  await t.step();
  let peakBytes = tf.memory().numBytes;
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await t.step();
    times.push(performance.now() - t0);
    peakBytes = Math.max(peakBytes, tf.memory().numBytes);
  }
  t.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  const row = { method: c.method, itPerSec: 1000 / median, msPerStepMedian: median, peakTensorMB: peakBytes / 2 ** 20, rssMB: process.memoryUsage().rss / 2 ** 20 };
  rows.push(row);
  console.error(`${c.method.padEnd(16)} ${row.itPerSec.toFixed(2).padStart(7)} it/s  ${median.toFixed(1).padStart(8)} ms  ${row.peakTensorMB.toFixed(1)} MB tensors  ${row.rssMB.toFixed(0)} MB rss`);
}

// DCGAN-28 + SW_2 (L = 1000) training step, batch 64, vs torch CPU.
const g = new DcganGenerator({ imageSize: 28, channels: 1, latentDim: 100, widths: [128, 64], seed: 0 });
const opt = new Adam(g.trainableVariables(), { lr: 2e-4, betas: [0.5, 0.999] });
const real = tf.tidy(() => tf.reshape(tf.sub(tf.mul(ds.sample(64, 0), 2), 1), [64, 784]));
const dcStep = () => {
  const z = tf.randomNormal([64, 100]);
  opt.minimize(() => slicedWasserstein(tf.reshape(g.forward(z, { training: true }), [64, 784]), real, { nProjections: 1000, seed: 0, validate: 'shapes' }));
  g.commitUpdates();
  z.dispose();
};
for (let i = 0; i < 2; i++) dcStep();
const dc: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  dcStep();
  dc.push(performance.now() - t0);
}
dc.sort((a, b) => a - b);
const ours = dc[Math.floor(dc.length / 2)] as number;
let torchMs: number | undefined;
let torchNote = '';
if (!args.includes('--skip-torch')) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'dcgan_sw_torch.py');
  const r = spawnSync('/usr/bin/python3', [script, String(steps)], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' } });
  if (r.status === 0) torchMs = Number(r.stdout.trim());
  else torchNote = `torch unavailable: ${(r.stderr || r.error?.message || '').split('\n').slice(-2).join(' ')}`;
}
console.error(`DCGAN-28 + SW_2 (L=1000), batch 64: ours ${ours.toFixed(1)} ms/step${torchMs !== undefined ? `, torch ${torchMs.toFixed(1)} ms/step, ratio ${(ours / torchMs).toFixed(2)}` : `; ${torchNote}`}`);

console.log(`\n| method (MNIST pixels, batch ${batch}, ${backend}) | it/s | ms/step (median) | live tensors max (MB) | RSS (MB) |\n| --- | ---: | ---: | ---: | ---: |`);
for (const r of rows) {
  console.log(`| ${r['method']} | ${(r['itPerSec'] as number).toFixed(2)} | ${(r['msPerStepMedian'] as number).toFixed(1)} | ${(r['peakTensorMB'] as number).toFixed(1)} | ${(r['rssMB'] as number).toFixed(0)} |`);
}
console.log(`\n| DCGAN-28 + SW_2 (L=1000), batch 64 | ms/step |\n| --- | ---: |\n| ours (${backend}) | ${ours.toFixed(1)} |\n| PyTorch CPU, 2 threads | ${torchMs?.toFixed(1) ?? 'n/a'} |\n| ratio | ${torchMs !== undefined ? (ours / torchMs).toFixed(2) : 'n/a'} |`);
if (jsonIdx >= 0) writeFileSync(args[jsonIdx + 1] as string, JSON.stringify({ backend, batch, steps, rows, dcgan: { oursMs: ours, torchMs } }, null, 2));
tf.dispose(real);
g.dispose();
opt.dispose();
