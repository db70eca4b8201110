/**
 * W2GN in an autoencoder's latent space (Korotin, Egiazarian, Asadulaev, Safin, Burnaev,
 * *Wasserstein-2 Generative Networks*, ICLR 2021, the latent-space generative experiments):
 *
 * 1. train an autoencoder on the data (`aeSteps` steps, MSE);
 * 2. standardize its codes (per-dimension mean and std of 2048 encoded samples), then fit the W2
 *    map from N(0, I) to the code distribution with `@ot/icnn`'s W2GN (ICNN potentials, cycle
 *    consistency λ), after `pretrainSteps` steps pretraining both maps to the identity;
 * 3. generate: z ~ N(0, I) → ∇ψ(z) → de-standardize → decode.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkNumber, checkPositive } from '@ot/core';
import { W2GN } from '@ot/icnn';
import { Autoencoder } from '../models/autoencoder.js';
import { Module, sampleLatent, type ForwardOptions, type Generator, type NamedWeight } from '../models/module.js';
import { Adam } from './adam.js';
import type { Ema } from './ema.js';
import { Trainer, requireGroup, type BaseTrainerOptions, type Losses } from './trainer.js';

export interface W2gnLatentTrainerOptions extends BaseTrainerOptions {
  /** Latent (code) dimension (default 8). */
  latentDim?: number;
  /** `'mlp'` (default) or `'conv'` autoencoder. */
  autoencoder?: 'mlp' | 'conv';
  /** Autoencoder steps before the W2GN phase (default 1000). */
  aeSteps?: number;
  /** W2GN identity pretraining steps (default 200). */
  pretrainSteps?: number;
  /** Cycle-consistency weight λ (default 1, as the W2GN code for low dimensions). */
  lambda?: number;
  /** ICNN hidden widths (default [128, 128, 64]). */
  icnnHidden?: number[];
  /** Autoencoder learning rate (default 1e-3). */
  lr?: number;
  /** W2GN learning rate (default 1e-3). */
  mapLr?: number;
}

/** z ↦ decode(∇ψ(z)·std + mean): the generator a W2GN latent run defines (owns no variables). */
class LatentMapGenerator extends Module implements Generator {
  constructor(
    private readonly trainer: W2gnLatentTrainer,
    readonly latentDim: number,
    readonly outputShape: readonly number[],
  ) {
    super();
  }

  forward(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    return this.trainer.generate(z, options);
  }

  override parameterCount(): number {
    return this.trainer.parameterCount();
  }
}

/**
 * @example
 * ```ts
 * const t = new W2gnLatentTrainer({ dataset: loadMnist(), latentDim: 8, aeSteps: 1000 });
 * await t.run({ steps: 3000 });
 * const x = t.sample(64); // [64, 28, 28, 1] in [0, 1]
 * ```
 */
export class W2gnLatentTrainer extends Trainer {
  readonly kind = 'w2gn-latent';
  private readonly ae: Autoencoder;
  private readonly aeOpt: Adam;
  private readonly w2gn: W2GN;
  private readonly gen: LatentMapGenerator;
  private mean: tf.Tensor1D | undefined;
  private std: tf.Tensor1D | undefined;
  private readonly opts: { latentDim: number; autoencoder: 'mlp' | 'conv'; aeSteps: number; pretrainSteps: number; lambda: number; icnnHidden: number[]; lr: number; mapLr: number };

  constructor(options: W2gnLatentTrainerOptions) {
    super(options);
    if (options.emaDecay !== undefined) throw new OTError('INVALID_ARGUMENT', 'EMA is not used by the W2GN latent trainer');
    this.opts = {
      latentDim: checkInteger(options.latentDim ?? 8, 'latentDim'),
      autoencoder: options.autoencoder ?? 'mlp',
      aeSteps: checkInteger(options.aeSteps ?? 1000, 'aeSteps', 0),
      pretrainSteps: checkInteger(options.pretrainSteps ?? 200, 'pretrainSteps', 0),
      lambda: checkNumber(options.lambda ?? 1, 'lambda', (v) => v >= 0, 'a number ≥ 0'),
      icnnHidden: options.icnnHidden ?? [128, 128, 64],
      lr: checkPositive(options.lr ?? 1e-3, 'lr'),
      mapLr: checkPositive(options.mapLr ?? 1e-3, 'mapLr'),
    };
    this.ae = new Autoencoder({ inputShape: this.dataset.sampleShape, latentDim: this.opts.latentDim, kind: this.opts.autoencoder, seed: this.rng.nextSeed() });
    this.aeOpt = new Adam(this.ae.trainableVariables(), { lr: this.opts.lr, betas: [0.9, 0.999] });
    this.w2gn = new W2GN({
      icnn: { dim: this.opts.latentDim, hidden: this.opts.icnnHidden, strongConvexity: 1 },
      lambda: this.opts.lambda,
      optimizer: { lr: this.opts.mapLr },
      seed: this.rng.nextSeed(),
    });
    this.gen = new LatentMapGenerator(this, this.opts.latentDim, this.dataset.sampleShape);
  }

  get generator(): Generator {
    return this.gen;
  }

  get ema(): Ema<Generator> | undefined {
    return undefined;
  }

