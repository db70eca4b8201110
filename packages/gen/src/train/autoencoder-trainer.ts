/**
 * The deterministic autoencoder (MSE) and the base of the latent-regularized autoencoders of
 * optimal-transport generative modeling (WAE-MMD / WAE-GAN: Tolstikhin, Bousquet, Gelly, Schölkopf,
 * *Wasserstein auto-encoders*, ICLR 2018; SWAE: Kolouri, Pope, Martin, Rohde, ICLR 2019). Per step,
 * on a batch x with codes z = E(x):
 *
 *   L = mean ‖x − D(z)‖² / dim(x)  +  λ · penalty(q(z), p(z)),
 *
 * the reconstruction being the per-coordinate mean squared error on [−1, 1] images (the WAE paper's
 * `0.05·‖x − y‖²` on [0, 1] MNIST images equals ≈ 9.8× this, so its λ = 10 for WAE-MMD is λ ≈ 1
 * here). The plain autoencoder has no penalty. The generator of every such model is the decoder
 * applied to prior samples: `sample(n)` decodes z ~ p(z), and {@link AutoencoderTrainer.generator}
 * maps Gaussian noise through the prior (`Prior.fromNormal`) then the decoder.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkNumber, checkPositive, type Seed } from '@ot/core';
import { Autoencoder } from '../models/autoencoder.js';
import { Module, type ForwardOptions, type Generator, type NamedWeight } from '../models/module.js';
import { gaussianPrior, type Prior } from '../losses/priors.js';
import { Adam } from './adam.js';
import type { Ema } from './ema.js';
import { Trainer, requireGroup, type BaseTrainerOptions, type Losses } from './trainer.js';

export interface AutoencoderTrainerOptions extends BaseTrainerOptions {
  /** Code dimension (default: the prior's, else 8 — the WAE MNIST setting). */
  latentDim?: number;
  /** `'mlp'` (default) or `'conv'` encoder/decoder (28×28 and 32×32 images). */
  autoencoder?: 'mlp' | 'conv';
  /** Hidden widths of the MLP encoder (the decoder mirrors them; default [512, 256]). */
  hidden?: readonly number[];
  /** Builds a custom autoencoder instead (must match the data shape and latentDim). */
  makeAutoencoder?: () => Autoencoder;
  /** Latent prior (default N(0, I) on latentDim dimensions). */
  prior?: Prior;
  /** Weight λ of the latent penalty (ignored by the plain autoencoder). */
  lambda?: number;
  /** Encoder/decoder learning rate (default 1e-3, the WAE paper's). */
  lr?: number;
  /** Adam (β1, β2) (default (0.5, 0.999), the WAE paper's). */
  betas?: readonly [number, number];
}

/**
 * Gaussian noise → prior code → decoder: the generator an autoencoder defines (samples in the
 * training space, images in [−1, 1]). It owns the autoencoder only when built with `owns = true`
 * (e.g. rebuilt from a checkpoint for sampling); the trainers' generator does not.
 *
 * @example
 * ```ts
 * const ae = new Autoencoder({ inputShape: [28, 28, 1], latentDim: 8 });
 * ae.setWeights(ckpt.groups['autoencoder']);
 * const g = new AutoencoderGenerator(ae, gaussianPrior(8), true);
 * const x = g.forward(tf.randomNormal([16, 8]));   // [16, 28, 28, 1]
 * ```
 */
export class AutoencoderGenerator extends Module implements Generator {
  readonly latentDim: number;
  readonly outputShape: readonly number[];
  constructor(
    private readonly ae: Autoencoder,
    private readonly prior: Prior,
    private readonly owns = false,
  ) {
    super();
    if (prior.dim !== ae.latentDim) throw new OTError('SHAPE_MISMATCH', `the prior '${prior.name}' has dimension ${prior.dim}, the autoencoder's codes ${ae.latentDim}`);
    this.latentDim = prior.fromNormal !== undefined ? prior.noiseDim : prior.dim;
    this.outputShape = ae.inputShape;
  }

  override dispose(): void {
    if (this.owns) this.ae.dispose();
    super.dispose();
  }

  forward(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    return tf.tidy(() => this.ae.decode(this.prior.fromNormal !== undefined ? this.prior.fromNormal(z as tf.Tensor2D) : z, options));
  }

  override parameterCount(): number {
    return this.ae.parameterCount();
  }
}

/**
 * @example
 * ```ts
 * const t = new AutoencoderTrainer({ dataset: loadMnist(), latentDim: 8, autoencoder: 'conv' });
 * await t.run({ steps: 2000, onProgress: ({ step, losses }) => console.log(step, losses.reconstruction) });
 * const xr = t.reconstruct(x);    // [b, 28, 28, 1] in [0, 1]
 * ```
 */
export class AutoencoderTrainer extends Trainer {
  readonly kind: string = 'ae';
  readonly prior: Prior;
  protected readonly ae: Autoencoder;
  protected readonly aeOpt: Adam;
  private readonly gen: AutoencoderGenerator;
  protected readonly base: { latentDim: number; autoencoder: string; hidden: number[] | null; lambda: number; lr: number; betas: number[]; prior: string };

