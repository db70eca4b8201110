/**
 * Pieces shared by the trainers: batch checks, optimizer steps on a variable list, and the
 * sampling loop behind `fit` (the loop lives here only so that long runs can report progress).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, checkNumber, checkPositive, checkOptimizerState, getOptimizerState, setOptimizerState, toRng, type OptimizerStateLike, type Rng, type Seed, type TensorLike } from '@ot/core';
import { toBatch } from './potential.js';

/** Adam settings of a trainer. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Adam β1 (default 0.9). */
  beta1?: number;
  /** Adam β2 (default 0.999). */
  beta2?: number;
  /**
   * Adam ε, added to √v̂ (default: the backend's epsilon, 1e-7 in float32 — tfjs's default; optax
   * and PyTorch use 1e-8).
   */
  epsilon?: number;
  /**
   * Cosine decay of the learning rate over this many steps (optax's `cosine_decay_schedule`, used
   * by Amos 2023): lr_t = lr·((1 − α)·½(1 + cos(π·min(t, T)/T)) + α). Default: constant lr.
   */
  decaySteps?: number;
  /** α, the final fraction of lr of the cosine decay (default 0). */
  decayAlpha?: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter 2019; optax's `adamw`, used by Amos 2023
   * with 1e-4): after each Adam update, w ← w − lr_t·weightDecay·w. Default 0 (plain Adam).
   */
  weightDecay?: number;
}

interface LrSchedule {
  readonly lr: number;
  readonly steps: number;
  readonly alpha: number;
  t: number;
}
const schedules = new WeakMap<tf.Optimizer, LrSchedule>();
const weightDecays = new WeakMap<tf.Optimizer, number>();

/** Draws `[n, d]` samples. */
export type BatchSampler = (n: number, rng: Rng) => tf.Tensor2D;

/** Progress report passed to `onProgress` by the trainers' `fit` and `pretrain`. */
export interface Progress<L> {
  /** 1-based iteration number. */
  readonly iter: number;
  readonly iters: number;
  readonly losses: L;
}

export interface FitOptions<L> {
  /** Samples of the source measure P. */
  sampleX: BatchSampler;
  /** Samples of the target measure Q. */
  sampleY: BatchSampler;
  /** Number of steps. */
  iters: number;
  /** Batch size (default 256). */
  batchSize?: number;
  /** Seed of the batches. */
  seed?: Seed;
  /** Called after every step (or every `progressEvery` steps). */
  onProgress?: (p: Progress<L>) => void;
  /** Call `onProgress` every this many steps (default 1). */
  progressEvery?: number;
}

export function makeAdam(o: AdamOptions | undefined, name: string): tf.AdamOptimizer {
  const lr = checkPositive(o?.lr ?? 1e-3, `${name}.lr`);
  const b1 = o?.beta1 ?? 0.9;
  const b2 = o?.beta2 ?? 0.999;
  for (const [v, k] of [
    [b1, 'beta1'],
    [b2, 'beta2'],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new OTError('INVALID_ARGUMENT', `${name}.${k} must be in [0, 1), got ${String(v)}`);
  }
  const eps = o?.epsilon === undefined ? undefined : checkPositive(o.epsilon, `${name}.epsilon`);
  const opt = tf.train.adam(lr, b1, b2, eps);
  if (o?.decaySteps !== undefined) {
    const steps = checkInteger(o.decaySteps, `${name}.decaySteps`);
    const alpha = checkNumber(o.decayAlpha ?? 0, `${name}.decayAlpha`, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
    schedules.set(opt, { lr, steps, alpha, t: 0 });
  }
  const wd = checkNumber(o?.weightDecay ?? 0, `${name}.weightDecay`, (v) => v >= 0, 'a number ≥ 0');
  if (wd > 0) weightDecays.set(opt, wd);
  return opt;
}

/** The learning rate the next step of `opt` uses (follows the cosine decay when one is set). */
export function currentLearningRate(opt: tf.Optimizer): number {
  const s = schedules.get(opt);
  if (s === undefined) return (opt as unknown as { learningRate: number }).learningRate;
  const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(s.t, s.steps)) / s.steps));
  return s.lr * ((1 - s.alpha) * c + s.alpha);
}

