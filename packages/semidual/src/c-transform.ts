/**
 * Regularized c-transform, log-domain and streamed over the target support.
 *
 * Houdard, Leclaire, Papadakis, Rabin, "On the gradient formula for learning generative models
 * with regularized optimal transport costs" (TMLR 2023); Genevay, Cuturi, Peyré, Bach,
 * "Stochastic optimization for large-scale optimal transport" (NeurIPS 2016):
 *
 *   ψ^{c,λ}(x) = −λ log Σ_j ν_j exp((ψ_j − c(x, y_j)) / λ)     (λ > 0, a softmin)
 *   ψ^{c,0}(x) = min_j c(x, y_j) − ψ_j                         (λ = 0, the hard min)
 *
 * The sum is an online logsumexp over chunks of Y (running max and rescaled running sum), so no
 * exp ever overflows (λ down to 1e-4 in float32, where POT's stochastic semi-dual solver returns
 * NaN — POT issue 264) and no n × J matrix larger than one chunk exists.
 *
 * Gradients (the paper's envelope formula) are written with `customGrad` and stream over the
 * chunks again instead of keeping each chunk on the tape: with softmax weights
 * w_ij = ν_j exp((ψ_j − c_ij)/λ) / Σ_k ν_k exp((ψ_k − c_ik)/λ) (one-hot at the argmin for λ = 0),
 *   ∂ψ^{c,λ}(x_i)/∂x_i = Σ_j w_ij ∇_x c(x_i, y_j) = (2/s)(x_i − Σ_j w_ij y_j),
 *   ∂ψ^{c,λ}(x_i)/∂ψ_j = −w_ij.
 * Y and ν are constants (not differentiated).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  OTError,
  checkFinite,
  checkInteger,
  checkNumber,
  customGrad2,
  toFloatTensor,
  type TensorLike,
  type ValidationLevel,
} from '@ot/core';
import { SemiDualTarget, viewFromTensors, viewTensors, withTarget, type SemiDualCost, type TargetChunk, type TargetView } from './target.js';

export interface CTransformOptions {
  /** Regularization λ ≥ 0 (default 0: the hard min, unregularized OT). */
  lambda?: number;
  /** Ground cost (default `'sqeuclidean'`); ignored when Y is a {@link SemiDualTarget}. */
  cost?: SemiDualCost;
  /** Explicit divisor s of the quadratic cost; ignored when Y is a {@link SemiDualTarget}. */
  costScale?: number;
  /** Target weights ν `[J]` (uniform by default); ignored when Y is a {@link SemiDualTarget}. */
  nu?: TensorLike;
  /**
   * Rows of Y per chunk (default ⌊2^22 / n⌋, so one chunk holds ≈ 4M floats); ignored when Y is a
   * {@link SemiDualTarget} (its own chunking is used).
   */
  chunkSize?: number;
  /** `'full'` (default) checks inputs for NaN/Inf (one device read per input). */
  validate?: ValidationLevel;
}

/** Cost block c(x, y_j) for one chunk: relu(‖x‖² + ‖y‖² − 2 x·y) / s → `[n, size]`. */
function costBlock(x: tf.Tensor2D, xx: tf.Tensor2D, chunk: TargetChunk, scale: number): tf.Tensor2D {
  const xy = chunk.yT === undefined ? tf.matMul(x, chunk.y, false, true) : tf.matMul(x, chunk.yT);
  const c = tf.relu(tf.sub(tf.add(xx, chunk.yy), tf.mul(xy, 2)));
  return (scale === 1 ? c : tf.div(c, scale)) as tf.Tensor2D;
}

/** z_ij = (ψ_j − c_ij)/λ + log ν_j for one chunk. */
function logits(x: tf.Tensor2D, xx: tf.Tensor2D, psi: tf.Tensor1D, chunk: TargetChunk, lambda: number, scale: number): tf.Tensor2D {
  const psiC = tf.reshape(tf.slice(psi, [chunk.start], [chunk.size]), [1, chunk.size]);
  const row = tf.add(tf.div(psiC, lambda), chunk.logNu);
  return tf.sub(row, tf.div(costBlock(x, xx, chunk, scale), lambda)) as tf.Tensor2D;
}

