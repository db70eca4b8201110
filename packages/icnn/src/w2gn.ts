/**
 * W2GN: Korotin, Egiazarian, Asadulaev, Safin, Burnaev, *Wasserstein-2 Generative Networks*,
 * ICLR 2021. Two convex potentials, ψ_θ (∇ψ_θ: P → Q) and ψ̄_ω (∇ψ̄_ω: Q → P, the approximate
 * conjugate), trained jointly on the non-minimax objective
 *
 *     E_P ψ_θ(x) + E_Q[⟨∇ψ̄_ω(y), y⟩ − ψ_θ(∇ψ̄_ω(y))] + (λ/2)·E_Q‖∇ψ_θ∘∇ψ̄_ω(y) − y‖²
 *
 * after a pretraining of both gradient maps to the identity. The weights are clamped to stay
 * convex after every step.
 *
 * `objective: 'reference'` follows the authors' benchmark code (Korotin et al., NeurIPS 2021,
 * `W2_test_hd_benchmark.ipynb`) instead: ∇ψ̄(y) is detached in the dual term, so ψ̄ learns only
 * from the cycle term, and the cycle term runs both ways,
 *
 *     E_P ψ_θ(x) − E_Q ψ_θ(sg[∇ψ̄_ω(y)]) + (λ/2)·(E_Q‖∇ψ_θ∘∇ψ̄_ω(y) − y‖² + E_P‖∇ψ̄_ω∘∇ψ_θ(x) − x‖²).
 *
 * In the joint form, ψ̄ also descends the dual term, i.e. it is pushed *away* from the conjugate's
 * argmax (⟨ȳ, y⟩ − ψ(ȳ) is minimized in ȳ), which only the cycle term holds back — so λ must be
 * ≳ 1/sc there; the reference form has no such bound.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkNumber, stopGradient, toRng, type Seed, type TensorLike } from '@ot/core';
import { DenseICNN, type DenseICNNOptions } from './dense-icnn.js';
import { assertAlive, scoped, type Potential } from './potential.js';
import { checkBatches, fitLoop, makeAdam, optimizerStep, readTrainerState, restoreTrainerState, type AdamOptions, type FitOptions, type TrainerState } from './trainer.js';

/** The W2GN objective's parts (scalars). */
export interface W2GNLoss {
  /** dual + (λ/2)·cycle. */
  readonly total: tf.Scalar;
  /** E_P ψ(x) + E_Q[⟨ȳ, y⟩ − ψ(ȳ)], ȳ = ∇ψ̄(y): an estimate of E_P ψ + E_Q ψ*. */
  readonly dual: tf.Scalar;
  /** E_Q‖∇ψ(∇ψ̄(y)) − y‖² (plus E_P‖∇ψ̄(∇ψ(x)) − x‖² with the 'reference' objective). */
  readonly cycle: tf.Scalar;
}

/**
 * The W2GN objective as a pure tensor function (differentiable w.r.t. both potentials).
 * @param x `[n, d]` samples of P
 * @param y `[m, d]` samples of Q
 * @example
 * ```ts
 * const { total } = w2gnLoss(psi, psiBar, x, y, 1);
 * ```
 */
export function w2gnLoss(
  psi: Potential,
  psiBar: Potential,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  lambda: number,
  objective: W2GNObjective = 'joint',
): W2GNLoss {
  const [total, dual, cycle] = tf.tidy(() => {
    const yInv = psiBar.push(y);
    const { value: psiYInv, grad: cyc } = psi.valueAndGrad(yInv);
    const meanPsiX = tf.mean(psi.value(x));
    const dual = tf.add(meanPsiX, tf.mean(tf.sub(tf.sum(tf.mul(yInv, y), 1), psiYInv))) as tf.Scalar;
    let cycle = tf.mean(tf.sum(tf.square(tf.sub(cyc, y)), 1)) as tf.Scalar;
    if (objective === 'joint') return [tf.add(dual, tf.mul(cycle, lambda / 2)) as tf.Scalar, dual, cycle];
    // 'reference': the same value of the dual, but its gradient reaches ψ̄ only through the cycle terms.
    const surrogate = tf.sub(meanPsiX, tf.mean(psi.value(stopGradient(yInv))));
    const back = psiBar.push(psi.push(x));
    cycle = tf.add(cycle, tf.mean(tf.sum(tf.square(tf.sub(back, x)), 1))) as tf.Scalar;
    return [tf.add(surrogate, tf.mul(cycle, lambda / 2)) as tf.Scalar, dual, cycle];
  });
  return { total, dual, cycle };
}

