/**
 * The OT autoencoders and critics on toy data (wasm, fixed seeds): each short run lowers its
 * objective and, for the autoencoders, the reconstruction error by a stated factor; memory stays
 * flat over 200 steps; a checkpointed and resumed run equals an uninterrupted one exactly.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@ot/core';
import {
  AutoencoderTrainer,
  MlpCritic,
  SwaeTrainer,
  SwganTrainer,
  WaeGanTrainer,
  WaeMmdTrainer,
  WganTrainer,
  gaussianPrior,
  loadCheckpoint,
  mmd,
  ringPrior,
  type Critic,
  type Trainer,
} from '../src/index.js';
import { bars8 } from './ae-helpers.js';
import { makeGenerator, swToData, toy } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ot-gen-ae-'));
const bars = bars8();
const ae = { dataset: bars, batchSize: 64, seed: 0, latentDim: 4, hidden: [64, 32] };
const makeWganCritic = () => new MlpCritic({ inputShape: [2], hidden: [32, 32], seed: 2 }) as unknown as Critic;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** MMD (IMQ) between 256 codes of the data and 256 prior samples (fixed seeds). */
function latentMmd(t: AutoencoderTrainer): number {
  return tf.tidy(() => mmd(t.encode(t.dataset.sample(256, 3)), t.prior.sample(256, 4), { sigma2: t.prior.variance }).dataSync()[0] as number);
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Runs `steps` steps; returns the objective averaged over the first and last 10 steps. */
async function objective(t: Trainer, steps: number, key = 'loss'): Promise<{ initial: number; first: number; last: number }> {
  const values: number[] = [];
  await t.run({ steps, onProgress: ({ losses }) => void values.push(losses[key] as number) });
  return { initial: values[0] as number, first: mean(values.slice(0, 10)), last: mean(values.slice(-10)) };
}

async function autoencoderLowers(t: AutoencoderTrainer, steps: number, recFactor: number, objFactor: number): Promise<{ mmd0: number; mmd1: number }> {
  try {
    const rec0 = t.reconstructionError();
    const mmd0 = latentMmd(t);
    const { first, last } = await objective(t, steps);
    const rec1 = t.reconstructionError();
    expect(t.iteration).toBe(steps);
    expect(rec0 / rec1, `reconstruction MSE ${rec0.toFixed(4)} → ${rec1.toFixed(4)}`).toBeGreaterThan(recFactor);
    expect(first / last, `objective ${first.toFixed(4)} → ${last.toFixed(4)}`).toBeGreaterThan(objFactor);
    const x = t.sample(8, { seed: 1 });
    expect(x.shape).toEqual([8, 8, 8, 1]);
    expect(tf.tidy(() => tf.min(x).dataSync()[0] as number)).toBeGreaterThanOrEqual(0);
    x.dispose();
    return { mmd0, mmd1: latentMmd(t) };
  } finally {
    t.dispose();
  }
}

describe('autoencoders on 8×8 bar images (MLP 64-32, latent 4, batch 64, 150 steps)', () => {
  it('AE (MSE) lowers the reconstruction error by > 3×', () => autoencoderLowers(new AutoencoderTrainer(ae), 150, 3, 3));

  it('WAE-MMD (IMQ, λ = 1) lowers reconstruction by > 3×, its objective by > 3×, and MMD(q(z), p(z)) by > 5×', async () => {
    const { mmd0, mmd1 } = await autoencoderLowers(new WaeMmdTrainer({ ...ae, lambda: 1 }), 150, 3, 3);
    expect(mmd0 / mmd1, `MMD ${mmd0.toFixed(4)} → ${mmd1.toFixed(4)}`).toBeGreaterThan(5);
  });

  it('WAE-GAN (latent discriminator 32-32, λ = 0.1) lowers reconstruction and its objective by > 2.5×, and MMD to the prior', async () => {
    const { mmd0, mmd1 } = await autoencoderLowers(new WaeGanTrainer({ ...ae, discriminatorHidden: [32, 32] }), 150, 2.5, 2.5);
    expect(mmd1).toBeLessThan(mmd0);
  });

  it('SWAE (SW, L = 20) lowers reconstruction by > 3×, its objective by > 3× and MMD to the prior by > 5×', async () => {
    const { mmd0, mmd1 } = await autoencoderLowers(new SwaeTrainer({ ...ae, L: 20 }), 150, 3, 3);
    expect(mmd0 / mmd1, `MMD ${mmd0.toFixed(4)} → ${mmd1.toFixed(4)}`).toBeGreaterThan(5);
  });

  it('SWAE with the amortized LA-SW slicer and with Max-SW (100 steps) lower reconstruction by > 3× and > 2.5×', async () => {
    await autoencoderLowers(new SwaeTrainer({ ...ae, slicer: 'la-sw' }), 150, 3, 2.5);
    await autoencoderLowers(new SwaeTrainer({ ...ae, slicer: 'max-sw', t2: 3 }), 100, 2.5, 1.5);
  });

  it('SWAE with a 2D ring prior pulls the codes onto the ring', async () => {
    const t = new SwaeTrainer({ ...ae, latentDim: 2, prior: ringPrior(0.5, 1), L: 20 });
    try {
      await t.run({ steps: 150 });
      const r = tf.tidy(() => tf.norm(t.encode(bars.sample(256, 9)), 2, 1).dataSync() as Float32Array);
      const inside = Array.from(r).filter((v) => v >= 0.35 && v <= 1.15).length / r.length;
      expect(inside, `fraction of codes with 0.35 ≤ ‖z‖ ≤ 1.15`).toBeGreaterThan(0.8);
      // The generator maps N(0, I) noise through the prior then the decoder.
      expect(t.generator.latentDim).toBe(3);
      const x = tf.tidy(() => t.generator.forward(tf.randomNormal([4, 3], 0, 1, 'float32', 1)));
      expect(x.shape).toEqual([4, 8, 8, 1]);
      x.dispose();
    } finally {
      t.dispose();
    }
  });
});

describe('Wasserstein GANs on 8 Gaussians (MLP critic 32-32, n_critic = 5)', () => {
  it('WGAN with weight clipping (c = 0.01) lowers SW_2 to the data by > 2× in 100 steps', async () => {
    const t = new WganTrainer({ mode: 'clip', dataset: toy, batchSize: 128, seed: 0, makeGenerator, makeCritic: makeWganCritic, lr: 3e-3 });
    try {
      const before = swToData(t);
      await t.run({ steps: 100 });
      const after = swToData(t);
      expect(before / after, `SW ${before.toFixed(3)} → ${after.toFixed(3)}`).toBeGreaterThan(2);
      const w = t.checkpoint().then((c) => c.groups['critic']!.flatMap((g) => Array.from(g.values)));
      expect(Math.max(...(await w).map(Math.abs))).toBeLessThanOrEqual(0.01 + 1e-7);
    } finally {
      t.dispose();
    }
  });

  it('WGAN-GP (λ = 10) lowers SW_2 to the data by > 1.5× in 150 steps; the penalty falls > 2× from its first step', async () => {
    const t = new WganTrainer({ mode: 'gp', dataset: toy, batchSize: 128, seed: 0, makeGenerator, makeCritic: makeWganCritic, lr: 3e-3 });
    try {
      const before = swToData(t);
      const { initial, last } = await objective(t, 150, 'gp');
      const after = swToData(t);
      expect(before / after, `SW ${before.toFixed(3)} → ${after.toFixed(3)}`).toBeGreaterThan(1.5);
      expect(initial / last, `GP ${initial.toFixed(3)} → ${last.toFixed(3)}`).toBeGreaterThan(2);
    } finally {
      t.dispose();
    }
  });
});

describe('sliced generator on discriminator features, logistic discriminator (Deshpande et al. 2018)', () => {
  it('lowers SW_2 to the data by > 3× in 200 steps on 8 Gaussians', async () => {
    const t = new SwganTrainer({ dataset: toy, batchSize: 128, seed: 0, makeGenerator, makeCritic: makeWganCritic, L: 50, lr: 2e-3, criticLr: 1e-3 });
    try {
      const before = swToData(t);
      const { first, last } = await objective(t, 200);
      const after = swToData(t);
      expect(before / after, `SW ${before.toFixed(3)} → ${after.toFixed(3)}`).toBeGreaterThan(3);
      expect(first / last, `feature SW ${first.toFixed(3)} → ${last.toFixed(3)}`).toBeGreaterThan(1);
    } finally {
      t.dispose();
    }
  });
});

const tiny = { dataset: bars, batchSize: 16, seed: 1, latentDim: 3, hidden: [16] };
const makers: Record<string, () => Trainer> = {
  ae: () => new AutoencoderTrainer(tiny),
  'wae-mmd': () => new WaeMmdTrainer(tiny),
  'wae-gan': () => new WaeGanTrainer({ ...tiny, discriminatorHidden: [16] }),
  swae: () => new SwaeTrainer({ ...tiny, L: 10 }),
  'swae la-sw': () => new SwaeTrainer({ ...tiny, slicer: 'la-sw' }),
  'swae max-sw': () => new SwaeTrainer({ ...tiny, slicer: 'max-sw', t2: 2, prior: gaussianPrior(3, 0.5) }),
  wgan: () => new WganTrainer({ mode: 'clip', dataset: toy, batchSize: 16, seed: 1, makeGenerator, makeCritic: makeWganCritic, nCritic: 1, emaDecay: 0.9 }),
  'wgan-gp': () => new WganTrainer({ mode: 'gp', dataset: toy, batchSize: 16, seed: 1, makeGenerator, makeCritic: makeWganCritic, nCritic: 1 }),
  swgan: () => new SwganTrainer({ dataset: toy, batchSize: 16, seed: 1, makeGenerator, makeCritic: makeWganCritic, L: 10, emaDecay: 0.9 }),
};

describe('memory stays flat over 200 steps', () => {
  it.each(Object.keys(makers))('%s', async (name) => {
    const t = (makers[name] as () => Trainer)();
    try {
      await t.run({ steps: 5 });
      const before = tf.memory();
      await t.run({ steps: 200 });
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    } finally {
      t.dispose();
    }
  });
});

describe('resume equals an uninterrupted run (every array of the state)', () => {
  it.each(Object.keys(makers))('%s', async (name) => {
    const make = makers[name] as () => Trainer;
    const straight = make();
    await straight.run({ steps: 6 });
    const expected = (await straight.checkpoint()).groups;
    straight.dispose();
    const path = join(dir, name.replace(/\W+/g, '-'));
    mkdirSync(path);
    const first = make();
    await first.run({ steps: 3, checkpointEvery: 3, checkpointPath: path });
    first.dispose();
    const second = make();
    await second.restore(loadCheckpoint(path));
    expect(second.iteration).toBe(3);
    await second.run({ steps: 3 });
    const got = (await second.checkpoint()).groups;
    second.dispose();
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [g, arrays] of Object.entries(expected)) {
      arrays.forEach((w, i) => expect(Array.from(got[g]![i]!.values), `${g}/${w.name}`).toEqual(Array.from(w.values)));
    }
  });
});
