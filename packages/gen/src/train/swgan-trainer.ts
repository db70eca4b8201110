/**
 * The sliced Wasserstein generator of Deshpande, Zhang, Schwing, *Generative modeling using the
 * sliced Wasserstein distance*, CVPR 2018 (Section 3.2): a discriminator D is trained with the
 * logistic (standard GAN) loss
 *
 *   L_D = E[softplus(−D(x))] + E[softplus(D(G(z)))]      (−log σ(D(x)) − log(1 − σ(D(G(z))))),
 *
 * and the generator minimizes the sliced Wasserstein distance SW_p between the discriminator's
 * features (its last block flattened ⊕ score) of a generated and a real batch, with L random
 * directions per step (`@ot/sliced`). `SlicedTrainer` with a critic is the same scheme with the hinge
 * loss (the amortized-SW paper's setting); this trainer keeps the original paper's logistic loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkPositive } from '@ot/core';
import { slicedWasserstein } from '@ot/sliced';
import type { Critic, Generator } from '../models/module.js';
import { AdversarialTrainer } from './adversarial-trainer.js';
import type { BaseTrainerOptions, Losses } from './trainer.js';

export interface SwganTrainerOptions extends BaseTrainerOptions {
  makeGenerator: () => Generator;
  /** The discriminator whose features are sliced (`forwardWithFeatures`). */
  makeCritic: () => Critic;
  /** Random directions per step (default 100). */
  L?: number;
  /** Ground-cost exponent (default 2). */
  p?: number;
  /** Discriminator steps per generator step (default 1). */
  nCritic?: number;
  /** Generator learning rate (default 2e-4). */
  lr?: number;
  /** Discriminator learning rate (default 2e-4). */
  criticLr?: number;
  /** Adam (β1, β2) (default (0.5, 0.999), the DCGAN setting). */
  betas?: readonly [number, number];
}

/**
 * @example
 * ```ts
 * const t = new SwganTrainer({ dataset: loadMnist(), makeGenerator, makeCritic, L: 100 });
 * await t.run({ steps: 2000 });
 * ```
 */
export class SwganTrainer extends AdversarialTrainer<{ L: number; p: number; nCritic: number; lr: number; criticLr: number; betas: readonly [number, number] }> {
  readonly kind = 'swgan';

  constructor(options: SwganTrainerOptions) {
    super(options, () => {
      if (typeof options.makeGenerator !== 'function' || typeof options.makeCritic !== 'function') {
        throw new OTError('INVALID_ARGUMENT', 'SwganTrainer needs makeGenerator and makeCritic');
      }
      return {
        L: checkInteger(options.L ?? 100, 'L'),
        p: checkPositive(options.p ?? 2, 'p'),
        nCritic: checkInteger(options.nCritic ?? 1, 'nCritic'),
        lr: checkPositive(options.lr ?? 2e-4, 'lr'),
        criticLr: checkPositive(options.criticLr ?? 2e-4, 'criticLr'),
        betas: options.betas ?? [0.5, 0.999],
      };
    });
  }

  protected async trainStep(): Promise<Losses> {
    let dLoss = 0;
    for (let i = 0; i < this.opts.nCritic; i++) dLoss += this.criticStep((sr, sf) => tf.add(tf.mean(tf.softplus(tf.neg(sr))), tf.mean(tf.softplus(sf))));
    this.critic.prepareStep?.();
    const real = this.realBatch();
    const realFeatures = tf.tidy(() => this.critic.forwardWithFeatures(real, { training: true }).features as tf.Tensor2D);
    this.critic.discardUpdates();
    const z = this.latent();
    const gLoss = this.genOpt.minimize(() => {
      const f = this.critic.forwardWithFeatures(this.gen.forward(z, { training: true }), { training: true }).features as tf.Tensor2D;
      return slicedWasserstein(f, realFeatures, { p: this.opts.p, nProjections: this.opts.L, seed: this.rng, validate: 'shapes' });
    });
    this.gen.commitUpdates();
    this.critic.discardUpdates();
    tf.dispose([real, realFeatures, z]);
    this.emaModel?.update();
    return { critic: dLoss / this.opts.nCritic, loss: gLoss };
  }
}