/** Which W2GN objective is minimized (see the module comment). */
export type W2GNObjective = 'joint' | 'reference';
const OBJECTIVES: readonly W2GNObjective[] = ['joint', 'reference'];

export interface W2GNOptions {
  /** ψ_θ (maps P → Q); built from `icnn` when omitted. Not disposed by the trainer when given. */
  potential?: Potential;
  /** ψ̄_ω (maps Q → P); built from `icnn` when omitted. Not disposed by the trainer when given. */
  conjugatePotential?: Potential;
  /** Options of the DenseICNNs built when potentials are not given (`dim` is required then). */
  icnn?: Omit<DenseICNNOptions, 'seed'>;
  /** Cycle-consistency weight λ (default 1). */
  lambda?: number;
  /**
   * `'joint'` (default): both potentials descend the full objective above. `'reference'`: the
   * authors' code — ∇ψ̄ detached in the dual term, cycle term in both directions.
   */
  objective?: W2GNObjective;
  /** Adam settings (default lr 1e-3; a cosine decay, when set, applies to `step`, not to pretraining). */
  optimizer?: AdamOptions;
  /** Seed of the initialization of built potentials. */
  seed?: Seed;
}

/** Losses of one W2GN step. */
export interface W2GNStepLosses {
  readonly total: number;
  readonly dual: number;
  readonly cycle: number;
}

/**
 * The W2GN trainer.
 * @example
 * ```ts
 * const w2gn = new W2GN({ icnn: { dim: 2, hidden: [64, 64, 32] }, lambda: 1, seed: 0 });
 * w2gn.pretrain({ sampleX, sampleY, iters: 200 });
 * for (let i = 0; i < 2000; i++) w2gn.step(sampleX(256, rng), sampleY(256, rng));
 * const yHat = w2gn.map(x);
 * ```
 */
export class W2GN {
  /** ψ_θ, whose gradient maps P to Q. */
  readonly potential: Potential;
  /** ψ̄_ω, whose gradient maps Q back to P. */
  readonly conjugatePotential: Potential;
  readonly lambda: number;
  readonly objective: W2GNObjective;
  private readonly owned: Potential[] = [];
  private readonly opt: tf.Optimizer;
  private readonly pretrainOpt: tf.Optimizer;
  private disposed = false;

