/**
 * WAE-MMD (Tolstikhin, Bousquet, Gelly, Schölkopf, *Wasserstein auto-encoders*, ICLR 2018,
 * Algorithm 2): reconstruction + λ·MMD²_u(q(z), p(z)), the unbiased MMD between the codes of a batch
 * and as many prior samples, with the inverse multiquadratic kernel summed over the scales
 * C = 2·d·σ²·s (see `losses/mmd.ts`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { checkChoice } from '@ot/core';
import { MMD_KERNELS, WAE_MMD_SCALES, mmd, type MmdKernel } from '../losses/mmd.js';
import { AutoencoderTrainer, type AutoencoderTrainerOptions } from './autoencoder-trainer.js';

export interface WaeMmdTrainerOptions extends AutoencoderTrainerOptions {
  /** Kernel (default `'imq'`, the paper's). */
  kernel?: MmdKernel;
  /** Scales s of C = 2·d·σ²·s (default {0.1, 0.2, 0.5, 1, 2, 5, 10}). */
  scales?: readonly number[];
}

/**
 * @example
 * ```ts
 * const t = new WaeMmdTrainer({ dataset: loadMnist(), latentDim: 8, lambda: 1 });
 * await t.run({ steps: 3000 });
 * const x = t.sample(64); // decoded N(0, I) codes, [64, 28, 28, 1] in [0, 1]
 * ```
 */
export class WaeMmdTrainer extends AutoencoderTrainer {
  override readonly kind = 'wae-mmd';
  private readonly kernel: MmdKernel;
  private readonly scales: number[];

  /** Default λ = 1 (the paper's λ = 10 with its reconstruction scale, see `autoencoder-trainer.ts`). */
  constructor(options: WaeMmdTrainerOptions) {
    super(options, 1);
    this.kernel = checkChoice(options.kernel ?? 'imq', 'kernel', MMD_KERNELS);
    this.scales = [...(options.scales ?? WAE_MMD_SCALES)];
  }

  protected override penalty(z: tf.Tensor2D): tf.Scalar {
    const p = this.prior.sample(z.shape[0], this.rng);
    return mmd(z, p, { kernel: this.kernel, scales: this.scales, sigma2: this.prior.variance, validate: 'shapes' });
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), kernel: this.kernel, scales: this.scales };
  }
}
