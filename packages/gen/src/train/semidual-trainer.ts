/**
 * The semi-dual generator (Houdard, Leclaire, Papadakis, Rabin, *On the gradient formula for learning
 * generative models with regularized optimal transport costs*, TMLR 2023, Algorithm 1): alternate
 * K ascent iterations (ASGD or Adam) on the dual potential ψ — a vector over J data points (SDOT)
 * or an MLP of the data point (SDOTNN) — warm-started from the last ψ, and one Adam step of the
 * generator on E_z[ψ^{c,λ}(g_θ(z))]; λ = 0 is unregularized OT, λ > 0 the entropic version. The
 * target measure ν is a fixed set of J training samples; the cost is the quadratic cost divided by
 * mean ‖y‖² (the paper's normalization). The step itself is `@ot/semidual`'s `semiDualGeneratorStep`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkNumber, checkPositive, permutation } from '@ot/core';
import { MlpPotential, SemiDualTarget, VectorPotential, adam, asgd, semiDualGeneratorStep, type DualPotential, type SemiDualSolver } from '@ot/semidual';
import { ArrayDataset } from '../datasets/dataset.js';
import type { Generator, NamedWeight } from '../models/module.js';
import { sampleLatent } from '../models/module.js';
import { Ema } from './ema.js';
import { Trainer, requireGroup, type BaseTrainerOptions, type Losses } from './trainer.js';

export interface SemiDualTrainerOptions extends BaseTrainerOptions {
  makeGenerator: () => Generator;
  /** ψ as a vector over the J target points (`'vector'`, SDOT, default) or an MLP (`'mlp'`, SDOTNN). */
  potential?: 'vector' | 'mlp';
  /** Entropic regularization λ ≥ 0 (default 0). */
  lambda?: number;
  /** Number J of data points forming ν (default min(size, 10000); 2000 for samplers). */
  targetSize?: number;
  /** Inner solver (default `'asgd'` for the vector potential, `'adam'` for the MLP). */
  innerSolver?: 'asgd' | 'adam';
  /** Inner iterations K per generator step (default 10). */
  innerIterations?: number;
  /** Inner batch size (default the generator batch size). */
  innerBatch?: number;
  /** ASGD base step γ (default 1) or Adam learning rate of ψ (default 0.01). */
  gamma?: number;
  /** Generator learning rate (default 1e-3). */
  lr?: number;
  /** Generator Adam (β1, β2) (default (0.5, 0.999)). */
  betas?: readonly [number, number];
  /** Hidden widths of the SDOTNN potential (default [256, 256]). */
  potentialHidden?: readonly number[];
}

/**
 * @example
 * ```ts
 * const t = new SemiDualTrainer({ dataset: toyDataset('8gaussians'), makeGenerator, lambda: 0.01 });
 * await t.run({ steps: 500 });
 * ```
 */
export class SemiDualTrainer extends Trainer {
  readonly kind = 'semidual';
  private readonly gen: Generator;
  private readonly emaModel: Ema<Generator> | undefined;
  private readonly target: SemiDualTarget;
  private readonly psi: DualPotential;
  private readonly solver: SemiDualSolver;
  private readonly optimizer: tf.Optimizer;
  private readonly opts: {
    potential: 'vector' | 'mlp';
    lambda: number;
    targetSize: number;
    innerSolver: 'asgd' | 'adam';
    innerIterations: number;
    innerBatch: number;
    gamma: number;
    lr: number;
    betas: readonly [number, number];
    potentialHidden: readonly number[];
  };