  constructor(options: W2GNOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'W2GN options must be an object');
    this.lambda = checkNumber(options.lambda ?? 1, 'lambda', (v) => v >= 0, 'a number ≥ 0');
    this.objective = checkChoice(options.objective ?? 'joint', 'objective', OBJECTIVES);
    const rng = toRng(options.seed);
    const build = (): Potential => {
      if (options.icnn === undefined) throw new OTError('INVALID_ARGUMENT', 'W2GN needs potentials or icnn options');
      const p = new DenseICNN({ ...options.icnn, seed: rng.nextSeed() });
      this.owned.push(p);
      return p;
    };
    this.potential = options.potential ?? build();
    this.conjugatePotential = options.conjugatePotential ?? build();
    if (this.potential.dim !== this.conjugatePotential.dim) {
      this.owned.forEach((p) => p.dispose());
      throw new OTError('SHAPE_MISMATCH', `the potentials have dimensions ${this.potential.dim} and ${this.conjugatePotential.dim}`);
    }
    this.opt = makeAdam(options.optimizer, 'optimizer');
    const { decaySteps: _noDecay, weightDecay: _noWd, ...pretrainAdam } = options.optimizer ?? {};
    this.pretrainOpt = makeAdam(pretrainAdam, 'optimizer'); // pretraining: plain Adam, constant lr
  }

  get dim(): number {
    return this.potential.dim;
  }

  private get vars(): tf.Variable[] {
    return [...this.potential.trainableVariables, ...this.conjugatePotential.trainableVariables];
  }

  /**
   * One step on the W2GN objective.
   * @param xBatch `[n, d]` samples of P
   * @param yBatch `[m, d]` samples of Q
   */
  step(xBatch: TensorLike, yBatch: TensorLike): W2GNStepLosses {
    assertAlive(this.disposed, 'W2GN');
    const [total, dual, cycle] = scoped(() => {
      const [x, y] = checkBatches(xBatch, yBatch, this.dim);
      return optimizerStep(this.opt, this.vars, () => {
        const l = w2gnLoss(this.potential, this.conjugatePotential, x, y, this.lambda, this.objective);
        return { total: l.total, parts: [l.dual, l.cycle] };
      });
    });
    this.potential.convexify();
    this.conjugatePotential.convexify();
    return { total: total!, dual: dual!, cycle: cycle! };
  }

  /**
   * One pretraining step: E‖∇ψ(x) − x‖² + E‖∇ψ̄(y) − y‖² (both maps towards the identity).
   * @returns the loss
   */
  pretrainStep(xBatch: TensorLike, yBatch: TensorLike): number {
    assertAlive(this.disposed, 'W2GN');
    const out = scoped(() => {
      const [x, y] = checkBatches(xBatch, yBatch, this.dim);
      return optimizerStep(this.pretrainOpt, this.vars, () => {
        const a = tf.mean(tf.sum(tf.square(tf.sub(this.potential.push(x), x)), 1));
        const b = tf.mean(tf.sum(tf.square(tf.sub(this.conjugatePotential.push(y), y)), 1));
        return { total: tf.add(a, b) as tf.Scalar, parts: [] };
      });
    });
    this.potential.convexify();
    this.conjugatePotential.convexify();
    return out[0]!;
  }

  /** Runs {@link W2GN.pretrainStep} on fresh batches. */
  pretrain(options: FitOptions<number>): number | undefined {
    return fitLoop((x, y) => this.pretrainStep(x, y), options);
  }

  /** Runs {@link W2GN.step} on fresh batches. */
  fit(options: FitOptions<W2GNStepLosses>): W2GNStepLosses | undefined {
    return fitLoop((x, y) => this.step(x, y), options);
  }

  /** ∇ψ(x): the fitted map P → Q, `[n, d]`. */
  map(x: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'W2GN');
    return this.potential.push(x);
  }

  /** ∇ψ̄(y): the fitted map Q → P, `[n, d]`. */
  inverseMap(y: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'W2GN');
    return this.conjugatePotential.push(y);
  }

  /**
   * The trainer's state for a checkpoint: the variables of ψ (`potential`) and ψ̄
   * (`conjugatePotential`) and the optimizer's (Adam moments, step count, lr-schedule step). The
   * pretraining optimizer is not included. Restore it with {@link W2GN.setState} on a trainer built
   * with the same options; the next steps then continue the run as if it had not stopped.
   */
  async getState(): Promise<TrainerState> {
    assertAlive(this.disposed, 'W2GN');
    return readTrainerState('W2GN', { potential: this.potential.trainableVariables, conjugatePotential: this.conjugatePotential.trainableVariables }, { optimizer: this.opt });
  }

  /**
   * Restores a state from {@link W2GN.getState} (all or nothing).
   * @throws OTError `INVALID_ARGUMENT` (not a W2GN state), `SHAPE_MISMATCH` (built with other
   *   sizes), `NON_FINITE`
   */
  async setState(state: TrainerState): Promise<void> {
    assertAlive(this.disposed, 'W2GN');
    await restoreTrainerState(
      state,
      'W2GN',
      { potential: this.potential.trainableVariables, conjugatePotential: this.conjugatePotential.trainableVariables },
      { optimizer: [this.opt, this.vars] },
    );
  }

  /** Frees the optimizer state and the potentials the trainer built. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.opt.dispose();
    this.pretrainOpt.dispose();
    this.owned.forEach((p) => p.dispose());
  }
}
