/**
 * Neural dual OT with amortized convex conjugates: Amos, *On amortizing convex conjugates for
 * optimal transport*, ICLR 2023. The potential f (an ICNN or a non-convex MLP) minimizes the dual
 *
 *     E_P f(x) + E_Q f*(y),   f*(y) = ⟨x̂(y), y⟩ − f(x̂(y)),   x̂(y) = argmin_x f(x) − ⟨x, y⟩,
 *
 * whose gradient in f's weights is E_P ∇f(x) − E_Q ∇f(x̂) (envelope theorem: x̂ is detached).
 * x̂ is predicted by an amortization network H(y) = y + MLP(y), optionally fine-tuned by a
 * conjugate solver started at H(y). H is trained on one of the amortization losses
 *
 * - `'objective'`: E_Q[f(H(y)) − ⟨H(y), y⟩] (f fixed),
 * - `'regression'`: E_Q‖H(y) − x̂(y)‖² (x̂ from the solver, detached),
 * - `'cycle'`: E_Q‖∇f(H(y)) − y‖².
 *
 * ∇f maps P to Q.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, toRng, type Seed, type TensorLike } from '@ot/core';
import { conjugate, type ConjugateOptions } from './conjugate.js';
import { DenseICNN, type DenseICNNOptions } from './dense-icnn.js';
import { ACTIVATIONS, MLP_INITS, activate, assertAlive, checkSizes, mm, scoped, toBatch, initDenseLayers, type Activation, type MlpInit, type Potential } from './potential.js';
import { checkBatches, fitLoop, makeAdam, optimizerStep, readTrainerState, restoreTrainerState, type AdamOptions, type FitOptions, type TrainerState } from './trainer.js';

export type AmortizationLoss = 'objective' | 'regression' | 'cycle';
const AMORTIZATIONS: readonly AmortizationLoss[] = ['objective', 'regression', 'cycle'];

/**
 * Order of the two updates of a step: `'alternating'` (f first, then H against the updated f) or
 * `'simultaneous'` (both gradients at the step's starting weights, as w2ot's single gradient of the
 * summed loss).
 */
export type NeuralDualUpdate = 'alternating' | 'simultaneous';
const UPDATES: readonly NeuralDualUpdate[] = ['alternating', 'simultaneous'];

export interface AmortizerOptions {
  dim: number;
  /** Hidden widths of the MLP (default `[64, 64]`). */
  hidden?: number[];
  /** Activation (default `'celu'`). */
  activation?: Activation;
  /**
   * `'identity'` (default: the last layer starts at zero, so H = id) or `'lecun'` (flax's default
   * for every layer, as w2ot's `InitNN`; pretrain with {@link NeuralDual.pretrain}).
   */
  init?: MlpInit;
  seed?: Seed;
}

/** The amortization network H(y) = y + MLP(y) (by default the last layer starts at zero, so H = id). */
export class Amortizer {
  readonly dim: number;
  readonly activation: Activation;
  readonly init: MlpInit;
  private readonly weights: tf.Variable[];
  private readonly biases: tf.Variable[];
  private disposed = false;

  /**
   * @example
   * ```ts
   * const h = new Amortizer({ dim: 2, hidden: [64, 64], seed: 0 });
   * const x0 = h.predict(y); // = y at initialization
   * ```
   */
  constructor(options: AmortizerOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'Amortizer options must be an object');
    this.dim = checkInteger(options.dim, 'dim');
    const hidden = checkSizes(options.hidden ?? [64, 64], 'hidden');
    this.activation = checkChoice(options.activation ?? 'celu', 'activation', ACTIVATIONS);
    this.init = checkChoice(options.init ?? 'identity', 'init', MLP_INITS);
    const rng = toRng(options.seed);
    const sizes = [this.dim, ...hidden, this.dim];
    ({ weights: this.weights, biases: this.biases } = initDenseLayers(sizes, this.init, rng));
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /** H(y): `[n, d]` → `[n, d]`. */
  predict(y: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'Amortizer');
    return tf.tidy(() => {
      const y0 = toBatch(y, this.dim, 'y');
      let h: tf.Tensor2D = y0;
      this.weights.forEach((w, i) => {
        const z = tf.add(mm(h, w as unknown as tf.Tensor2D), this.biases[i]!) as tf.Tensor2D;
        h = i + 1 < this.weights.length ? (activate(this.activation, z) as tf.Tensor2D) : z;
      });
      return tf.add(y0, h) as tf.Tensor2D;
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.trainableVariables);
  }
}

