/**
 * The state shared by the adversarial trainers (`SnganTrainer`, `WganTrainer`, `SwganTrainer`):
 * a generator and a critic, an `Adam` for each, and an optional EMA of the generator, with their
 * checkpoint groups (`generator`, `generator.adam`, `critic`, `critic.adam`, `ema`) and disposal.
 * Subclasses implement the step (`trainStep`, with {@link AdversarialTrainer.criticStep} for a
 * critic step on scores) and name their `kind`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Critic, Generator, NamedWeight } from '../models/module.js';
import { Adam } from './adam.js';
import { Ema } from './ema.js';
import { Trainer, requireGroup, type BaseTrainerOptions } from './trainer.js';

export interface AdversarialTrainerOptions extends BaseTrainerOptions {
  makeGenerator: () => Generator;
  makeCritic: () => Critic;
}

/**
 * The validated settings of a subclass; the learning rates and betas configure both `Adam`s (a type,
 * not an interface, so that it spreads into `config()`'s record).
 */
export type AdversarialSettings = { lr: number; criticLr: number; betas: readonly [number, number] };

export abstract class AdversarialTrainer<S extends AdversarialSettings> extends Trainer {
  protected readonly opts: S;
  protected readonly gen: Generator;
  protected readonly critic: Critic;
  protected readonly genOpt: Adam;
  protected readonly criticOpt: Adam;
  protected readonly emaModel: Ema<Generator> | undefined;

  /**
   * @param settings validates the subclass's options (after the base options) and returns its
   *   settings, recorded in {@link config}; the models are built after it.
   */
  constructor(options: AdversarialTrainerOptions, settings: () => S) {
    super(options);
    this.opts = settings();
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

  /**
   * One critic step on a real and a generated batch: minimizes `loss(scores of real, scores of
   * fake)` and returns its value.
   */
  protected criticStep(loss: (realScores: tf.Tensor, fakeScores: tf.Tensor) => tf.Tensor): number {
    this.critic.prepareStep?.();
    const real = this.realBatch();
    const fake = tf.tidy(() => this.gen.forward(this.latent(), { training: true }));
    this.gen.discardUpdates();
    const value = this.criticOpt.minimize(() => {
      const sr = this.critic.forwardWithFeatures(real, { training: true }).score;
      const sf = this.critic.forwardWithFeatures(fake, { training: true }).score;
      return loss(sr, sf) as tf.Scalar;
    });
    this.critic.commitUpdates();
    tf.dispose([real, fake]);
    return value;
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