  /** Trainable scalars of the autoencoder and both ICNNs. */
  parameterCount(): number {
    return this.ae.parameterCount() + [...this.w2gn.potential.trainableVariables, ...this.w2gn.conjugatePotential.trainableVariables].reduce((a, v) => a + v.size, 0);
  }

  /** Generator samples in the training space for latent codes `z` `[b, latentDim]`. */
  generate(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      let code = z as tf.Tensor2D;
      if (this.mean !== undefined && this.std !== undefined) code = tf.add(tf.mul(this.w2gn.potential.push(code), this.std), this.mean) as tf.Tensor2D;
      return this.ae.decode(code, options);
    });
  }

  private ensureStats(): void {
    if (this.mean !== undefined) return;
    const codes = tf.tidy(() => this.ae.encode(this.realBatch(2048)));
    const { mean, variance } = tf.moments(codes, 0);
    this.mean = mean as tf.Tensor1D;
    this.std = tf.tidy(() => tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor1D;
    tf.dispose([codes, variance]);
  }

  /** Standardized codes of a real batch. */
  private codes(): tf.Tensor2D {
    return tf.tidy(() => tf.div(tf.sub(this.ae.encode(this.realBatch()), this.mean as tf.Tensor), this.std as tf.Tensor) as tf.Tensor2D);
  }

  protected async trainStep(): Promise<Losses> {
    if (this.steps < this.opts.aeSteps) {
      const x = this.realBatch();
      const loss = this.aeOpt.minimize(() => this.ae.reconstructionLoss(x, { training: true }));
      x.dispose();
      return { reconstruction: loss };
    }
    this.ensureStats();
    const z = sampleLatent(this.batchSize, this.opts.latentDim, this.rng);
    const y = this.codes();
    try {
      if (this.steps < this.opts.aeSteps + this.opts.pretrainSteps) return { pretrain: this.w2gn.pretrainStep(z, y) };
      const l = this.w2gn.step(z, y);
      return { loss: l.total, dual: l.dual, cycle: l.cycle };
    } finally {
      tf.dispose([z, y]);
    }
  }

  config(): Record<string, unknown> {
    return { dataset: this.dataset.name, batchSize: this.batchSize, seed: this.seed, ...this.opts };
  }

  protected async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    const vars = (list: tf.Variable[], p: string) => list.map((v, i) => ({ name: `${p}${i}`, shape: [...v.shape], values: v.dataSync() as Float32Array }));
    const g: Record<string, NamedWeight[]> = {
      autoencoder: this.ae.getWeights(),
      'autoencoder.adam': this.aeOpt.getState(),
      psi: vars(this.w2gn.potential.trainableVariables, 'v'),
      psiBar: vars(this.w2gn.conjugatePotential.trainableVariables, 'v'),
    };
    if (this.mean !== undefined && this.std !== undefined) {
      g['latentStats'] = [
        { name: 'mean', shape: [...this.mean.shape], values: this.mean.dataSync() as Float32Array },
        { name: 'std', shape: [...this.std.shape], values: this.std.dataSync() as Float32Array },
      ];
    }
    for (const key of ['opt', 'pretrainOpt'] as const) {
      const opt = (this.w2gn as unknown as Record<string, tf.Optimizer | undefined>)[key];
      if (opt !== undefined && typeof opt.getWeights === 'function') {
        const ws = await opt.getWeights();
        g[`w2gn.${key}`] = ws.map((w, i) => ({ name: `w${i}`, shape: [...w.tensor.shape], values: Float32Array.from(w.tensor.dataSync()) }));
      }
    }
    return g;
  }

  protected async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    this.ae.setWeights(requireGroup(groups, 'autoencoder'));
    this.aeOpt.setState(requireGroup(groups, 'autoencoder.adam'));
    const assign = (list: tf.Variable[], saved: NamedWeight[]) =>
      list.forEach((v, i) => {
        const w = saved[i];
        if (w === undefined || w.values.length !== v.size) throw new OTError('SHAPE_MISMATCH', `ICNN variable ${i} is missing or has the wrong size`);
        tf.tidy(() => v.assign(tf.tensor(w.values, [...v.shape], 'float32')));
      });
    assign(this.w2gn.potential.trainableVariables, requireGroup(groups, 'psi'));
    assign(this.w2gn.conjugatePotential.trainableVariables, requireGroup(groups, 'psiBar'));
    const stats = groups['latentStats'];
    if (stats !== undefined) {
      tf.dispose([this.mean, this.std].filter((t): t is tf.Tensor1D => t !== undefined));
      const [m, s] = stats as [NamedWeight, NamedWeight];
      this.mean = tf.tensor1d(m.values);
      this.std = tf.tensor1d(s.values);
    }
    for (const key of ['opt', 'pretrainOpt'] as const) {
      const opt = (this.w2gn as unknown as Record<string, tf.Optimizer | undefined>)[key];
      const saved = groups[`w2gn.${key}`];
      if (opt !== undefined && saved !== undefined && saved.length > 0) {
        const tensors = saved.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, [...w.shape], 'float32') }));
        await opt.setWeights(tensors);
        tf.dispose(tensors.map((t) => t.tensor));
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ae.dispose();
    this.aeOpt.dispose();
    this.w2gn.dispose();
    this.gen.dispose();
    tf.dispose([this.mean, this.std].filter((t): t is tf.Tensor1D => t !== undefined));
  }
}
