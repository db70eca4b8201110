/**
 * The machinery shared by the amortized slicers of Nguyen & Ho, *Amortized Projection Optimization
 * for Sliced Wasserstein Generative Models* (NeurIPS 2022): an amortized model f_ψ(X, Y) maps a pair
 * of mini-batches `[m, d]` to unit directions; its loss is the sliced distance along them,
 *
 * A-SW(X, Y) = ( (1/K) Σ_k W_p^p(θ_k#X, θ_k#Y) )^{1/p},  [θ_1..θ_K] = QR(f_ψ(X, Y)),
 *
 * which ψ maximizes (Algorithm 3: one Adam ascent step on detached mini-batches per generator
 * step) and which is ≤ Max-SW (Proposition 2). Each concrete model (linear, generalized linear,
 * non-linear) lives in its own file and only defines the raw map f_ψ.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  OTError,
  checkInteger,
  checkNumber,
  checkPositive,
  getOptimizerState,
  randomUniform,
  setOptimizerState,
  stopGradient,
  toPointCloud,
  toRng,
  type OptimizerState,
  type Rng,
  type Seed,
  type TensorLike,
  type ValidationLevel,
} from '@ot/core';
import { checkP } from './internal/args.js';
import { orthonormalColumns } from './internal/ops.js';
import type { MixingParams, RowMlpParams } from './internal/amortized-layers.js';
import { projectRows, projectRowsWithDirections } from './internal/project.js';
import { uniformCostsForDirections, uniformPair } from './internal/uniform-costs.js';
import { detachedCopy } from './internal/sphere-ascent.js';
import { projectedCosts, pthRootOfMean } from './internal/projected-costs.js';

export interface AmortizedSlicerOptions {
  /** Number of directions K ≤ d (default 1); K > 1 outputs are orthonormalized by QR. */
  directions?: number;
  /** Ground-cost exponent p ≥ 1 (default 2). */
  p?: number;
  /** Adam learning rate of the slicer (default 1e-3, the paper's CIFAR-10 setting). */
  lr?: number;
  /** Adam (β1, β2) (default [0, 0.9], the paper's setting). */
  betas?: [number, number];
  /** Width of the hidden layer of the generalized linear / non-linear maps (default d). */
  hidden?: number;
  /** Seed or generator for the initial parameters. */
  seed?: Seed;
  /** Validation level of the inputs of every call. */
  validate?: ValidationLevel;
}

export interface AmortizedLossOptions {
  /**
   * Treat the directions as constants (the generator's loss in Algorithm 3: its gradient flows only
   * through ⟨x, θ⟩). The directions are then a copy of their d·K values (one small device read), so
   * the backward pass never visits the slicer. Default false: the loss is differentiable through
   * f_ψ(X, Y) too.
   */
  detachDirections?: boolean;
}

/** The Adam state of an amortized slicer ({@link AmortizedSlicer.getOptimizerState}): `@ot/core`'s {@link OptimizerState}. */
export type SlicerOptimizerState = OptimizerState;

/** Base class of the amortized slicers; subclasses define {@link AmortizedSlicer.rawDirections}. */
export abstract class AmortizedSlicer {
  /** Mini-batch size m the model is built for. */
  readonly m: number;
  /** Dimension d of the samples. */
  readonly d: number;
  /** Number of directions K. */
  readonly K: number;
  /** Ground-cost exponent. */
  readonly p: number;
  protected readonly rng: Rng;
  protected readonly vars: tf.Variable[] = [];
  private readonly level: ValidationLevel | undefined;
  private readonly optimizer: tf.Optimizer;
  private disposed = false;

  protected constructor(m: number, d: number, options: AmortizedSlicerOptions) {
    this.m = checkInteger(m, 'm');
    this.d = checkInteger(d, 'd');
    this.K = checkInteger(options.directions ?? 1, 'directions');
    if (this.K > this.d) {
      throw new OTError('INVALID_ARGUMENT', `directions K must be ≤ d = ${this.d} to be orthonormal, got ${this.K}`, { K: this.K, d: this.d });
    }
    this.p = checkP(options.p ?? 2);
    const lr = checkPositive(options.lr ?? 1e-3, 'lr');
    const betas = options.betas ?? [0, 0.9];
    if (!Array.isArray(betas) || betas.length !== 2) throw new OTError('INVALID_ARGUMENT', `betas must be [beta1, beta2], got ${String(betas)}`);
    betas.forEach((b, i) => checkNumber(b, `betas[${i}]`, (v) => v >= 0 && v < 1, 'a number in [0, 1)'));
    this.rng = toRng(options.seed);
    this.level = options.validate;
    this.optimizer = tf.train.adam(lr, betas[0], betas[1]);
  }

  /** A trainable variable initialized U(−bound, bound), as PyTorch's Linear. */
  protected param(shape: number[], bound: number): tf.Variable {
    const v = tf.tidy(() => tf.variable(randomUniform(shape, this.rng, -bound, bound), true));
    this.vars.push(v);
    return v;
  }

  /**
   * The linear amortized model's parameters (Definition 3): w0 `[d, K]`, w1 and w2 `[m, K]`,
   * U(±1/√(2m)). Shared by the three amortized slicers of this package.
   * @internal
   */
  protected mixingParams(): MixingParams {
    const bound = 1 / Math.sqrt(2 * this.m);
    return { w0: this.param([this.d, this.K], bound), w1: this.param([this.m, this.K], bound), w2: this.param([this.m, this.K], bound) };
  }

  /**
   * A sigmoid MLP R^d → R^d on rows (W_in `[d, h]`, W_out `[h, d]`, b `[1, d]`), U(±1/√fan_in).
   * @internal
   */
  protected rowMlpParams(hidden: number): RowMlpParams {
    return {
      wIn: this.param([this.d, hidden], 1 / Math.sqrt(this.d)),
      wOut: this.param([hidden, this.d], 1 / Math.sqrt(hidden)),
      b: this.param([1, this.d], 1 / Math.sqrt(hidden)),
    };
  }