  constructor(options: SemiDualTrainerOptions) {
    super(options);
    const size = this.dataset.size;
    // ASGD with γ = 1 suits the vector potential (SDOT); the MLP potential (SDOTNN) trains with Adam.
    const innerSolver = checkChoice(options.innerSolver ?? (options.potential === 'mlp' ? 'adam' : 'asgd'), 'innerSolver', ['asgd', 'adam'] as const);
    this.opts = {
      potential: checkChoice(options.potential ?? 'vector', 'potential', ['vector', 'mlp'] as const),
      lambda: checkNumber(options.lambda ?? 0, 'lambda', (v) => v >= 0, 'a number ≥ 0'),
      targetSize: checkInteger(options.targetSize ?? (size === undefined ? 2000 : Math.min(size, 10000)), 'targetSize'),
      innerSolver,
      innerIterations: checkInteger(options.innerIterations ?? 10, 'innerIterations'),
      innerBatch: checkInteger(options.innerBatch ?? this.batchSize, 'innerBatch'),
      gamma: checkPositive(options.gamma ?? (innerSolver === 'asgd' ? 1 : 0.01), 'gamma'),
      lr: checkPositive(options.lr ?? 1e-3, 'lr'),
      betas: options.betas ?? [0.5, 0.999],
      potentialHidden: options.potentialHidden ?? [256, 256],
    };
    if (size !== undefined && this.opts.targetSize > size) {
      throw new OTError('INVALID_ARGUMENT', `targetSize ${this.opts.targetSize} exceeds the dataset size ${size}`);
    }
    this.gen = options.makeGenerator();
    this.emaModel = options.emaDecay === undefined ? undefined : new Ema(this.gen, options.makeGenerator(), options.emaDecay);
    const d = this.dataset.sampleShape.reduce((a, b) => a * b, 1);
    // ν: J fixed training samples (a seeded subset), flattened, in the training space.
    const y = tf.tidy(() => {
      const J = this.opts.targetSize;
      let x: tf.Tensor;
      if (this.dataset instanceof ArrayDataset) x = this.dataset.gather(permutation(this.dataset.size, this.seed + 7).subarray(0, J));
      else x = this.dataset.sample(J, this.seed + 7);
      if (this.images) x = tf.sub(tf.mul(x, 2), 1);
      return tf.reshape(x, [J, d]);
    });
    this.target = new SemiDualTarget(y, { cost: 'normalized-sqeuclidean', validate: 'shapes' });
    y.dispose();
    this.psi =
      this.opts.potential === 'vector'
        ? new VectorPotential(this.opts.targetSize)
        : new MlpPotential({ inputDim: d, hidden: this.opts.potentialHidden, seed: this.rng.nextSeed() });
    this.solver =
      innerSolver === 'asgd'
        ? asgd({ gamma: this.opts.gamma, batchSize: this.opts.innerBatch, iterations: this.opts.innerIterations, evalBatches: 1 })
        : adam({ learningRate: this.opts.gamma, batchSize: this.opts.innerBatch, iterations: this.opts.innerIterations, evalBatches: 1 });
    this.optimizer = tf.train.adam(this.opts.lr, this.opts.betas[0], this.opts.betas[1]);
  }

  get generator(): Generator {
    return this.gen;
  }

  get ema(): Ema<Generator> | undefined {
    return this.emaModel;
  }

  protected async trainStep(): Promise<Losses> {
    const b = this.batchSize;
    const r = semiDualGeneratorStep({
      target: this.target,
      lambda: this.opts.lambda,
      potential: this.psi,
      innerSolver: this.solver,
      generator: (z) => tf.reshape(this.gen.forward(z, { training: true }), [z.shape[0], -1]) as tf.Tensor2D,
      generatorVariables: this.gen.trainableVariables(),
      optimizer: this.optimizer,
      sampleLatent: (n, rng) => sampleLatent(n, this.gen.latentDim, rng),
      batchSize: b,
      seed: this.rng,
    });
    this.gen.discardUpdates();
    this.emaModel?.update();
    return { loss: r.loss, dual: r.dualObjective };
  }

  config(): Record<string, unknown> {
    return { dataset: this.dataset.name, batchSize: this.batchSize, seed: this.seed, ema: this.emaModel?.decay ?? null, ...this.opts, betas: [...this.opts.betas] };
  }

  protected async stateGroups(): Promise<Record<string, NamedWeight[]>> {
    const ws = await this.optimizer.getWeights();
    const g: Record<string, NamedWeight[]> = {
      generator: this.gen.getWeights(),
      potential: this.psi.variables.map((v, i) => ({ name: `psi${i}`, shape: [...v.shape], values: v.dataSync() as Float32Array })),
      'generator.adam': ws.map((w, i) => ({ name: `w${i}`, shape: [...w.tensor.shape], values: Float32Array.from(w.tensor.dataSync()) })),
    };
    if (this.emaModel !== undefined) g['ema'] = this.emaModel.shadow.getWeights();
    return g;
  }

  protected async restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void> {
    this.gen.setWeights(requireGroup(groups, 'generator'));
    const psi = requireGroup(groups, 'potential');
    this.psi.variables.forEach((v, i) => {
      const w = psi[i];
      if (w === undefined || w.values.length !== v.size) throw new OTError('SHAPE_MISMATCH', `potential variable ${i} is missing or has the wrong size`);
      tf.tidy(() => v.assign(tf.tensor(w.values, [...v.shape], 'float32')));
    });
    const saved = requireGroup(groups, 'generator.adam');
    const tensors = saved.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, [...w.shape], 'float32') }));
    await this.optimizer.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
    if (this.emaModel !== undefined) this.emaModel.shadow.setWeights(requireGroup(groups, 'ema'));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gen.dispose();
    this.emaModel?.dispose();
    this.target.dispose();
    this.psi.dispose();
    this.optimizer.dispose();
  }
}
