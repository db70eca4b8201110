/**
 * WAE-GAN (Tolstikhin, Bousquet, Gelly, Schölkopf, *Wasserstein auto-encoders*, ICLR 2018,
 * Algorithm 1): a latent discriminator D_γ (logits) separates prior samples z ~ p(z) ("true") from
 * codes z̃ = E(x); per step
 *
 * 1. D ascends λ·[log σ(D(z)) + log(1 − σ(D(z̃)))]  (i.e. minimizes softplus(−D(z)) + softplus(D(z̃)));
 * 2. the autoencoder descends reconstruction − λ·log σ(D(z̃)) (the non-saturating adversarial loss).
 *
 * The discriminator is an MLP (`MlpCritic`, leaky ReLU) on codes; the paper's MNIST one has four
 * hidden layers of 512 and learning rate 5e-4.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkPositive } from '@ot/core';
import { MlpCritic } from '../models/mlp.js';
import type { Critic, NamedWeight } from '../models/module.js';
import { Adam } from './adam.js';
import { AutoencoderTrainer, type AutoencoderTrainerOptions } from './autoencoder-trainer.js';
import { requireGroup, type Losses } from './trainer.js';

export interface WaeGanTrainerOptions extends AutoencoderTrainerOptions {
  /** Builds the latent discriminator (input `[b, latentDim]`, logits `[b, 1]`); default an MLP. */
  makeDiscriminator?: () => Critic;
  /** Hidden widths of the default discriminator (default [512, 512, 512, 512]). */
  discriminatorHidden?: readonly number[];
  /** Discriminator learning rate (default 5e-4). */
  discriminatorLr?: number;
  /** Discriminator steps per autoencoder step (default 1). */
  nCritic?: number;
}

/**
 * @example
 * ```ts
 * const t = new WaeGanTrainer({ dataset: loadMnist(), latentDim: 8, lambda: 0.1 });
 * await t.run({ steps: 3000 });
 * ```
 */
export class WaeGanTrainer extends AutoencoderTrainer {
  override readonly kind = 'wae-gan';
  private readonly disc: Critic;
  private readonly discOpt: Adam;
  private readonly gan: { discriminatorHidden: number[] | null; discriminatorLr: number; nCritic: number };

  /** Default λ = 0.1 (the paper's λ = 1 with its reconstruction scale, see `autoencoder-trainer.ts`). */
  constructor(options: WaeGanTrainerOptions) {
    super(options, 0.1);
    this.gan = {
      discriminatorHidden: options.makeDiscriminator !== undefined ? null : [...(options.discriminatorHidden ?? [512, 512, 512, 512])],
      discriminatorLr: checkPositive(options.discriminatorLr ?? 5e-4, 'discriminatorLr'),
      nCritic: checkInteger(options.nCritic ?? 1, 'nCritic'),
    };
    this.disc =
      options.makeDiscriminator?.() ??
      (new MlpCritic({ inputShape: [this.prior.dim], hidden: this.gan.discriminatorHidden ?? undefined, seed: this.rng.nextSeed() }) as unknown as Critic);
    this.discOpt = new Adam(this.disc.trainableVariables(), { lr: this.gan.discriminatorLr, betas: [0.5, 0.999] });
  }

  private logits(z: tf.Tensor): tf.Tensor {
    return this.disc.forwardWithFeatures(z, { training: true }).score;
  }

  protected override async beforeStep(x: tf.Tensor): Promise<Losses> {
    let d = 0;
    const codes = tf.tidy(() => this.ae.encode(x, { training: true }));
    this.ae.discardUpdates();
    for (let i = 0; i < this.gan.nCritic; i++) {
      this.disc.prepareStep?.();
      const zp = this.prior.sample(codes.shape[0], this.rng);
      d += this.discOpt.minimize(() => tf.mul(tf.add(tf.mean(tf.softplus(tf.neg(this.logits(zp)))), tf.mean(tf.softplus(this.logits(codes)))), this.base.lambda) as tf.Scalar);
      this.disc.commitUpdates();
      zp.dispose();
    }
    codes.dispose();
    this.disc.prepareStep?.();
    return { discriminator: d / this.gan.nCritic };
  }

  protected override penalty(z: tf.Tensor2D): tf.Scalar {
    return tf.mean(tf.softplus(tf.neg(this.logits(z)))) as tf.Scalar;
  }

  protected override async trainStep(): Promise<Losses> {
    const l = await super.trainStep();
    this.disc.discardUpdates();
    return l;
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), ...this.gan };
  }

  protected override async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    return { ...(await super.stateGroups()), discriminator: this.disc.getWeights(), 'discriminator.adam': this.discOpt.getState() };
  }

  protected override async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    await super.restoreGroups(groups);
    this.disc.setWeights(requireGroup(groups, 'discriminator'));
    this.discOpt.setState(requireGroup(groups, 'discriminator.adam'));
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    this.disc.dispose();
    this.discOpt.dispose();
  }
}