  constructor(options: AutoencoderTrainerOptions, defaultLambda = 0) {
    super(options);
    if (options.emaDecay !== undefined) throw new OTError('INVALID_ARGUMENT', 'EMA is not used by the autoencoder trainers');
    const latentDim = checkInteger(options.latentDim ?? options.prior?.dim ?? 8, 'latentDim');
    this.prior = options.prior ?? gaussianPrior(latentDim);
    if (this.prior.dim !== latentDim) throw new OTError('SHAPE_MISMATCH', `the prior '${this.prior.name}' has dimension ${this.prior.dim}, latentDim is ${latentDim}`);
    const betas = options.betas ?? [0.5, 0.999];
    this.base = {
      latentDim,
      autoencoder: options.makeAutoencoder !== undefined ? 'custom' : (options.autoencoder ?? 'mlp'),
      hidden: options.hidden === undefined ? null : [...options.hidden],
      lambda: checkNumber(options.lambda ?? defaultLambda, 'lambda', (v) => v >= 0, 'a number ≥ 0'),
      lr: checkPositive(options.lr ?? 1e-3, 'lr'),
      betas: [...betas],
      prior: this.prior.name,
    };
    this.ae =
      options.makeAutoencoder?.() ??
      new Autoencoder({ inputShape: this.dataset.sampleShape, latentDim, kind: options.autoencoder ?? 'mlp', hidden: options.hidden, seed: this.rng.nextSeed() });
    const shape = this.ae.inputShape;
    if (this.ae.latentDim !== latentDim || shape.length !== this.dataset.sampleShape.length || shape.some((d, i) => d !== this.dataset.sampleShape[i])) {
      this.ae.dispose();
      throw new OTError('SHAPE_MISMATCH', `the autoencoder maps [${shape}] ↔ [${this.ae.latentDim}], the data is [${this.dataset.sampleShape}] and latentDim ${latentDim}`);
    }
    this.aeOpt = new Adam(this.ae.trainableVariables(), { lr: this.base.lr, betas });
    this.gen = new AutoencoderGenerator(this.ae, this.prior);
  }

  /** The decoder fed by the prior: Gaussian noise `[b, latentDim]` → samples. */
  get generator(): Generator {
    return this.gen;
  }

  get ema(): Ema<Generator> | undefined {
    return undefined;
  }

  /** The trained autoencoder (owned by the trainer). */
  get autoencoder(): Autoencoder {
    return this.ae;
  }

  /** `n` decoded prior samples in data space (images in [0, 1]). */
  override sample(n: number, options: { seed?: Seed; useEma?: boolean } = {}): tf.Tensor {
    this.checkAlive();
    checkInteger(n, 'n');
    return tf.tidy(() => this.toData(this.ae.decode(this.prior.sample(n, options.seed ?? 12345), { training: false })));
  }

  /** Codes `[b, latentDim]` of data-space samples `x` (images in [0, 1]). */
  encode(x: tf.Tensor): tf.Tensor2D {
    this.checkAlive();
    return tf.tidy(() => this.ae.encode(this.toTraining(x), { training: false }));
  }

  /** Data-space samples of codes `z` `[b, latentDim]`. */
  decode(z: tf.Tensor): tf.Tensor {
    this.checkAlive();
    return tf.tidy(() => this.toData(this.ae.decode(z, { training: false })));
  }

  /** Reconstructions D(E(x)) of data-space samples (images in [0, 1]). */
  reconstruct(x: tf.Tensor): tf.Tensor {
    this.checkAlive();
    return tf.tidy(() => this.toData(this.ae.decode(this.ae.encode(this.toTraining(x), { training: false }), { training: false })));
  }

  /** Per-coordinate MSE (training space) of the reconstructions of `n` data samples drawn with `seed`. */
  reconstructionError(n = 1000, seed: Seed = 4242): number {
    this.checkAlive();
    return tf.tidy(() => {
      const x = this.toTraining(this.dataset.sample(n, seed));
      return this.ae.reconstructionLoss(x, { training: false }).dataSync()[0] as number;
    });
  }

  protected toTraining(x: tf.Tensor): tf.Tensor {
    return this.images ? tf.sub(tf.mul(x, 2), 1) : x;
  }

  protected toData(x: tf.Tensor): tf.Tensor {
    return this.images ? tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1) : x;
  }

  /** λ-free latent penalty between the codes `z` `[b, d]` and the prior (none for the plain AE). */
  protected penalty(_z: tf.Tensor2D): tf.Scalar | undefined {
    return undefined;
  }

  /** Work before the autoencoder step (the WAE-GAN discriminator, an amortized slicer). */
  protected async beforeStep(_x: tf.Tensor): Promise<Losses> {
    return {};
  }

  protected async trainStep(): Promise<Losses> {
    const x = this.realBatch();
    const losses = await this.beforeStep(x);
    let rec: tf.Scalar | undefined;
    let pen: tf.Scalar | undefined;
    const total = this.aeOpt.minimize(() => {
      const z = this.ae.encode(x, { training: true });
      const r = tf.mean(tf.squaredDifference(this.ae.decode(z, { training: true }), x)) as tf.Scalar;
      rec = tf.keep(tf.clone(r));
      const p = this.penalty(z);
      if (p === undefined) return r;
      pen = tf.keep(p);
      return tf.add(r, tf.mul(p, this.base.lambda)) as tf.Scalar;
    });
    this.ae.commitUpdates();
    x.dispose();
    losses['reconstruction'] = (rec as tf.Scalar | undefined)?.dataSync()[0] as number;
    if (pen !== undefined) losses['penalty'] = (pen as tf.Scalar).dataSync()[0] as number;
    losses['loss'] = total;
    tf.dispose([rec, pen].filter((t): t is tf.Scalar => t !== undefined));
    return losses;
  }

  config(): Record<string, unknown> {
    return { dataset: this.dataset.name, batchSize: this.batchSize, seed: this.seed, ...this.base };
  }

  protected async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    return { autoencoder: this.ae.getWeights(), 'autoencoder.adam': this.aeOpt.getState() };
  }

  protected async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    this.ae.setWeights(requireGroup(groups, 'autoencoder'));
    this.aeOpt.setState(requireGroup(groups, 'autoencoder.adam'));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ae.dispose();
    this.aeOpt.dispose();
    this.gen.dispose();
  }
}
