/**
 * Sliced-Wasserstein generators (Deshpande, Zhang, Schwing, CVPR 2018; Deshpande et al., CVPR 2019;
 * Nguyen & Ho, *Amortized Projection Optimization for Sliced Wasserstein Generative Models*,
 * NeurIPS 2022). Per step:
 *
 * - with a critic (image experiments of Nguyen & Ho): `nCritic` discriminator steps with the hinge
 *   loss, then the sliced distance is taken between the critic features (last block flattened ⊕
 *   score) of a real and a generated batch;
 * - without a critic: the distance is taken on the samples themselves (pixels, toy 2D points);
 * - `sw`: L random directions; `max-sw`: T2 projected (Adam) ascent steps on the sphere with the slice
 *   lr; `la-sw` / `ga-sw` / `na-sw`: Algorithm 3 — one ascent step of the amortized slicer ψ on the
 *   detached batches, then the generator step along f_ψ(X, Y) with the directions fixed.
 *
 * The losses themselves come from `@ot/sliced`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkPositive } from '@ot/core';
import {
  AmortizedSlicer,
  GeneralizedLinearAmortizedSlicer,
  LinearAmortizedSlicer,
  NonLinearAmortizedSlicer,
  maxSlicedWasserstein,
  slicedWasserstein,
} from '@ot/sliced';
import type { Critic, Generator, NamedWeight } from '../models/module.js';
import { Adam } from './adam.js';
import { Ema } from './ema.js';
import { restoreSlicer, slicerGroups } from './slicer-state.js';
import { Trainer, requireGroup, type BaseTrainerOptions, type Losses } from './trainer.js';

export const SLICED_LOSSES = ['sw', 'max-sw', 'la-sw', 'ga-sw', 'na-sw'] as const;
export type SlicedLoss = (typeof SLICED_LOSSES)[number];

export interface SlicedTrainerOptions extends BaseTrainerOptions {
  loss: SlicedLoss;
  /** Builds the generator (called twice with EMA: the model and its shadow). */
  makeGenerator: () => Generator;
  /** Builds the critic whose features are sliced (image experiments); pixels/points when omitted. */
  makeCritic?: () => Critic;
  /** Number of projections L for `sw` (default 100). */
  L?: number;
  /** Ascent steps T2 for `max-sw` (default 10). */
  t2?: number;
  /** Slice learning rate for `max-sw` (default 0.01) and for the amortized slicer (default 1e-3). */
  sliceLr?: number;
  /** Ground-cost exponent (default 2). */
  p?: number;
  /** Generator learning rate (default 2e-4 with a critic, 1e-3 without). */
  lr?: number;
  /** Critic learning rate (default 2e-4). */
  criticLr?: number;
  /** Adam (β1, β2) of the generator and critic (default (0, 0.9) with a critic, (0.5, 0.999) without). */
  betas?: readonly [number, number];
  /** Critic steps per generator step (default 1). */
  nCritic?: number;
}

/**
 * @example
 * ```ts
 * const trainer = new SlicedTrainer({
 *   loss: 'la-sw', dataset: toyDataset('8gaussians'), batchSize: 256, seed: 0,
 *   makeGenerator: () => new MlpGenerator({ latentDim: 2, outputShape: [2], hidden: [128, 128] }),
 * });
 * await trainer.run({ steps: 500, onProgress: ({ step, losses }) => console.log(step, losses.loss) });
 * ```
 */
export class SlicedTrainer extends Trainer {
  readonly kind = 'sliced';
  readonly loss: SlicedLoss;
  private readonly opts: Required<Pick<SlicedTrainerOptions, 'L' | 't2' | 'sliceLr' | 'p' | 'lr' | 'criticLr' | 'nCritic'>> & {
    betas: readonly [number, number];
  };
  private readonly gen: Generator;
  private readonly genOpt: Adam;
  private readonly critic: Critic | undefined;
  private readonly criticOpt: Adam | undefined;
  private readonly emaModel: Ema<Generator> | undefined;
  private slicer: AmortizedSlicer | undefined;

