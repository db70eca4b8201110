/** Input checks shared by the sliced distances. */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkNumber, toPointCloud, toWeights, type TensorLike, type ValidationLevel } from '@ot/core';

/** Validates two point clouds `[n, d]`, `[m, d]` with the same d (call inside `tf.tidy`). */
export function toPair(X: TensorLike, Y: TensorLike, level?: ValidationLevel): [tf.Tensor2D, tf.Tensor2D] {
  const x = toPointCloud(X, 'X', level);
  const y = toPointCloud(Y, 'Y', level);
  if (x.shape[1] !== y.shape[1]) {
    throw new OTError('SHAPE_MISMATCH', `X [n, d] and Y [m, d] must have the same dimension d, got [${x.shape}] and [${y.shape}]`, {
      xShape: x.shape,
      yShape: y.shape,
    });
  }
  return [x, y];
}

/** Checks the ground-cost exponent p ≥ 1. */
export function checkP(p: unknown): number {
  return checkNumber(p, 'p', (v) => v >= 1, 'a finite number ≥ 1');
}

/** Optional weights `[n]` (call inside `tf.tidy`). */
export function optionalWeights(w: TensorLike | undefined, n: number, name: string, level?: ValidationLevel): tf.Tensor1D | undefined {
  return w === undefined ? undefined : (toWeights(w, n, name, { level }) as tf.Tensor1D);
}