/** Forward pass, λ > 0: log Z_i = logsumexp_j z_ij (online over chunks) → `[n]`. */
function logPartition(x: tf.Tensor2D, psi: tf.Tensor1D, target: TargetView, lambda: number): tf.Tensor1D {
  const xx = tf.sum(tf.square(x), 1, true) as tf.Tensor2D;
  let m: tf.Tensor1D | undefined;
  let s: tf.Tensor1D | undefined;
  for (const chunk of target.chunks) {
    const next = tf.tidy(() => {
      const z = logits(x, xx, psi, chunk, lambda, target.costScale);
      const mc = tf.max(z, 1) as tf.Tensor1D;
      const sc = tf.sum(tf.exp(tf.sub(z, tf.reshape(mc, [-1, 1]))), 1) as tf.Tensor1D;
      if (m === undefined || s === undefined) return { m: mc, s: sc };
      const mNew = tf.maximum(m, mc) as tf.Tensor1D;
      const sNew = tf.add(tf.mul(s, tf.exp(tf.sub(m, mNew))), tf.mul(sc, tf.exp(tf.sub(mc, mNew)))) as tf.Tensor1D;
      return { m: mNew, s: sNew };
    });
    tf.dispose([m, s] as tf.Tensor[]);
    m = next.m;
    s = next.s;
  }
  const out = tf.add(m as tf.Tensor1D, tf.log(s as tf.Tensor1D)) as tf.Tensor1D;
  tf.dispose([m, s, xx] as tf.Tensor[]);
  return out;
}

/** Forward pass, λ = 0: min_j c_ij − ψ_j and its argmin (int32) → `[n]`, `[n]`. */
function hardMin(x: tf.Tensor2D, psi: tf.Tensor1D, target: TargetView): { value: tf.Tensor1D; index: tf.Tensor1D } {
  const xx = tf.sum(tf.square(x), 1, true) as tf.Tensor2D;
  let v: tf.Tensor1D | undefined;
  let idx: tf.Tensor1D | undefined;
  for (const chunk of target.chunks) {
    const next = tf.tidy(() => {
      const psiC = tf.reshape(tf.slice(psi, [chunk.start], [chunk.size]), [1, chunk.size]);
      const r = tf.sub(costBlock(x, xx, chunk, target.costScale), psiC);
      const vc = tf.min(r, 1) as tf.Tensor1D;
      const ic = tf.add(tf.argMin(r, 1), tf.scalar(chunk.start, 'int32')) as tf.Tensor1D;
      if (v === undefined || idx === undefined) return { v: vc, idx: ic };
      const better = tf.less(vc, v);
      return { v: tf.where(better, vc, v) as tf.Tensor1D, idx: tf.where(better, ic, idx) as tf.Tensor1D };
    });
    tf.dispose([v, idx] as tf.Tensor[]);
    v = next.v;
    idx = next.idx;
  }
  xx.dispose();
  return { value: v as tf.Tensor1D, index: idx as tf.Tensor1D };
}

/**
 * Envelope gradients for λ > 0, streamed over chunks: returns `[dX [n, d], dψ [J]]` for an
 * upstream gradient `dy` `[n]`.
 */
function softminGrads(
  dy: tf.Tensor1D,
  x: tf.Tensor2D,
  psi: tf.Tensor1D,
  logZ: tf.Tensor1D,
  target: TargetView,
  lambda: number,
): [tf.Tensor2D, tf.Tensor1D] {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true) as tf.Tensor2D;
    const logZc = tf.reshape(logZ, [-1, 1]);
    const dyc = tf.reshape(dy, [-1, 1]);
    let wy: tf.Tensor2D | undefined;
    const dpsi: tf.Tensor1D[] = [];
    for (const chunk of target.chunks) {
      const next = tf.tidy(() => {
        const w = tf.mul(tf.exp(tf.sub(logits(x, xx, psi, chunk, lambda, target.costScale), logZc)), dyc);
        const part = tf.matMul(w, chunk.y) as tf.Tensor2D;
        return { acc: (wy === undefined ? part : tf.add(wy, part)) as tf.Tensor2D, dp: tf.neg(tf.sum(w, 0)) as tf.Tensor1D };
      });
      wy?.dispose();
      wy = next.acc;
      dpsi.push(next.dp);
    }
    const dx = tf.mul(tf.sub(tf.mul(dyc, x), wy as tf.Tensor2D), 2 / target.costScale) as tf.Tensor2D;
    const dp = (dpsi.length === 1 ? dpsi[0] : tf.concat(dpsi, 0)) as tf.Tensor1D;
    return [dx, dp];
  });
}

/** Gradients for λ = 0 (one-hot weights at the argmin). */
function hardMinGrads(dy: tf.Tensor1D, x: tf.Tensor2D, index: tf.Tensor1D, target: TargetView): [tf.Tensor2D, tf.Tensor1D] {
  return tf.tidy(() => {
    const n = x.shape[0];
    const dyc = tf.reshape(dy, [-1, 1]);
    const yStar = tf.gather(target.y, index);
    const dx = tf.mul(tf.mul(tf.sub(x, yStar), dyc), 2 / target.costScale) as tf.Tensor2D;
    const dp = tf.neg(tf.scatterND(tf.reshape(index, [n, 1]), dy, [target.size])) as tf.Tensor1D;
    return [dx, dp];
  });
}

