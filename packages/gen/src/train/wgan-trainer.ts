/**
 * Wasserstein GANs: the critic D maximizes the Kantorovich–Rubinstein dual E[D(x)] − E[D(G(z))]
 * over (approximately) 1-Lipschitz functions, the generator minimizes −E[D(G(z))].
 *
 * - `'clip'` (Arjovsky, Chintala, Bottou, *Wasserstein GAN*, ICML 2017, Algorithm 1): the critic's
 *   weights are clipped to [−c, c] after each of its `nCritic` steps (c = 0.01, n_critic = 5,
 *   learning rate 5e-5; the paper's RMSProp is Adam with β1 = 0 here, β2 = 0.9);
 * - `'gp'` (Gulrajani, Ahmed, Arjovsky, Dumoulin, Courville, *Improved training of Wasserstein
 *   GANs*, NeurIPS 2017, Algorithm 1): the critic loss adds the gradient penalty λ·E[(‖∇D(x̂)‖ − 1)²]
 *   on random interpolates (λ = 10, n_critic = 5, Adam 1e-4, (0, 0.9)).
 *
 * The critic must not use batch norm (the penalty is per sample); any `Critic` works.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkNumber, checkPositive } from '@ot/core';
import type { Critic, Generator } from '../models/module.js';
import { gradientPenalty } from '../losses/gradient-penalty.js';
import { AdversarialTrainer } from './adversarial-trainer.js';
import type { BaseTrainerOptions, Losses } from './trainer.js';

export const WGAN_MODES = ['clip', 'gp'] as const;
export type WganMode = (typeof WGAN_MODES)[number];

export interface WganTrainerOptions extends BaseTrainerOptions {
  /** `'gp'` (gradient penalty, default) or `'clip'` (weight clipping). */
  mode?: WganMode;
  makeGenerator: () => Generator;
  makeCritic: () => Critic;
  /** Critic steps per generator step (default 5). */
  nCritic?: number;
  /** Clipping bound c for `'clip'` (default 0.01). */
  clip?: number;
  /** Penalty weight λ for `'gp'` (default 10). */
  lambda?: number;
  /** Generator learning rate (default 5e-5 clip, 1e-4 gp). */
  lr?: number;
  /** Critic learning rate (default: lr). */
  criticLr?: number;
  /** Adam (β1, β2) (default (0, 0.9)). */
  betas?: readonly [number, number];
}

/**
 * @example
 * ```ts
 * const t = new WganTrainer({ mode: 'gp', dataset: toyDataset('8gaussians'), makeGenerator, makeCritic });
 * await t.run({ steps: 2000 });
 * ```
 */
export class WganTrainer extends AdversarialTrainer<{ mode: WganMode; nCritic: number; clip: number; lambda: number; lr: number; criticLr: number; betas: readonly [number, number] }> {
  readonly kind: string;
  readonly mode: WganMode;

  constructor(options: WganTrainerOptions) {
    super(options, () => {
      const mode = checkChoice(options.mode ?? 'gp', 'mode', WGAN_MODES);
      if (typeof options.makeGenerator !== 'function' || typeof options.makeCritic !== 'function') {
        throw new OTError('INVALID_ARGUMENT', 'WganTrainer needs makeGenerator and makeCritic');
      }
      const lr = checkPositive(options.lr ?? (mode === 'clip' ? 5e-5 : 1e-4), 'lr');
      return {
        mode,
        nCritic: checkInteger(options.nCritic ?? 5, 'nCritic'),
        clip: checkPositive(options.clip ?? 0.01, 'clip'),
        lambda: checkNumber(options.lambda ?? 10, 'lambda', (v) => v >= 0, 'a number ≥ 0'),
        lr,
        criticLr: checkPositive(options.criticLr ?? lr, 'criticLr'),
        betas: options.betas ?? [0, 0.9],
      };
    });
    this.mode = this.opts.mode;
    this.kind = this.mode === 'gp' ? 'wgan-gp' : 'wgan';
    if (this.mode === 'clip') this.clipCritic();
  }

  private clipCritic(): void {
    const c = this.opts.clip;
    tf.tidy(() => {
      for (const v of this.critic.trainableVariables()) v.assign(tf.clipByValue(v, -c, c));
    });
  }

  private scores(x: tf.Tensor): tf.Tensor {
    return this.critic.forwardWithFeatures(x, { training: true }).score;
  }

  protected async trainStep(): Promise<Losses> {
    let criticLoss = 0;
    let gp = 0;
    let wdist = 0;
    for (let i = 0; i < this.opts.nCritic; i++) {
      this.critic.prepareStep?.();
      const real = this.realBatch();
      const fake = tf.tidy(() => this.gen.forward(this.latent(), { training: true }));
      this.gen.discardUpdates();
      let parts: tf.Tensor[] = [];
      criticLoss += this.criticOpt.minimize(() => {
        const w = tf.sub(tf.mean(this.scores(real)), tf.mean(this.scores(fake)));
        parts = [tf.keep(w)];
        if (this.mode === 'clip') return tf.neg(w) as tf.Scalar;
        const pen = gradientPenalty((x) => this.scores(x), real, fake, { lambda: this.opts.lambda, seed: this.rng });
        parts.push(tf.keep(pen));
        return tf.add(tf.neg(w), pen) as tf.Scalar;
      });
      this.critic.commitUpdates();
      if (this.mode === 'clip') this.clipCritic();
      wdist += parts[0]?.dataSync()[0] as number;
      if (parts[1] !== undefined) gp += parts[1].dataSync()[0] as number;
      tf.dispose([real, fake, ...parts]);
    }
    this.critic.prepareStep?.();
    const z = this.latent();
    const gLoss = this.genOpt.minimize(() => tf.neg(tf.mean(this.scores(this.gen.forward(z, { training: true })))) as tf.Scalar);
    this.gen.commitUpdates();
    this.critic.discardUpdates();
    z.dispose();
    this.emaModel?.update();
    const n = this.opts.nCritic;
    const losses: Losses = { critic: criticLoss / n, wdist: wdist / n, loss: gLoss };
    if (this.mode === 'gp') losses['gp'] = gp / n;
    return losses;
  }

  /** `mode` leads, as in existing checkpoints (the base spreads it again in place, same value). */
  override config(): Record<string, unknown> {
    return { mode: this.mode, ...super.config() };
  }
}
