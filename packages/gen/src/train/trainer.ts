/**
 * The training-loop contract shared by every trainer of `@ot/gen`: `step()` runs one training
 * step and returns its losses; `run({ steps, onProgress, checkpointEvery })` loops, reports
 * progress through callbacks and saves checkpoints (atomically, see `checkpoint.ts`);
 * `checkpoint()` / `restore()` capture and restore the full state (models, optimizers, EMA, RNG,
 * step) so a resumed run equals an uninterrupted one on the same backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, createRng, type Rng, type Seed } from '@ot/core';
import type { Dataset } from '../datasets/dataset.js';
import { isImageDataset } from '../datasets/dataset.js';
import type { Generator, Module, NamedWeight } from '../models/module.js';
import { sampleLatent } from '../models/module.js';
import { Ema } from './ema.js';
import { saveCheckpoint, type TrainerCheckpoint } from './checkpoint.js';

/** The losses of one step, by name (`loss`, `critic`, `slicer`, ...). */
export type Losses = Record<string, number>;

export interface StepResult {
  /** Steps completed after this one. */
  readonly step: number;
  readonly losses: Losses;
}

export interface ProgressInfo extends StepResult {
  /** Steps this `run` call will have done when finished, counted from its start. */
  readonly total: number;
  /** Index of this step within the current `run` call (1-based). */
  readonly done: number;
  /** Milliseconds since the `run` call started. */
  readonly elapsedMs: number;
}

export interface RunOptions {
  /** Steps to run (≥ 1). */
  steps: number;
  /** Called after each step (awaited). */
  onProgress?: (info: ProgressInfo) => void | Promise<void>;
  /** Save a checkpoint every N steps (and after the last step) when > 0. */
  checkpointEvery?: number;
  /** Receives each checkpoint; defaults to writing it atomically to `checkpointPath`. */
  onCheckpoint?: (ckpt: TrainerCheckpoint) => void | Promise<void>;
  /** A run directory or `.otck` file for checkpoints (with `checkpointEvery`). */
  checkpointPath?: string;
  /** Stop early (after the current step) when aborted. */
  signal?: AbortSignal;
}

export interface RunResult {
  readonly steps: number;
  readonly elapsedMs: number;
  readonly last: StepResult | undefined;
}

export interface BaseTrainerOptions {
  dataset: Dataset;
  /** Mini-batch size (default 64). */
  batchSize?: number;
  /** Seed of everything random in training (default 0). */
  seed?: number;
  /** EMA decay of the generator weights (e.g. 0.999); off when undefined. */
  emaDecay?: number;
}

/** Base class: RNG, step counter, data access, generator + EMA bookkeeping, run loop, checkpoints. */
export abstract class Trainer {
  /** Trainer kind stored in checkpoints. */
  abstract readonly kind: string;
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly seed: number;
  protected rng: Rng;
  protected steps = 0;
  protected disposed = false;
  /** Images are trained in [−1, 1] (tanh generators); toy data as is. */
  protected readonly images: boolean;

  constructor(options: BaseTrainerOptions) {
    if (options.dataset === undefined) throw new OTError('INVALID_ARGUMENT', 'dataset is required');
    this.dataset = options.dataset;
    this.batchSize = checkInteger(options.batchSize ?? 64, 'batchSize');
    this.seed = checkInteger(options.seed ?? 0, 'seed', 0);
    this.rng = createRng(this.seed);
    this.images = isImageDataset(options.dataset);
  }

  /** Steps completed so far. */
  get iteration(): number {
    return this.steps;
  }

  /** The generator being trained (samples in the training space). */
  abstract get generator(): Generator;

  /** The EMA copy of the generator, when enabled. */
  abstract get ema(): Ema<Generator> | undefined;

  /** One training step; returns its losses. Subclasses implement {@link trainStep}. */
  async step(): Promise<StepResult> {
    this.checkAlive();
    const losses = await this.trainStep();
    this.steps += 1;
    for (const [k, v] of Object.entries(losses)) {
      if (!Number.isFinite(v)) {
        throw new OTError('NUMERICAL_ERROR', `training diverged at step ${this.steps}: ${k} = ${v} (try a lower learning rate)`, { step: this.steps });
      }
    }
    return { step: this.steps, losses };
  }

  protected abstract trainStep(): Promise<Losses>;