export interface NeuralDualOptions {
  /** The potential f (∇f: P → Q); a DenseICNN from `icnn` when omitted. Not disposed when given. */
  potential?: Potential;
  /** Options of the DenseICNN built when `potential` is omitted. */
  icnn?: Omit<DenseICNNOptions, 'seed'>;
  /** Amortization loss (default `'objective'`). */
  amortization?: AmortizationLoss;
  /** Hidden widths of H's MLP (default `[64, 64]`). */
  amortizerHidden?: number[];
  /** Initialization of H (default `'identity'`; `'lecun'` as w2ot, then {@link NeuralDual.pretrain}). */
  amortizerInit?: MlpInit;
  /** Order of f's and H's updates in a step (default `'alternating'`). */
  update?: NeuralDualUpdate;
  /**
   * Fine-tune H(y) with a conjugate solver before the potential's update (`false` to skip;
   * default `{ solver: 'lbfgs', maxIter: 20, gtol: 1e-2 }`). Required by `'regression'`.
   */
  finetune?: false | Omit<ConjugateOptions, 'init'>;
  /** Adam settings of f (default lr 1e-3). */
  optimizer?: AdamOptions;
  /** Adam settings of H (default lr 1e-3). */
  amortizerOptimizer?: AdamOptions;
  /**
   * Adam settings of {@link NeuralDual.pretrainStep} (default: plain Adam, lr 1e-3, β = (0.9, 0.999),
   * constant lr, as w2ot's `pretrain_identity`).
   */
  pretrainOptimizer?: AdamOptions;
  seed?: Seed;
}

/** Losses of one NeuralDual step. */
export interface NeuralDualStepLosses {
  /** E_P f(x) + E_Q f*(y) with the (fine-tuned) x̂. */
  readonly dual: number;
  /** The amortization loss of H. */
  readonly amortization: number;
  /** Fraction of samples on which the solver met its tolerance (1 without fine-tuning). */
  readonly solverConverged: number;
}

/**
 * The amortized neural dual trainer.
 * @example
 * ```ts
 * const nd = new NeuralDual({ potential: new MlpPotential({ dim: 2 }), amortization: 'objective' });
 * nd.pretrain({ sampleX, sampleY, iters: 500 }); // ∇f ≈ identity first (optional)
 * for (let i = 0; i < 1000; i++) nd.step(sampleX(256, rng), sampleY(256, rng));
 * const yHat = nd.map(x); // ∇f(x)
 * ```
 */
export class NeuralDual {
  readonly potential: Potential;
  readonly amortizer: Amortizer;
  readonly amortization: AmortizationLoss;
  readonly finetune: false | Omit<ConjugateOptions, 'init'>;
  readonly update: NeuralDualUpdate;
  private readonly ownsPotential: boolean;
  private readonly opt: tf.Optimizer;
  private readonly hOpt: tf.Optimizer;
  private readonly pretrainOpt: tf.Optimizer;
  private disposed = false;