/** One optimizer step minimizing `loss` over `vars`; returns the loss value(s) read back. */
export function optimizerStep(opt: tf.Optimizer, vars: tf.Variable[], loss: () => { total: tf.Scalar; parts: tf.Scalar[] }): number[] {
  let parts: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const l = loss();
    parts = l.parts.map((p) => tf.keep(p));
    return l.total;
  }, vars);
  const schedule = schedules.get(opt);
  const lr = currentLearningRate(opt);
  if (schedule !== undefined) {
    (opt as unknown as { learningRate: number }).learningRate = lr;
    schedule.t++;
  }
  // In `vars` order (a map would be applied in the order of its keys: tfjs's numeric variable names
  // sort by creation), so that Adam's moments line up with `vars` in a saved TrainerState.
  opt.applyGradients(vars.filter((v) => grads[v.name] !== undefined).map((v) => ({ name: v.name, tensor: grads[v.name]! })));
  const wd = weightDecays.get(opt);
  if (wd !== undefined) {
    const keep = 1 - lr * wd;
    tf.tidy(() => vars.forEach((v) => v.assign(tf.mul(v, keep))));
  }
  const out = [value, ...parts].map((t) => t.dataSync()[0] as number);
  tf.dispose([value, ...parts]);
  tf.dispose(Object.values(grads));
  if (!out.every(Number.isFinite)) throw new OTError('NUMERICAL_ERROR', 'the training loss became NaN or Infinity');
  return out;
}

/** Checks a training batch pair. */
export function checkBatches(x: TensorLike, y: TensorLike, dim: number): [tf.Tensor2D, tf.Tensor2D] {
  const xb = toBatch(x, dim, 'xBatch');
  const yb = toBatch(y, dim, 'yBatch');
  return [xb, yb];
}

/** Runs `step` on fresh batches `iters` times. */
export function fitLoop<L>(step: (x: tf.Tensor2D, y: tf.Tensor2D) => L, o: FitOptions<L>): L | undefined {
  if (o === null || typeof o !== 'object') throw new OTError('INVALID_ARGUMENT', 'fit options must be an object');
  if (typeof o.sampleX !== 'function' || typeof o.sampleY !== 'function') {
    throw new OTError('INVALID_ARGUMENT', 'fit needs sampleX and sampleY functions (n, rng) => [n, d]');
  }
  const iters = checkInteger(o.iters, 'iters', 0);
  const batch = checkInteger(o.batchSize ?? 256, 'batchSize');
  const every = checkInteger(o.progressEvery ?? 1, 'progressEvery');
  const rng = toRng(o.seed);
  let last: L | undefined;
  for (let it = 1; it <= iters; it++) {
    const x = o.sampleX(batch, rng);
    const y = o.sampleY(batch, rng);
    try {
      last = step(x, y);
    } finally {
      tf.dispose([x, y]);
    }
    if (o.onProgress !== undefined && (it % every === 0 || it === iters)) o.onProgress({ iter: it, iters, losses: last });
  }
  return last;
}

/** Saved values of a variable (see {@link TrainerState}). */
export interface VariableValues {
  readonly shape: readonly number[];
  /** A `Float32Array` when read; any array of numbers (e.g. from JSON) when restored. */
  readonly values: ArrayLike<number>;
}

/** Saved state of a trainer's optimizer: Adam's step count and moments, and the lr schedule's step. */
export interface SavedOptimizer {
  readonly adam: OptimizerStateLike;
  /** Steps taken on the cosine learning-rate schedule (0 without one). */
  readonly scheduleStep: number;
}

/**
 * A trainer's state for checkpoints ({@link NeuralDual.getState}, {@link W2GN.getState}): the
 * values of its variables, in `trainableVariables` order per group, and its optimizers. Plain
 * arrays: `JSON.stringify` it after `Array.from` on the typed arrays (or keep it in memory).
 */
