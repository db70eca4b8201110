/**
 * The SNGAN baseline (Miyato, Kataoka, Koyama, Yoshida, ICLR 2018) with the hinge loss (Lim & Ye
 * 2017): per step, `nCritic` discriminator steps on
 *   L_D = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))],
 * then one generator step on L_G = −E[D(G(z))]; Adam (0, 0.9), lr 2e-4 by default — the settings
 * of the amortized-SW paper's SNGAN row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkPositive } from '@ot/core';
import type { Critic, Generator } from '../models/module.js';
import { AdversarialTrainer } from './adversarial-trainer.js';
import type { BaseTrainerOptions, Losses } from './trainer.js';

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
export class SnganTrainer extends AdversarialTrainer<{ lr: number; criticLr: number; nCritic: number; betas: readonly [number, number] }> {
  readonly kind = 'sngan';

  constructor(options: GanTrainerOptions) {
    super(options, () => {
      if (typeof options.makeCritic !== 'function') throw new OTError('INVALID_ARGUMENT', 'SnganTrainer needs makeCritic');
      return {
        lr: checkPositive(options.lr ?? 2e-4, 'lr'),
        criticLr: checkPositive(options.criticLr ?? 2e-4, 'criticLr'),
        nCritic: checkInteger(options.nCritic ?? 1, 'nCritic'),
        betas: options.betas ?? [0, 0.9],
      };
    });
  }

  protected async trainStep(): Promise<Losses> {
    let dLoss = 0;
    for (let i = 0; i < this.opts.nCritic; i++) dLoss += this.criticStep((sr, sf) => tf.add(tf.mean(tf.relu(tf.sub(1, sr))), tf.mean(tf.relu(tf.add(1, sf)))));
    this.critic.prepareStep?.();
    const z = this.latent();
    const gLoss = this.genOpt.minimize(() => tf.neg(tf.mean(this.critic.forwardWithFeatures(this.gen.forward(z, { training: true }), { training: true }).score)) as tf.Scalar);
    this.gen.commitUpdates();
    this.critic.discardUpdates();
    z.dispose();
    this.emaModel?.update();
    return { critic: dLoss / this.opts.nCritic, loss: gLoss };
  }
}