  constructor(options: SlicedTrainerOptions) {
    super(options);
    this.loss = checkChoice(options.loss, 'loss', SLICED_LOSSES);
    const hasCritic = options.makeCritic !== undefined;
    const amortized = this.loss.endsWith('a-sw') && this.loss !== 'max-sw';
    this.opts = {
      L: checkInteger(options.L ?? 100, 'L'),
      t2: checkInteger(options.t2 ?? 10, 't2', 0),
      sliceLr: checkPositive(options.sliceLr ?? (amortized ? 1e-3 : 0.01), 'sliceLr'),
      p: checkPositive(options.p ?? 2, 'p'),
      lr: checkPositive(options.lr ?? (hasCritic ? 2e-4 : 1e-3), 'lr'),
      criticLr: checkPositive(options.criticLr ?? 2e-4, 'criticLr'),
      nCritic: checkInteger(options.nCritic ?? 1, 'nCritic'),
      betas: options.betas ?? (hasCritic ? [0, 0.9] : [0.5, 0.999]),
    };
    this.gen = options.makeGenerator();
    const shape = this.gen.outputShape;
    if (shape.length !== this.dataset.sampleShape.length || shape.some((d, i) => d !== this.dataset.sampleShape[i])) {
      this.gen.dispose();
      throw new OTError('SHAPE_MISMATCH', `the generator makes [${shape}] samples but ${this.dataset.name} has [${this.dataset.sampleShape}]`);
    }
    this.genOpt = new Adam(this.gen.trainableVariables(), { lr: this.opts.lr, betas: this.opts.betas });
    if (options.makeCritic !== undefined) {
      this.critic = options.makeCritic();
      this.criticOpt = new Adam(this.critic.trainableVariables(), { lr: this.opts.criticLr, betas: this.opts.betas });
    }
    this.emaModel = options.emaDecay === undefined ? undefined : new Ema(this.gen, options.makeGenerator(), options.emaDecay);
    if (amortized) {
      const d = this.featureDim();
      const Slicer =
        this.loss === 'la-sw' ? LinearAmortizedSlicer : this.loss === 'ga-sw' ? GeneralizedLinearAmortizedSlicer : NonLinearAmortizedSlicer;
      this.slicer = new Slicer(this.batchSize, d, { p: this.opts.p, lr: this.opts.sliceLr, seed: this.rng.nextSeed(), validate: 'shapes' });
    }
  }

  get generator(): Generator {
    return this.gen;
  }

  get ema(): Ema<Generator> | undefined {
    return this.emaModel;
  }

  /** Dimension of the sliced space: critic features or flattened samples. */
  private featureDim(): number {
    if (this.critic === undefined) return this.dataset.sampleShape.reduce((a, b) => a * b, 1);
    return tf.tidy(() => this.critic!.forwardWithFeatures(tf.zeros([1, ...this.dataset.sampleShape])).features.shape[1] as number);
  }

  /** The points the sliced loss compares: features `[b, f]` or flattened samples `[b, d]`. */
  private embed(x: tf.Tensor): tf.Tensor2D {
    if (this.critic === undefined) return tf.reshape(x, [x.shape[0] as number, -1]) as tf.Tensor2D;
    return this.critic.forwardWithFeatures(x, { training: true }).features as tf.Tensor2D;
  }

  /** The sliced distance between fake and real points with the configured method (differentiable in `fake`). */
  private distance(fake: tf.Tensor2D, real: tf.Tensor2D): tf.Scalar {
    switch (this.loss) {
      case 'sw':
        return slicedWasserstein(fake, real, { p: this.opts.p, nProjections: this.opts.L, seed: this.rng, validate: 'shapes' });
      case 'max-sw': {
        const { value, direction } = maxSlicedWasserstein(fake, real, {
          p: this.opts.p,
          iterations: this.opts.t2,
          lr: this.opts.sliceLr,
          optimizer: 'adam',
          seed: this.rng,
          validate: 'shapes',
        });
        direction.dispose();
        return value;
      }
      default:
        return (this.slicer as AmortizedSlicer).loss(fake, real, { detachDirections: true });
    }
  }