export interface TrainerState {
  readonly format: 'ot-icnn-trainer/1';
  /** `'NeuralDual'` or `'W2GN'`. */
  readonly trainer: string;
  /** Variable values per group (NeuralDual: `potential`, `amortizer`; W2GN: `potential`, `conjugatePotential`). */
  readonly variables: Readonly<Record<string, readonly VariableValues[]>>;
  /** Optimizer states (NeuralDual: `optimizer`, `amortizerOptimizer`; W2GN: `optimizer`). */
  readonly optimizers: Readonly<Record<string, SavedOptimizer>>;
}

/**
 * Restores a {@link TrainerState} into variable groups and optimizers, checking everything before
 * writing anything (all or nothing).
 */
export async function restoreTrainerState(
  state: TrainerState,
  trainer: string,
  groups: Record<string, readonly tf.Variable[]>,
  optimizers: Record<string, [tf.Optimizer, readonly tf.Variable[]]>,
): Promise<void> {
  if (state === null || typeof state !== 'object' || state.format !== 'ot-icnn-trainer/1') {
    throw new OTError('INVALID_ARGUMENT', "state must be a TrainerState (format 'ot-icnn-trainer/1')");
  }
  if (state.trainer !== trainer) throw new OTError('INVALID_ARGUMENT', `state is a ${String(state.trainer)} state, not a ${trainer} one`);
  if (state.variables === null || typeof state.variables !== 'object' || state.optimizers === null || typeof state.optimizers !== 'object') {
    throw new OTError('INVALID_ARGUMENT', 'state must hold variables and optimizers');
  }
  for (const [name, vars] of Object.entries(groups)) {
    const s = state.variables[name];
    if (!Array.isArray(s) || s.length !== vars.length) {
      throw new OTError('SHAPE_MISMATCH', `state.variables.${name} must hold ${vars.length} variables, got ${Array.isArray(s) ? s.length : String(s)}`);
    }
    vars.forEach((v, i) => {
      const w = s[i] as VariableValues | undefined;
      const shape: readonly number[] = Array.isArray(w?.shape) ? w.shape : [];
      if (shape.length !== v.shape.length || shape.some((n, k) => n !== v.shape[k]) || w?.values?.length !== v.size) {
        throw new OTError('SHAPE_MISMATCH', `state.variables.${name}[${i}] must have shape [${v.shape}], got [${shape}]`, { group: name, index: i, expected: v.shape, shape });
      }
      for (let k = 0; k < w.values.length; k++) {
        if (!Number.isFinite(w.values[k])) throw new OTError('NON_FINITE', `state.variables.${name}[${i}] holds a non-finite value`, { group: name, index: i });
      }
    });
  }
  for (const [name, [, vars]] of Object.entries(optimizers)) {
    const o = state.optimizers[name];
    if (o === null || typeof o !== 'object') throw new OTError('INVALID_ARGUMENT', `state.optimizers.${name} is missing`);
    checkInteger(o.scheduleStep, `state.optimizers.${name}.scheduleStep`, 0);
    checkOptimizerState(vars, o.adam);
  }
  tf.tidy(() => {
    for (const [name, vars] of Object.entries(groups)) vars.forEach((v, i) => v.assign(tf.tensor(Float32Array.from(state.variables[name]![i]!.values), v.shape, 'float32')));
  });
  for (const [name, [opt, vars]] of Object.entries(optimizers)) {
    const o = state.optimizers[name]!;
    await setOptimizerState(opt, vars, o.adam);
    const s = schedules.get(opt);
    if (s !== undefined) s.t = o.scheduleStep;
  }
}

/** Reads a {@link TrainerState}. */
export async function readTrainerState(
  trainer: string,
  groups: Record<string, readonly tf.Variable[]>,
  optimizers: Record<string, tf.Optimizer>,
): Promise<TrainerState> {
  const variables: Record<string, VariableValues[]> = {};
  for (const [name, vars] of Object.entries(groups)) variables[name] = vars.map((v) => ({ shape: [...v.shape], values: Float32Array.from(v.dataSync()) }));
  const saved: Record<string, SavedOptimizer> = {};
  for (const [name, opt] of Object.entries(optimizers)) saved[name] = { adam: await getOptimizerState(opt), scheduleStep: schedules.get(opt)?.t ?? 0 };
  return { format: 'ot-icnn-trainer/1', trainer, variables, optimizers: saved };
}