  /** A real batch in the training space (`[b, ...shape]`, images mapped to [−1, 1]). */
  protected realBatch(b = this.batchSize): tf.Tensor {
    return tf.tidy(() => {
      const x = this.dataset.sample(b, this.rng);
      return this.images ? tf.sub(tf.mul(x, 2), 1) : x;
    });
  }

  /** Latent codes for the generator. */
  protected latent(b = this.batchSize): tf.Tensor2D {
    return sampleLatent(b, this.generator.latentDim, this.rng);
  }

  /**
   * `n` samples in data space (images in [0, 1]) from the EMA generator when there is one
   * (`useEma`, default true), drawn with `seed` (independent of the training RNG).
   */
  sample(n: number, options: { seed?: Seed; useEma?: boolean } = {}): tf.Tensor {
    this.checkAlive();
    checkInteger(n, 'n');
    const g = options.useEma !== false && this.ema !== undefined ? this.ema.shadow : this.generator;
    return tf.tidy(() => {
      const z = sampleLatent(n, g.latentDim, options.seed ?? 12345);
      const x = g.forward(z, { training: false });
      return this.images ? tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1) : x;
    });
  }

  /** Runs `steps` steps, reporting progress and saving checkpoints. */
  async run(options: RunOptions): Promise<RunResult> {
    const total = checkInteger(options.steps, 'steps');
    const every = options.checkpointEvery === undefined ? 0 : checkInteger(options.checkpointEvery, 'checkpointEvery', 0);
    if (every > 0 && options.onCheckpoint === undefined && options.checkpointPath === undefined) {
      throw new OTError('INVALID_ARGUMENT', 'checkpointEvery needs checkpointPath or onCheckpoint');
    }
    const save = async () => {
      const ckpt = await this.checkpoint();
      if (options.onCheckpoint !== undefined) await options.onCheckpoint(ckpt);
      else saveCheckpoint(options.checkpointPath as string, ckpt);
    };
    const t0 = performance.now();
    let last: StepResult | undefined;
    let done = 0;
    for (; done < total; ) {
      if (options.signal?.aborted === true) break;
      last = await this.step();
      done += 1;
      if (options.onProgress !== undefined) {
        await options.onProgress({ ...last, total, done, elapsedMs: performance.now() - t0 });
      }
      if (every > 0 && (this.steps % every === 0 || done === total)) await save();
    }
    return { steps: done, elapsedMs: performance.now() - t0, last };
  }

  /** Named model/optimizer groups saved in checkpoints (subclasses add theirs). */
  protected abstract stateGroups(): Promise<Record<string, NamedWeight[]>>;
  protected abstract restoreGroups(groups: Record<string, NamedWeight[]>): Promise<void>;
  /** JSON configuration recorded in checkpoints (checked on restore). */
  abstract config(): Record<string, unknown>;

  /** The full state of the trainer. */
  async checkpoint(): Promise<TrainerCheckpoint> {
    this.checkAlive();
    return { kind: this.kind, step: this.steps, rng: this.rng.getState(), meta: { config: this.config() }, groups: await this.stateGroups() };
  }

  /**
   * Restores a state saved by {@link checkpoint} into this trainer (built with the same configuration).
   *
   * @throws OTError `INVALID_ARGUMENT` when the checkpoint is of another kind or configuration
   */
  async restore(ckpt: TrainerCheckpoint): Promise<void> {
    this.checkAlive();
    if (ckpt.kind !== this.kind) throw new OTError('INVALID_ARGUMENT', `checkpoint is of a '${ckpt.kind}' trainer, this is '${this.kind}'`);
    const saved = JSON.stringify((ckpt.meta as { config?: unknown }).config);
    const mine = JSON.stringify(this.config());
    if (saved !== mine) throw new OTError('INVALID_ARGUMENT', `checkpoint configuration ${saved} differs from this trainer's ${mine}`);
    await this.restoreGroups(ckpt.groups);
    this.rng = createRng(ckpt.rng);
    this.steps = ckpt.step;
  }

  protected checkAlive(): void {
    if (this.disposed) throw new OTError('DISPOSED', `${this.constructor.name} was disposed`);
  }

  /** Releases models, optimizers and EMA. */
  abstract dispose(): void;
}

/** Helper: a group from a module, and restoring it. */
export function moduleGroup(m: Module): NamedWeight[] {
  return m.getWeights();
}

export function requireGroup(groups: Record<string, NamedWeight[]>, name: string): NamedWeight[] {
  const g = groups[name];
  if (g === undefined) throw new OTError('INVALID_ARGUMENT', `checkpoint lacks '${name}'`);
  return g;
}
