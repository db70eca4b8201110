/**
 * Short deterministic toy-2D runs (8 Gaussians, wasm): every training method must lower the SW_2
 * distance between generated samples and the data by the stated factor in a stated number of steps.
 * The untrained generator starts at SW_2 ≈ 1.93.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@ot/core';
import { SemiDualTrainer, SlicedTrainer, SnganTrainer, W2gnLatentTrainer, type Trainer } from '../src/index.js';
import { makeCritic, makeGenerator, swToData, toy } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

async function lowers(t: Trainer, steps: number, factor: number): Promise<void> {
  try {
    const before = swToData(t);
    await t.run({ steps });
    const after = swToData(t);
    expect(t.iteration).toBe(steps);
    expect(before / after, `SW ${before.toFixed(3)} → ${after.toFixed(3)}`).toBeGreaterThan(factor);
  } finally {
    t.dispose();
  }
}

const base = { dataset: toy, batchSize: 64, seed: 0, makeGenerator };

describe('sliced generators on pixels/points (Nguyen & Ho 2022, Algorithm 3 for A-SW)', () => {
  it('SW (L = 50) lowers SW_2 by > 2.5× in 200 steps', () => lowers(new SlicedTrainer({ ...base, loss: 'sw', L: 50 }), 200, 2.5));
  it('Max-SW (T2 = 3) lowers SW_2 by > 2.5× in 200 steps', () => lowers(new SlicedTrainer({ ...base, loss: 'max-sw', t2: 3, sliceLr: 0.05 }), 200, 2.5));
  it('LA-SW lowers SW_2 by > 2.5× in 200 steps', () => lowers(new SlicedTrainer({ ...base, loss: 'la-sw' }), 200, 2.5));
  it('GA-SW lowers SW_2 by > 1.5× in 200 steps', () => lowers(new SlicedTrainer({ ...base, loss: 'ga-sw' }), 200, 1.5));
  it('NA-SW lowers SW_2 by > 1.5× in 200 steps', () => lowers(new SlicedTrainer({ ...base, loss: 'na-sw' }), 200, 1.5));
  it('SW on spectrally normalized critic features, hinge-trained critic, lowers SW_2 by > 1.5× in 150 steps', () =>
    lowers(new SlicedTrainer({ ...base, loss: 'sw', L: 50, makeCritic, lr: 2e-3, criticLr: 1e-3 }), 150, 1.5));
});

describe('baselines and other OT generators', () => {
  it('SNGAN hinge loss lowers SW_2 by > 1.5× in 250 steps', () => lowers(new SnganTrainer({ ...base, makeCritic, lr: 2e-3, criticLr: 2e-3 }), 250, 1.5));
  it('semi-dual SDOT (λ = 0, ASGD) lowers SW_2 by > 2× in 100 steps', () =>
    lowers(new SemiDualTrainer({ ...base, targetSize: 256, lambda: 0, innerIterations: 3, gamma: 0.5, lr: 5e-3 }), 100, 2));
  it('semi-dual SDOT (λ = 0.01) lowers SW_2 by > 2× in 100 steps', () =>
    lowers(new SemiDualTrainer({ ...base, targetSize: 256, lambda: 0.01, innerIterations: 3, gamma: 0.5, lr: 5e-3 }), 100, 2));
  it('semi-dual SDOTNN (MLP potential, Adam) lowers SW_2 by > 1.5× in 100 steps', () =>
    lowers(
      new SemiDualTrainer({ ...base, targetSize: 256, potential: 'mlp', potentialHidden: [32, 32], innerSolver: 'adam', gamma: 0.01, innerIterations: 3, lr: 5e-3 }),
      100,
      1.5,
    ));
  it('W2GN in an autoencoder latent space lowers SW_2 by > 2× in 250 steps', () =>
    lowers(new W2gnLatentTrainer({ dataset: toy, batchSize: 64, seed: 0, latentDim: 2, aeSteps: 150, pretrainSteps: 30, icnnHidden: [32, 32, 16] }), 250, 2));
});