  /** The raw (unnormalized) directions `[d, K]` for mini-batches `x`, `y` `[m, d]`. */
  protected abstract rawDirections(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;

  /** The trainable variables ψ. */
  get trainableVariables(): readonly tf.Variable[] {
    return this.vars;
  }

  private checkAlive(): void {
    if (this.disposed) throw new OTError('DISPOSED', `this ${this.constructor.name} was disposed`);
  }

  private inputs(X: TensorLike, Y: TensorLike): [tf.Tensor2D, tf.Tensor2D] {
    this.checkAlive();
    const x = toPointCloud(X, 'X', this.level);
    const y = toPointCloud(Y, 'Y', this.level);
    for (const [t, name] of [[x, 'X'], [y, 'Y']] as const) {
      if (t.shape[0] !== this.m || t.shape[1] !== this.d) {
        throw new OTError(
          'SHAPE_MISMATCH',
          `${name} must be a mini-batch [m, d] = [${this.m}, ${this.d}] (the slicer's batch size and dimension), got [${t.shape}]`,
          { name, expected: [this.m, this.d], shape: t.shape },
        );
      }
    }
    return [x, y];
  }

  /**
   * The K unit directions for this pair, orthonormal columns `[d, K]` (QR of f_ψ(X, Y)).
   *
   * @param X - `[m, d]`
   * @param Y - `[m, d]`
   * @returns `[d, K]`
   */
  directions(X: TensorLike, Y: TensorLike): tf.Tensor2D {
    return tf.tidy(() => {
      const [x, y] = this.inputs(X, Y);
      return orthonormalColumns(this.rawDirections(x, y));
    });
  }

  /**
   * The amortized direction for this pair: unit `[d]` (K = 1), or `[d, K]` orthonormal columns.
   *
   * @param X - `[m, d]`
   * @param Y - `[m, d]`
   */
  direction(X: TensorLike, Y: TensorLike): tf.Tensor {
    return tf.tidy(() => {
      const dirs = this.directions(X, Y);
      return this.K === 1 ? tf.reshape(dirs, [this.d]) : dirs;
    });
  }

  /**
   * The amortized sliced distance along f_ψ(X, Y): a scalar differentiable w.r.t. ψ and, unless
   * `detachDirections`, w.r.t. X and Y through both the projections and the directions.
   *
   * @param X - `[m, d]`
   * @param Y - `[m, d]`
   */
  loss(X: TensorLike, Y: TensorLike, options: AmortizedLossOptions = {}): tf.Scalar {
    return tf.tidy(() => {
      const [x, y] = this.inputs(X, Y);
      if (options.detachDirections === true) {
        // A copy made from the d·K values: no tape path from X, Y or ψ through the slicer, so a
        // generator's backward pass never visits the slicer's ops.
        const D = detachedCopy(orthonormalColumns(this.rawDirections(x, y)));
        return pthRootOfMean(projectedCosts(projectRows(x, D), projectRows(y, D), this.p), this.p);
      }
      const dirs = orthonormalColumns(this.rawDirections(x, y));
      return pthRootOfMean(projectedCosts(projectRowsWithDirections(x, dirs), projectRowsWithDirections(y, dirs), this.p), this.p);
    });
  }

  /**
   * The loss as a function of ψ only (X, Y constants): the objective of {@link AmortizedSlicer.step},
   * its cost along the directions differentiated in closed form (two uniform batches of m points).
   */
  private lossForParameters(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    const dirs = orthonormalColumns(this.rawDirections(x, y));
    return pthRootOfMean(uniformCostsForDirections(uniformPair(x, y), dirs, this.p), this.p);
  }

  /**
   * One ascent step of the slicer's own Adam optimizer on ψ, with X and Y detached (Algorithm 3).
   *
   * @param X - `[m, d]`
   * @param Y - `[m, d]`
   * @returns the loss before the step (a scalar the caller disposes)
   */
  step(X: TensorLike, Y: TensorLike): tf.Scalar {
    this.checkAlive();
    const [xs, ys] = tf.tidy(() => this.inputs(X, Y).map((t) => stopGradient(t)) as [tf.Tensor2D, tf.Tensor2D]);
    try {
      const neg = this.optimizer.minimize(() => tf.neg(this.lossForParameters(xs, ys)) as tf.Scalar, true, this.vars) as tf.Scalar;
      const value = tf.neg(neg) as tf.Scalar;
      neg.dispose();
      return value;
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }

  /**
   * The state of the slicer's own Adam (for checkpoints): the step count (`iter`, shape `[]`), then
   * the first and second moments of each variable in {@link AmortizedSlicer.trainableVariables}
   * order (empty before the first {@link AmortizedSlicer.step}). Plain arrays: nothing to dispose.
   */
  async getOptimizerState(): Promise<SlicerOptimizerState> {
    this.checkAlive();
    return getOptimizerState(this.optimizer);
  }

  /**
   * Restores a state returned by {@link AmortizedSlicer.getOptimizerState} (of a slicer of the same
   * kind and sizes), so that the next {@link AmortizedSlicer.step} continues the same ascent.
   *
   * @throws OTError `INVALID_ARGUMENT` when the state is not an array starting with the step count;
   *   `SHAPE_MISMATCH` when the moments do not match the variables' shapes
   */
  async setOptimizerState(state: SlicerOptimizerState): Promise<void> {
    this.checkAlive();
    await setOptimizerState(this.optimizer, this.vars, state);
  }

  /** Frees the variables and the optimizer state. Further calls throw `DISPOSED`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}
