/**
 * `ot bench`: iterations/s of one generator trained with each sliced loss (the paper's Table 2 at
 * this machine's scale), same data, batch and generator for every row.
 */
import { initBackend } from '@ot/core';
import { SlicedTrainer, type SlicedLoss } from '@ot/gen';
import * as tf from '@tensorflow/tfjs-core';
import { generatorFactory, loadDataset } from '../setup.js';
import { resolveConfig } from './train.js';

export interface BenchFlags {
  data: string;
  steps: number;
  warmup: number;
  batch?: number;
  backend?: string;
  json?: boolean;
}

export const BENCH_ROWS: Array<{ name: string; loss: SlicedLoss; L?: number; t2?: number }> = [
  { name: 'SW (L=1)', loss: 'sw', L: 1 },
  { name: 'SW (L=100)', loss: 'sw', L: 100 },
  { name: 'SW (L=1000)', loss: 'sw', L: 1000 },
  { name: 'SW (L=10000)', loss: 'sw', L: 10000 },
  { name: 'Max-SW (T2=1)', loss: 'max-sw', t2: 1 },
  { name: 'Max-SW (T2=10)', loss: 'max-sw', t2: 10 },
  { name: 'Max-SW (T2=100)', loss: 'max-sw', t2: 100 },
  { name: 'LA-SW', loss: 'la-sw' },
  { name: 'GA-SW', loss: 'ga-sw' },
  { name: 'NA-SW', loss: 'na-sw' },
];

export async function benchCommand(f: BenchFlags): Promise<number> {
  const backend = await initBackend({ backend: f.backend, quiet: true });
  const ds = loadDataset(f.data);
  const cfg = resolveConfig({ loss: 'sw', data: f.data, seed: 0, L: 100, t2: 10, nCritic: 1, lambda: 0, fid: false, fidSamples: 0, batch: f.batch });
  const rows: Array<{ method: string; itPerSec: number; msPerStep: number; peakTensorMB: number }> = [];
  process.stderr.write(`ot bench: ${ds.name}, ${cfg.model} generator, batch ${cfg.batch}, ${f.steps} timed steps after ${f.warmup} warm-up, backend ${backend}\n`);
  for (const row of BENCH_ROWS) {
    const t = new SlicedTrainer({ loss: row.loss, dataset: ds, batchSize: cfg.batch, seed: 0, makeGenerator: generatorFactory(cfg, ds), L: row.L, t2: row.t2 });
    for (let i = 0; i < f.warmup; i++) await t.step();
    let peak = tf.memory().numBytes;
    const t0 = performance.now();
    for (let i = 0; i < f.steps; i++) {
      await t.step();
      peak = Math.max(peak, tf.memory().numBytes);
    }
    const ms = (performance.now() - t0) / f.steps;
    t.dispose();
    rows.push({ method: row.name, itPerSec: 1000 / ms, msPerStep: ms, peakTensorMB: peak / 2 ** 20 });
    process.stderr.write(`${row.name.padEnd(16)} ${(1000 / ms).toFixed(2).padStart(8)} it/s ${ms.toFixed(1).padStart(9)} ms/step\n`);
  }
  ds.dispose();
  if (f.json === true) process.stdout.write(`${JSON.stringify({ backend, data: f.data, batch: cfg.batch, rows }, null, 2)}\n`);
  else {
    process.stdout.write('| method | it/s | ms/step | live tensor MB (max) |\n| --- | ---: | ---: | ---: |\n');
    for (const r of rows) process.stdout.write(`| ${r.method} | ${r.itPerSec.toFixed(2)} | ${r.msPerStep.toFixed(1)} | ${r.peakTensorMB.toFixed(1)} |\n`);
  }
  return 0;
}