/**
 * The c-transform without validation (inputs already checked, target prepared). Differentiable
 * w.r.t. `x` and `psi`.
 */
export function cTransformCore(psi: tf.Tensor1D, x: tf.Tensor2D, target: TargetView, lambda: number): tf.Tensor1D {
  // The target's tensors are saved with the inputs (clones share data), so the backward pass works
  // even when the target was prepared for this call only and disposed since.
  const f = customGrad2((xIn: tf.Tensor2D, psiIn: tf.Tensor1D, save: tf.GradSaveFunc) => {
    if (lambda > 0) {
      const logZ = logPartition(xIn, psiIn, target, lambda);
      save([xIn, psiIn, logZ, ...viewTensors(target)]);
      return {
        value: tf.mul(logZ, -lambda),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          softminGrads(
            dy as tf.Tensor1D,
            saved[0] as tf.Tensor2D,
            saved[1] as tf.Tensor1D,
            saved[2] as tf.Tensor1D,
            viewFromTensors(target, saved.slice(3)),
            lambda,
          ),
      };
    }
    const { value, index } = hardMin(xIn, psiIn, target);
    save([xIn, index, ...viewTensors(target)]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        hardMinGrads(dy as tf.Tensor1D, saved[0] as tf.Tensor2D, saved[1] as tf.Tensor1D, viewFromTensors(target, saved.slice(2))),
    };
  });
  return f(x, psi) as tf.Tensor1D;
}

/** Validates ψ `[J]`, X `[n, d]` against a prepared target; returns tensors (call inside tidy). */
export function checkSemiDualInputs(
  psi: TensorLike,
  x: TensorLike,
  target: SemiDualTarget,
  validate?: ValidationLevel,
): { psi: tf.Tensor1D; x: tf.Tensor2D } {
  const X = toFloatTensor(x, 'x', 2) as tf.Tensor2D;
  const P = toFloatTensor(psi, 'psi', 1) as tf.Tensor1D;
  if (X.shape[1] !== target.dim) {
    throw new OTError('SHAPE_MISMATCH', `x [n, d] and y [J, d] need the same d, got ${X.shape[1]} and ${target.dim}`);
  }
  if (P.shape[0] !== target.size) {
    throw new OTError('SHAPE_MISMATCH', `psi must have one entry per target point (${target.size}), got ${P.shape[0]}`);
  }
  checkFinite(X, 'x', validate);
  checkFinite(P, 'psi', validate);
  return { psi: P, x: X };
}

/** Checks λ ≥ 0 (finite). */
export function checkLambda(lambda: unknown): number {
  return checkNumber(lambda ?? 0, 'lambda', (v) => v >= 0, 'a finite number ≥ 0');
}

/**
 * Regularized c-transform ψ^{c,λ}(x_i) = −λ log Σ_j ν_j exp((ψ_j − c(x_i, y_j))/λ), or the hard
 * min min_j c(x_i, y_j) − ψ_j when λ = 0. Log-domain stable for any λ > 0, streamed over chunks
 * of Y, differentiable w.r.t. `x` and `psi` (envelope formula; Y and ν are constants).
 *
 * @param psi - dual potential on the target support `[J]`
 * @param x - source points `[n, d]`
 * @param y - target support `[J, d]`, or a prepared {@link SemiDualTarget} (reuse one across calls)
 * @returns `[n]`
 * @throws OTError on bad shapes, dtypes, weights, NaN/Inf or options.
 * @example
 * ```ts
 * const psi = tf.zeros([3]);
 * const v = cTransform(psi, [[0, 0]], [[1, 0], [0, 2], [3, 3]], { lambda: 0.1 }); // ≈ [0.89]
 * ```
 */
export function cTransform(psi: TensorLike, x: TensorLike, y: TensorLike | SemiDualTarget, options: CTransformOptions = {}): tf.Tensor1D {
  const lambda = checkLambda(options.lambda);
  if (options.chunkSize !== undefined) checkInteger(options.chunkSize, 'chunkSize', 1);
  return tf.tidy(() => {
    const n = x instanceof tf.Tensor ? x.shape[0] ?? 1 : Array.isArray(x) ? x.length : 1;
    const chunkSize = options.chunkSize ?? Math.max(1, Math.floor(2 ** 22 / Math.max(1, n)));
    return withTarget(y, { ...options, chunkSize, transpose: false }, (target) => {
      const t = checkSemiDualInputs(psi, x, target, options.validate);
      return cTransformCore(t.psi, t.x, target, lambda);
    });
  });
}
