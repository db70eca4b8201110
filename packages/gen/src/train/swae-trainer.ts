/**
 * The sliced-Wasserstein autoencoder (Kolouri, Pope, Martin, Rohde, *Sliced-Wasserstein
 * autoencoders: an embarrassingly simple generative model*, ICLR 2019): reconstruction +
 * λ·SW_p^p(q(z), p(z)) between the codes of a batch and as many prior samples, with any slicer of
 * `@ot/sliced`: `sw` (L random directions, the paper's), `max-sw` (Deshpande et al. 2019),
 * or the amortized `la-sw` / `ga-sw` / `na-sw` (Nguyen & Ho, NeurIPS 2022; one ascent step of the
 * slicer per autoencoder step on the detached codes, Algorithm 3). Priors: Gaussian, circle, ring, or
 * any sampler (`losses/priors.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, checkInteger, checkPositive } from '@ot/core';
import {
  GeneralizedLinearAmortizedSlicer,
  LinearAmortizedSlicer,
  NonLinearAmortizedSlicer,
  maxSlicedWasserstein,
  slicedWasserstein,
  type AmortizedSlicer,
} from '@ot/sliced';
import type { NamedWeight } from '../models/module.js';
import { AutoencoderTrainer, type AutoencoderTrainerOptions } from './autoencoder-trainer.js';
import { restoreSlicer, slicerGroups } from './slicer-state.js';
import type { Losses } from './trainer.js';

export const SWAE_SLICERS = ['sw', 'max-sw', 'la-sw', 'ga-sw', 'na-sw'] as const;
export type SwaeSlicer = (typeof SWAE_SLICERS)[number];

export interface SwaeTrainerOptions extends AutoencoderTrainerOptions {
  /** The sliced distance (default `'sw'`). */
  slicer?: SwaeSlicer;
  /** Projections L for `sw` (default 50, the paper's MNIST setting). */
  L?: number;
  /** Ascent steps for `max-sw` (default 10). */
  t2?: number;
  /** Slice learning rate (`max-sw`: 0.01; amortized slicers: 1e-3). */
  sliceLr?: number;
  /** Ground-cost exponent p (default 2). */
  p?: number;
}

/**
 * @example
 * ```ts
 * const t = new SwaeTrainer({ dataset: loadMnist(), latentDim: 2, prior: ringPrior(0.5, 1), slicer: 'sw', L: 50 });
 * await t.run({ steps: 3000 });
 * ```
 */
export class SwaeTrainer extends AutoencoderTrainer {
  override readonly kind = 'swae';
  private readonly swae: { slicer: SwaeSlicer; L: number; t2: number; sliceLr: number; p: number };
  private readonly amortized: AmortizedSlicer | undefined;
  private priorBatch: tf.Tensor2D | undefined;

  /** Default λ = 1. */
  constructor(options: SwaeTrainerOptions) {
    super(options, 1);
    const slicer = checkChoice(options.slicer ?? 'sw', 'slicer', SWAE_SLICERS);
    const amortized = slicer === 'la-sw' || slicer === 'ga-sw' || slicer === 'na-sw';
    this.swae = {
      slicer,
      L: checkInteger(options.L ?? 50, 'L'),
      t2: checkInteger(options.t2 ?? 10, 't2', 0),
      sliceLr: checkPositive(options.sliceLr ?? (amortized ? 1e-3 : 0.01), 'sliceLr'),
      p: checkPositive(options.p ?? 2, 'p'),
    };
    if (amortized) {
      const Slicer = slicer === 'la-sw' ? LinearAmortizedSlicer : slicer === 'ga-sw' ? GeneralizedLinearAmortizedSlicer : NonLinearAmortizedSlicer;
      this.amortized = new Slicer(this.batchSize, this.prior.dim, { p: this.swae.p, lr: this.swae.sliceLr, seed: this.rng.nextSeed(), validate: 'shapes' });
    }
  }

  /** The amortized slicer's ascent step on the detached codes and prior samples of this step. */
  protected override async beforeStep(x: tf.Tensor): Promise<Losses> {
    this.priorBatch = this.prior.sample(x.shape[0] as number, this.rng);
    if (this.amortized === undefined) return {};
    const s = tf.tidy(() => (this.amortized as AmortizedSlicer).step(this.ae.encode(x, { training: true }), this.priorBatch as tf.Tensor2D));
    this.ae.discardUpdates();
    const v = s.dataSync()[0] as number;
    s.dispose();
    return { slicer: v };
  }

  protected override penalty(z: tf.Tensor2D): tf.Scalar {
    const p = this.priorBatch as tf.Tensor2D;
    let d: tf.Scalar;
    switch (this.swae.slicer) {
      case 'sw':
        d = slicedWasserstein(z, p, { p: this.swae.p, nProjections: this.swae.L, seed: this.rng, validate: 'shapes' });
        break;
      case 'max-sw': {
        const r = maxSlicedWasserstein(z, p, { p: this.swae.p, iterations: this.swae.t2, lr: this.swae.sliceLr, optimizer: 'adam', seed: this.rng, validate: 'shapes' });
        r.direction.dispose();
        d = r.value;
        break;
      }
      default:
        d = (this.amortized as AmortizedSlicer).loss(z, p, { detachDirections: true });
    }
    return tf.pow(d, this.swae.p) as tf.Scalar;
  }

  protected override async trainStep(): Promise<Losses> {
    try {
      return await super.trainStep();
    } finally {
      this.priorBatch?.dispose();
      this.priorBatch = undefined;
    }
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), ...this.swae };
  }

  protected override async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    const g = await super.stateGroups();
    if (this.amortized !== undefined) Object.assign(g, await slicerGroups(this.amortized));
    return g;
  }

  protected override async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    await super.restoreGroups(groups);
    if (this.amortized !== undefined) await restoreSlicer(this.amortized, groups);
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    this.amortized?.dispose();
    this.priorBatch?.dispose();
  }
}