  constructor(options: NeuralDualOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'NeuralDual options must be an object');
    const rng = toRng(options.seed);
    this.amortization = checkChoice(options.amortization ?? 'objective', 'amortization', AMORTIZATIONS);
    this.update = checkChoice(options.update ?? 'alternating', 'update', UPDATES);
    const ft = options.finetune ?? { solver: 'lbfgs', maxIter: 20, gtol: 1e-2 };
    if (ft !== false && (ft === null || typeof ft !== 'object')) throw new OTError('INVALID_ARGUMENT', 'finetune must be false or conjugate options');
    if (ft === false && this.amortization === 'regression') {
      throw new OTError('INVALID_ARGUMENT', "amortization 'regression' needs a solver: finetune must not be false");
    }
    this.finetune = ft;
    if (options.potential === undefined && options.icnn === undefined) {
      throw new OTError('INVALID_ARGUMENT', 'NeuralDual needs a potential or icnn options');
    }
    const opt = makeAdam(options.optimizer, 'optimizer');
    const hOpt = makeAdam(options.amortizerOptimizer, 'amortizerOptimizer');
    const pretrainOpt = makeAdam(options.pretrainOptimizer, 'pretrainOptimizer');
    this.ownsPotential = options.potential === undefined;
    this.potential = options.potential ?? new DenseICNN({ ...options.icnn!, seed: rng.nextSeed() });
    try {
      this.amortizer = new Amortizer({
        dim: this.potential.dim,
        hidden: options.amortizerHidden ?? [64, 64],
        ...(options.amortizerInit !== undefined ? { init: options.amortizerInit } : {}),
        seed: rng.nextSeed(),
      });
    } catch (e) {
      if (this.ownsPotential) this.potential.dispose();
      throw e;
    }
    this.opt = opt;
    this.hOpt = hOpt;
    this.pretrainOpt = pretrainOpt;
  }

  get dim(): number {
    return this.potential.dim;
  }

  /**
   * One step: x̂ = H(y) (fine-tuned when enabled), a step of f on E_P f(x) − E_Q f(x̂) and a step
   * of H on the amortization loss — against the updated f (`update: 'alternating'`) or the step's
   * starting f (`'simultaneous'`).
   * @param xBatch `[n, d]` samples of P
   * @param yBatch `[m, d]` samples of Q
   */
  step(xBatch: TensorLike, yBatch: TensorLike): NeuralDualStepLosses {
    assertAlive(this.disposed, 'NeuralDual');
    const f = this.potential;
    return scoped(() => {
      const [x, y] = checkBatches(xBatch, yBatch, this.dim);
      let xHat = this.amortizer.predict(y);
      let converged = 1;
      if (this.finetune !== false) {
        const r = conjugate(f, y, { ...this.finetune, init: xHat });
        xHat = r.x;
        r.value.dispose();
        converged = r.converged.reduce((a, b) => a + b, 0) / r.converged.length;
      }
      const target = xHat;
      // f's step does not depend on H (x̂ is fixed above), so H's step first = both at the start.
      const stepH = (): number => optimizerStep(this.hOpt, this.amortizer.trainableVariables, () => ({ total: this.amortizationLoss(y, target), parts: [] }))[0]!;
      const amortFirst = this.update === 'simultaneous' ? stepH() : undefined;
      const [, dual] = optimizerStep(this.opt, f.trainableVariables, () => {
        const fx = tf.mean(f.value(x));
        const fHat = tf.mean(f.value(target));
        const conj = tf.sub(tf.mean(tf.sum(tf.mul(target, y), 1)), fHat);
        return { total: tf.sub(fx, fHat) as tf.Scalar, parts: [tf.add(fx, conj) as tf.Scalar] };
      });
      f.convexify();
      const amort = amortFirst ?? stepH();
      return { dual: dual!, amortization: amort, solverConverged: converged };
    });
  }

  /** The amortization loss of H on y (a scalar; `target` is the solver's x̂ for 'regression'). */
  amortizationLoss(y: tf.Tensor2D, target?: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const h = this.amortizer.predict(y);
      switch (this.amortization) {
        case 'objective':
          return tf.mean(tf.sub(this.potential.value(h), tf.sum(tf.mul(h, y), 1))) as tf.Scalar;
        case 'regression': {
          if (target === undefined) throw new OTError('INVALID_ARGUMENT', "the 'regression' loss needs the solver's x̂");
          return tf.mean(tf.sum(tf.square(tf.sub(h, target)), 1)) as tf.Scalar;
        }
        case 'cycle':
          return tf.mean(tf.sum(tf.square(tf.sub(this.potential.push(h), y)), 1)) as tf.Scalar;
      }
    });
  }

  /**
   * One step of pretraining f and H towards the identity map (Amos 2023's `pretrain_identity`, as
   * W2GN does): minimizes E‖∇f(z) − z‖² + E‖H(z) − z‖² over the points z of both batches, with its
   * own optimizer (`pretrainOptimizer`; f and H share no weight, so this is one Adam per network).
   * The identity is the conjugate point of f = ½‖·‖². With the default `'identity'` inits H is
   * already the identity (its term and gradient are exactly 0), as is an MlpPotential's ∇f.
   * @param xBatch `[n, d]` points (samples of P, or of a box around the data)
   * @param yBatch `[m, d]` points (samples of Q, or of the same box)
   * @returns the loss (the sum of both terms)
   */
  pretrainStep(xBatch: TensorLike, yBatch: TensorLike): number {
    assertAlive(this.disposed, 'NeuralDual');
    const f = this.potential;
    const out = scoped(() => {
      const [x, y] = checkBatches(xBatch, yBatch, this.dim);
      const z = tf.concat([x, y], 0);
      const sq = (t: tf.Tensor2D): tf.Scalar => tf.mean(tf.sum(tf.square(tf.sub(t, z)), 1));
      return optimizerStep(this.pretrainOpt, [...f.trainableVariables, ...this.amortizer.trainableVariables], () => ({
        total: tf.add(sq(f.push(z)), sq(this.amortizer.predict(z))) as tf.Scalar,
        parts: [],
      }));
    });
    f.convexify();
    return out[0]!;
  }

  /** Runs {@link NeuralDual.pretrainStep} on fresh batches. */
  pretrain(options: FitOptions<number>): number | undefined {
    return fitLoop((x, y) => this.pretrainStep(x, y), options);
  }

  /** Runs {@link NeuralDual.step} on fresh batches. */
  fit(options: FitOptions<NeuralDualStepLosses>): NeuralDualStepLosses | undefined {
    return fitLoop((x, y) => this.step(x, y), options);
  }

  /** ∇f(x): the fitted map P → Q. */
  map(x: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'NeuralDual');
    return this.potential.push(x);
  }

  /**
   * x̂(y) ≈ ∇f*(y): the fitted map Q → P (H(y), fine-tuned when enabled).
   */
  inverseMap(y: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'NeuralDual');
    const h = this.amortizer.predict(y);
    if (this.finetune === false) return h;
    const r = conjugate(this.potential, y, { ...this.finetune, init: h });
    tf.dispose([h, r.value]);
    return r.x;
  }

  /**
   * The trainer's state for a checkpoint: the variables of f (`potential`) and H (`amortizer`) and
   * the states of both optimizers (Adam moments, step counts, lr-schedule steps). The pretraining
   * optimizer is not included. Restore it with {@link NeuralDual.setState} on a trainer built with
   * the same options; the next steps then continue the run as if it had not stopped.
   */
  async getState(): Promise<TrainerState> {
    assertAlive(this.disposed, 'NeuralDual');
    return readTrainerState(
      'NeuralDual',
      { potential: this.potential.trainableVariables, amortizer: this.amortizer.trainableVariables },
      { optimizer: this.opt, amortizerOptimizer: this.hOpt },
    );
  }

  /**
   * Restores a state from {@link NeuralDual.getState} (all or nothing).
   * @throws OTError `INVALID_ARGUMENT` (not a NeuralDual state), `SHAPE_MISMATCH` (built with other
   *   sizes), `NON_FINITE`
   */
  async setState(state: TrainerState): Promise<void> {
    assertAlive(this.disposed, 'NeuralDual');
    const f = this.potential.trainableVariables;
    const h = this.amortizer.trainableVariables;
    await restoreTrainerState(state, 'NeuralDual', { potential: f, amortizer: h }, { optimizer: [this.opt, f], amortizerOptimizer: [this.hOpt, h] });
  }

  /** Frees the optimizer state, H, and the potential when the trainer built it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.opt.dispose();
    this.hOpt.dispose();
    this.pretrainOpt.dispose();
    this.amortizer.dispose();
    if (this.ownsPotential) this.potential.dispose();
  }
}
