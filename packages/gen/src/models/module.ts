/**
 * The parameter container every model of `@ot/gen` extends: named tf.Variables it owns (trainable
 * parameters and non-trainable buffers such as batch-norm running statistics and spectral-norm
 * power-iteration vectors), `getWeights` / `setWeights` in a stable named layout, and `dispose()`.
 * Models are built from tfjs-core ops only (no tfjs-layers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, toRng, type Rng, type Seed } from '@ot/core';

/** One named array of a model's state. */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Training mode: batch statistics for batch norm (and their running averages updated). */
  training?: boolean;
}

let moduleCounter = 0;

export abstract class Module {
  private readonly vars = new Map<string, { v: tf.Variable; trainable: boolean }>();
  private readonly pending: Array<[tf.Variable, tf.Tensor]> = [];
  private disposed = false;
  /** A unique prefix so tfjs variable names never collide between models. */
  protected readonly uid = `m${moduleCounter++}`;

  /** Registers a variable owned by this module (takes ownership of `init`). */
  protected addVariable(name: string, init: tf.Tensor, trainable = true): tf.Variable {
    if (this.vars.has(name)) throw new OTError('INVALID_ARGUMENT', `duplicate parameter name '${name}'`);
    const v = tf.variable(init, trainable, `${this.uid}/${name}`);
    init.dispose();
    this.vars.set(name, { v, trainable });
    return v;
  }

  /** Glorot-uniform weight of `shape` with the given fan-in / fan-out. */
  protected glorot(name: string, shape: number[], fanIn: number, fanOut: number, rng: Rng): tf.Variable {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return this.addVariable(name, tf.randomUniform(shape, -limit, limit, 'float32', rng.nextSeed()));
  }

  protected zeros(name: string, shape: number[], trainable = true): tf.Variable {
    return this.addVariable(name, tf.zeros(shape), trainable);
  }

  protected ones(name: string, shape: number[], trainable = true): tf.Variable {
    return this.addVariable(name, tf.ones(shape), trainable);
  }

  /** Trainable parameters, in registration order. */
  trainableVariables(): tf.Variable[] {
    this.checkAlive();
    return [...this.vars.values()].filter((e) => e.trainable).map((e) => e.v);
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.trainableVariables().reduce((a, v) => a + v.size, 0);
  }

  /** Queues a buffer update computed during a forward pass (applied by {@link commitUpdates}). */
  protected queueUpdate(v: tf.Variable, value: tf.Tensor): void {
    this.pending.push([v, tf.keep(value)]);
  }

  /** Applies the buffer updates (batch-norm running statistics) queued by training forward passes. */
  commitUpdates(): void {
    for (const [v, t] of this.pending.splice(0)) {
      v.assign(t);
      t.dispose();
    }
  }

  /** Drops queued buffer updates (after a forward pass that must not change the statistics). */
  discardUpdates(): void {
    for (const [, t] of this.pending.splice(0)) t.dispose();
  }

  /** Every variable (parameters and buffers) as named host arrays. */
  getWeights(): NamedWeight[] {
    this.checkAlive();
    return [...this.vars.entries()].map(([name, { v }]) => ({ name, shape: [...v.shape], values: v.dataSync() as Float32Array }));
  }

  /**
   * Restores weights saved by {@link getWeights}.
   *
   * @throws OTError `SHAPE_MISMATCH` when a name is missing or a shape differs
   */
  setWeights(weights: readonly NamedWeight[]): void {
    this.checkAlive();
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, { v }] of this.vars) {
      const w = byName.get(name);
      if (w === undefined) throw new OTError('SHAPE_MISMATCH', `weights lack '${name}'`);
      if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
        throw new OTError('SHAPE_MISMATCH', `weight '${name}' has shape [${w.shape}], the model expects [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(w.values, [...v.shape], 'float32')));
    }
  }

  /** Copies all variables into `other` (same architecture). */
  copyTo(other: Module): void {
    other.setWeights(this.getWeights());
  }

  /** Copies the non-trainable buffers (batch-norm statistics, spectral-norm vectors) of `other`. */
  copyBuffersFrom(other: Module): void {
    this.checkAlive();
    for (const [name, { v, trainable }] of this.vars) {
      if (trainable) continue;
      const src = other.vars.get(name);
      if (src === undefined) throw new OTError('SHAPE_MISMATCH', `source model lacks buffer '${name}'`);
      v.assign(src.v);
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  protected checkAlive(): void {
    if (this.disposed) throw new OTError('DISPOSED', `${this.constructor.name} was disposed`);
  }

  /** Releases every variable. */
  dispose(): void {
    if (this.disposed) return;
    this.discardUpdates();
    for (const { v } of this.vars.values()) v.dispose();
    this.vars.clear();
    this.disposed = true;
  }
}

/** A network mapping latent codes `[b, latentDim]` to samples `[b, ...outputShape]`. */
export interface Generator extends Module {
  readonly latentDim: number;
  readonly outputShape: readonly number[];
  forward(z: tf.Tensor, options?: ForwardOptions): tf.Tensor;
}

/** A critic: samples → scores `[b, 1]` and the features the sliced losses use. */
export interface Critic extends Module {
  /** Scores `[b, 1]` and features `[b, f]` (the last block flattened, concatenated with the score). */
  forwardWithFeatures(x: tf.Tensor, options?: ForwardOptions): { score: tf.Tensor; features: tf.Tensor };
  /** Called once per training step before the forward passes (spectral-norm power iteration). */
  prepareStep?(): void;
}

/** Draws latent codes `[b, d]` ~ N(0, I). */
export function sampleLatent(b: number, d: number, seed?: Seed): tf.Tensor2D {
  return tf.randomNormal([b, d], 0, 1, 'float32', toRng(seed).nextSeed());
}
