/**
 * The SNGAN baseline (Miyato, Kataoka, Koyama, Yoshida, ICLR 2018) with the hinge loss (Lim & Ye
 * 2017): per step, `nCritic` discriminator steps on
 *   L_D = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))],
 * then one generator step on L_G = −E[D(G(z))]; Adam (0, 0.9), lr 2e-4 by default — the settings
 * of the amortized-SW paper's SNGAN row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkPositive } from '@ot/core';
import type { Critic, Generator, NamedWeight } from '../models/module.js';
import { Adam } from './adam.js';
import { Ema } from './ema.js';
import { Trainer, requireGroup, type BaseTrainerOptions, type Losses } from './trainer.js';

export interface GanTrainerOptions extends BaseTrainerOptions {
  makeGenerator: () => Generator;
  makeCritic: () => Critic;
  /** Generator learning rate (default 2e-4). */
  lr?: number;
  /** Critic learning rate (default 2e-4). */
  criticLr?: number;
  /** Adam (β1, β2) (default (0, 0.9)). */
  betas?: readonly [number, number];
  /** Critic steps per generator step (default 1). */
  nCritic?: number;
}

/**
 * @example
 * ```ts
 * const t = new SnganTrainer({ dataset: loadMnist(), makeGenerator, makeCritic, nCritic: 1 });
 * await t.run({ steps: 1000 });
 * ```
 */
export class SnganTrainer extends Trainer {
  readonly kind = 'sngan';
  private readonly gen: Generator;
  private readonly critic: Critic;
  private readonly genOpt: Adam;
  private readonly criticOpt: Adam;
  private readonly emaModel: Ema<Generator> | undefined;
  private readonly opts: { lr: number; criticLr: number; nCritic: number; betas: readonly [number, number] };

  constructor(options: GanTrainerOptions) {
    super(options);
    if (typeof options.makeCritic !== 'function') throw new OTError('INVALID_ARGUMENT', 'SnganTrainer needs makeCritic');
    this.opts = {
      lr: checkPositive(options.lr ?? 2e-4, 'lr'),
      criticLr: checkPositive(options.criticLr ?? 2e-4, 'criticLr'),
      nCritic: checkInteger(options.nCritic ?? 1, 'nCritic'),
      betas: options.betas ?? [0, 0.9],
    };
    this.gen = options.makeGenerator();
    this.critic = options.makeCritic();
    this.genOpt = new Adam(this.gen.trainableVariables(), { lr: this.opts.lr, betas: this.opts.betas });
    this.criticOpt = new Adam(this.critic.trainableVariables(), { lr: this.opts.criticLr, betas: this.opts.betas });
    this.emaModel = options.emaDecay === undefined ? undefined : new Ema(this.gen, options.makeGenerator(), options.emaDecay);
  }

  get generator(): Generator {
    return this.gen;
  }

  get ema(): Ema<Generator> | undefined {
    return this.emaModel;
  }

  protected async trainStep(): Promise<Losses> {
    let dLoss = 0;
    for (let i = 0; i < this.opts.nCritic; i++) {
      this.critic.prepareStep?.();
      const real = this.realBatch();
      const fake = tf.tidy(() => this.gen.forward(this.latent(), { training: true }));
      this.gen.discardUpdates();
      dLoss += this.criticOpt.minimize(() => {
        const sr = this.critic.forwardWithFeatures(real, { training: true }).score;
        const sf = this.critic.forwardWithFeatures(fake, { training: true }).score;
        return tf.add(tf.mean(tf.relu(tf.sub(1, sr))), tf.mean(tf.relu(tf.add(1, sf)))) as tf.Scalar;
      });
      this.critic.commitUpdates();
      tf.dispose([real, fake]);
    }
    this.critic.prepareStep?.();
    const z = this.latent();
    const gLoss = this.genOpt.minimize(() => tf.neg(tf.mean(this.critic.forwardWithFeatures(this.gen.forward(z, { training: true }), { training: true }).score)) as tf.Scalar);
    this.gen.commitUpdates();
    this.critic.discardUpdates();
    z.dispose();
    this.emaModel?.update();
    return { critic: dLoss / this.opts.nCritic, loss: gLoss };
  }

  config(): Record<string, unknown> {
    return { dataset: this.dataset.name, batchSize: this.batchSize, seed: this.seed, ema: this.emaModel?.decay ?? null, ...this.opts, betas: [...this.opts.betas] };
  }

  protected async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    const g: Record<string, NamedWeight[]> = {
      generator: this.gen.getWeights(),
      'generator.adam': this.genOpt.getState(),
      critic: this.critic.getWeights(),
      'critic.adam': this.criticOpt.getState(),
    };
    if (this.emaModel !== undefined) g['ema'] = this.emaModel.shadow.getWeights();
    return g;
  }

  protected async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    this.gen.setWeights(requireGroup(groups, 'generator'));
    this.genOpt.setState(requireGroup(groups, 'generator.adam'));
    this.critic.setWeights(requireGroup(groups, 'critic'));
    this.criticOpt.setState(requireGroup(groups, 'critic.adam'));
    if (this.emaModel !== undefined) this.emaModel.shadow.setWeights(requireGroup(groups, 'ema'));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gen.dispose();
    this.critic.dispose();
    this.genOpt.dispose();
    this.criticOpt.dispose();
    this.emaModel?.dispose();
  }
}
