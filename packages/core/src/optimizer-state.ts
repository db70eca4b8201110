/**
 * The state of a tfjs Adam optimizer as plain arrays, for checkpoints: the step count, then the
 * first and second moments of each variable, in the order of the variables it updates. tfjs's own
 * `getWeights`/`setWeights` hand out tensors (one of them a fresh scalar the caller must free) and
 * match moments to variables by position only; these check the shapes and free what they replace.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';

/** One entry of an {@link OptimizerState}: tfjs's weight name, its shape and values. */
export interface OptimizerStateEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * An Adam state: `[step count (shape []), first moments…, second moments…]`, one moment of each kind
 * per variable (only the step count before the first update). Nothing to dispose.
 */
export type OptimizerState = OptimizerStateEntry[];

/** What {@link setOptimizerState} accepts: an {@link OptimizerState} whose values may be any arrays of numbers (e.g. from JSON). */
export type OptimizerStateLike = readonly { readonly name: string; readonly shape: readonly number[]; readonly values: ArrayLike<number> }[];

/**
 * Reads an Adam optimizer's state.
 *
 * @example
 * ```ts
 * const state = await getOptimizerState(opt); // JSON-able after Array.from on the values
 * await setOptimizerState(other, variables, state);
 * ```
 */
export async function getOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerState> {
  checkOptimizer(optimizer);
  const ws = await optimizer.getWeights();
  const out = ws.map((w) => ({ name: w.name, shape: [...w.tensor.shape], values: Float32Array.from(w.tensor.dataSync()) }));
  ws[0]?.tensor.dispose(); // a fresh scalar for the step count; the moments are the optimizer's own variables
  return out;
}

/**
 * Checks that `state` fits an Adam optimizer updating `variables` (what
 * {@link setOptimizerState} checks before writing anything).
 *
 * @throws OTError `INVALID_ARGUMENT` when the state is not an array starting with the step count;
 *   `SHAPE_MISMATCH` when the moments do not match the variables (2 per variable, same shapes)
 */
export function checkOptimizerState(variables: readonly tf.Variable[], state: OptimizerStateLike): void {
  if (!Array.isArray(state) || state.length === 0 || state[0]?.shape?.length !== 0) {
    throw new OTError('INVALID_ARGUMENT', 'optimizer state must be an array starting with the step count (shape [])');
  }
  const moments = state.slice(1);
  const shapes = [...variables, ...variables].map((v) => v.shape);
  if (moments.length !== 0 && moments.length !== shapes.length) {
    throw new OTError('SHAPE_MISMATCH', `optimizer state must hold 0 or ${shapes.length} moments (2 per variable), got ${moments.length}`, {
      expected: shapes.length,
      got: moments.length,
    });
  }
  moments.forEach((w, i) => {
    const want = shapes[i]!;
    const shape: readonly number[] = Array.isArray(w?.shape) ? w.shape : [];
    if (shape.length !== want.length || shape.some((n, k) => n !== want[k]) || w.values?.length !== tf.util.sizeFromShape(want)) {
      throw new OTError('SHAPE_MISMATCH', `optimizer moment ${i} must have shape [${want}], got [${shape}]`, { index: i, expected: want, shape });
    }
    for (let k = 0; k < w.values.length; k++) {
      if (!Number.isFinite(w.values[k])) throw new OTError('NON_FINITE', `optimizer moment ${i} holds a non-finite value`, { index: i });
    }
  });
}

/**
 * Restores a state read by {@link getOptimizerState} into an Adam optimizer that updates
 * `variables` (in this order), so that its next step continues the same run.
 *
 * @throws OTError `INVALID_ARGUMENT` when the state is not an array starting with the step count;
 *   `SHAPE_MISMATCH` when the moments do not match the variables (2 per variable, same shapes)
 */
export async function setOptimizerState(optimizer: tf.Optimizer, variables: readonly tf.Variable[], state: OptimizerStateLike): Promise<void> {
  checkOptimizer(optimizer);
  if (!Array.isArray(variables) || !variables.every((v) => v instanceof tf.Variable)) {
    throw new OTError('INVALID_ARGUMENT', 'variables must be an array of tf.Variable (the ones the optimizer updates, in order)');
  }
  checkOptimizerState(variables, state);
  const old = await optimizer.getWeights();
  const tensors = state.map((w, i) => ({
    name: w.name,
    tensor: i === 0 ? tf.scalar(w.values[0] ?? 0, 'int32') : tf.tensor(Float32Array.from(w.values), [...w.shape], 'float32'),
  }));
  await optimizer.setWeights(tensors);
  tf.dispose(tensors.map((t) => t.tensor));
  tf.dispose(old.map((w) => w.tensor)); // the replaced moments (and the fresh step-count scalar)
}

function checkOptimizer(optimizer: unknown): void {
  if (!(optimizer instanceof tf.Optimizer)) throw new OTError('INVALID_ARGUMENT', 'optimizer must be a tfjs Optimizer (e.g. tf.train.adam())');
}