  private criticStep(): number {
    const critic = this.critic as Critic;
    critic.prepareStep?.();
    const real = this.realBatch();
    const fake = tf.tidy(() => this.gen.forward(this.latent(), { training: true }));
    this.gen.discardUpdates();
    const loss = (this.criticOpt as Adam).minimize(() => {
      const sr = critic.forwardWithFeatures(real, { training: true }).score;
      const sf = critic.forwardWithFeatures(fake, { training: true }).score;
      // Hinge loss (Lim & Ye 2017; Miyato et al. 2018).
      return tf.add(tf.mean(tf.relu(tf.sub(1, sr))), tf.mean(tf.relu(tf.add(1, sf)))) as tf.Scalar;
    });
    critic.commitUpdates();
    tf.dispose([real, fake]);
    return loss;
  }

  protected async trainStep(): Promise<Losses> {
    const losses: Losses = {};
    if (this.critic !== undefined) {
      let c = 0;
      for (let i = 0; i < this.opts.nCritic; i++) c += this.criticStep();
      losses['critic'] = c / this.opts.nCritic;
      this.critic.prepareStep?.();
    }
    const real = this.realBatch();
    const z = this.latent();
    const realPoints = tf.tidy(() => this.embed(real));
    this.critic?.discardUpdates();
    let slicerValue: tf.Scalar | undefined;
    const genLoss = this.genOpt.minimize(() => {
      const fake = this.embed(this.gen.forward(z, { training: true }));
      if (this.slicer === undefined) return this.distance(fake, realPoints);
      // Algorithm 3: one ascent step of ψ on the detached batch, then the generator step at the
      // updated ψ. G(z) is the same batch for both (same z, same weights), so it is computed once:
      // the slicer's step runs on a detached copy inside this tape and stays off the generator's
      // gradient path.
      slicerValue = tf.keep(this.slicer.step(fake, realPoints));
      return this.slicer.loss(fake, realPoints, { detachDirections: true });
    });
    if (slicerValue !== undefined) {
      losses['slicer'] = slicerValue.dataSync()[0] as number;
      slicerValue.dispose();
    }
    losses['loss'] = genLoss;
    this.gen.commitUpdates();
    this.critic?.discardUpdates();
    this.emaModel?.update();
    tf.dispose([real, z]);
    realPoints.dispose();
    return losses;
  }

  /** The settings this run uses (options a loss ignores, e.g. L for LA-SW, are left out). */
  config(): Record<string, unknown> {
    const { L, t2, sliceLr, p, lr, criticLr, nCritic, betas } = this.opts;
    return {
      loss: this.loss,
      dataset: this.dataset.name,
      batchSize: this.batchSize,
      seed: this.seed,
      critic: this.critic !== undefined,
      ema: this.emaModel?.decay ?? null,
      p,
      lr,
      betas: [...betas],
      ...(this.loss === 'sw' ? { L } : {}),
      ...(this.loss === 'max-sw' ? { t2 } : {}),
      ...(this.loss !== 'sw' ? { sliceLr } : {}),
      ...(this.critic !== undefined ? { criticLr, nCritic } : {}),
    };
  }

  protected async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    const g: Record<string, NamedWeight[]> = { generator: this.gen.getWeights(), 'generator.adam': this.genOpt.getState() };
    if (this.critic !== undefined) {
      g['critic'] = this.critic.getWeights();
      g['critic.adam'] = (this.criticOpt as Adam).getState();
    }
    if (this.emaModel !== undefined) g['ema'] = this.emaModel.shadow.getWeights();
    if (this.slicer !== undefined) Object.assign(g, await slicerGroups(this.slicer));
    return g;
  }

  protected async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    this.gen.setWeights(requireGroup(groups, 'generator'));
    this.genOpt.setState(requireGroup(groups, 'generator.adam'));
    if (this.critic !== undefined) {
      this.critic.setWeights(requireGroup(groups, 'critic'));
      (this.criticOpt as Adam).setState(requireGroup(groups, 'critic.adam'));
    }
    if (this.emaModel !== undefined) this.emaModel.shadow.setWeights(requireGroup(groups, 'ema'));
    if (this.slicer !== undefined) await restoreSlicer(this.slicer, groups);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gen.dispose();
    this.genOpt.dispose();
    this.critic?.dispose();
    this.criticOpt?.dispose();
    this.emaModel?.dispose();
    this.slicer?.dispose();
  }
}
