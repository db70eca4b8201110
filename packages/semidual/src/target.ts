/**
 * The discrete target measure ν = Σ_j ν_j δ_{y_j} of a semi-discrete OT problem, prepared once for
 * streaming c-transforms: the support is cut into chunks of rows, each stored with its transpose
 * and squared norms, so that a c-transform against 60,000 × 784 targets never builds an
 * n × J matrix larger than one chunk and never re-slices the dataset.
 *
 * Cost (Houdard, Leclaire, Papadakis, Rabin, "On the gradient formula for learning generative
 * models with regularized optimal transport costs", TMLR 2023): c(x, y) = ‖x − y‖² / s, with s = 1
 * (`'sqeuclidean'`) or s = mean_j ‖y_j‖² (`'normalized-sqeuclidean'`, the paper's normalization; the
 * mean is unweighted over the rows of Y, as in the paper).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  OTError,
  checkChoice,
  checkFinite,
  checkInteger,
  checkPositive,
  toFloatTensor,
  toWeights,
  type TensorLike,
  type ValidationLevel,
} from '@ot/core';

/** Ground costs supported by the semi-dual solvers. */
export type SemiDualCost = 'sqeuclidean' | 'normalized-sqeuclidean';
export const SEMI_DUAL_COSTS: readonly SemiDualCost[] = ['sqeuclidean', 'normalized-sqeuclidean'];

export interface TargetOptions {
  /** Weights ν `[J]` (nonnegative, summing to 1); uniform when omitted. */
  nu?: TensorLike;
  /** Ground cost (default `'sqeuclidean'`). */
  cost?: SemiDualCost;
  /** Explicit divisor s of the quadratic cost (overrides the one implied by `cost`). */
  costScale?: number;
  /** Rows of Y per chunk (default 8192). A c-transform of n points holds n × chunkSize floats. */
  chunkSize?: number;
  /** `'full'` (default) checks Y and ν for NaN/Inf and ν for being a probability vector. */
  validate?: ValidationLevel;
  /**
   * Store each chunk's transpose (default true): faster c-transforms on wasm when the target is
   * reused, at the price of a second copy of Y and a slow one-off transpose (wasm's Transpose
   * kernel moves ≈ 4–10 M floats/s). One-off calls with a raw Y use `false`.
   */
  transpose?: boolean;
}

/** One chunk of the target support. */
export interface TargetChunk {
  readonly start: number;
  readonly size: number;
  /** Rows `[size, d]`. */
  readonly y: tf.Tensor2D;
  /**
   * Transpose `[d, size]` (tfjs's transposed matMul is slow on wasm), or undefined when the target
   * was prepared with `transpose: false` (then the cost uses a transposed matMul).
   */
  readonly yT: tf.Tensor2D | undefined;
  /** ‖y_j‖² as a row `[1, size]`. */
  readonly yy: tf.Tensor2D;
  /** log ν_j as a row `[1, size]` (log 0 clamped to −1e30 so that empty chunks stay finite). */
  readonly logNu: tf.Tensor2D;
}

const DEFAULT_CHUNK = 8192;

/** What the c-transform kernels read from a target (a {@link SemiDualTarget} or a saved copy). */
export interface TargetView {
  readonly y: tf.Tensor2D;
  readonly size: number;
  readonly costScale: number;
  readonly chunks: readonly TargetChunk[];
}

/** The tensors of a view, flattened (to save them for a backward pass). */
export function viewTensors(view: TargetView): tf.Tensor[] {
  return [view.y, ...view.chunks.flatMap((c) => [c.y, c.yT ?? c.y, c.yy, c.logNu])];
}

/** Rebuilds a view from {@link viewTensors} output (same order). */
export function viewFromTensors(like: TargetView, tensors: readonly tf.Tensor[]): TargetView {
  const chunks = like.chunks.map((c, i) => ({
    start: c.start,
    size: c.size,
    y: tensors[1 + 4 * i] as tf.Tensor2D,
    yT: c.yT === undefined ? undefined : (tensors[2 + 4 * i] as tf.Tensor2D),
    yy: tensors[3 + 4 * i] as tf.Tensor2D,
    logNu: tensors[4 + 4 * i] as tf.Tensor2D,
  }));
  return { y: tensors[0] as tf.Tensor2D, size: like.size, costScale: like.costScale, chunks };
}

/**
 * A prepared discrete target measure (support `[J, d]`, weights `[J]`, cost). Holds tensors: call
 * {@link SemiDualTarget.dispose} when done.
 */
export class SemiDualTarget implements TargetView {
  /** Support `[J, d]`. */
  readonly y: tf.Tensor2D;
  /** Weights `[J]`. */
  readonly nu: tf.Tensor1D;
  readonly cost: SemiDualCost;
  /** The divisor s of c(x, y) = ‖x − y‖² / s. */
  readonly costScale: number;
  readonly chunkSize: number;
  readonly chunks: readonly TargetChunk[];
  private disposed = false;

  /**
   * @param y - support `[J, d]`
   * @example
   * ```ts
   * const target = new SemiDualTarget(mnist, { cost: 'normalized-sqeuclidean', chunkSize: 4096 });
   * const values = cTransform(psi, x, target, { lambda: 0.01 }); // [n]
   * target.dispose();
   * ```
   */
  constructor(y: TensorLike, options: TargetOptions = {}) {
    const cost = checkChoice(options.cost ?? 'sqeuclidean', 'cost', SEMI_DUAL_COSTS);
    const chunkSize = checkInteger(options.chunkSize ?? DEFAULT_CHUNK, 'chunkSize', 1);
    if (options.costScale !== undefined) checkPositive(options.costScale, 'costScale');
    const transpose = options.transpose ?? true;
    let scale = options.costScale;
    const sizes: [number, number][] = [];
    const flat = tf.tidy(() => {
      const Y = toFloatTensor(y, 'y', 2) as tf.Tensor2D;
      checkFinite(Y, 'y', options.validate);
      const J = Y.shape[0];
      const nu = (options.nu === undefined ? tf.fill([J], 1 / J) : toWeights(options.nu, J, 'nu', { level: options.validate })) as tf.Tensor1D;
      const yyAll = tf.sum(tf.square(Y), 1);
      if (scale === undefined) {
        if (cost === 'normalized-sqeuclidean') {
          scale = tf.mean(yyAll).dataSync()[0] as number;
          if (!(scale > 0)) {
            throw new OTError('INVALID_ARGUMENT', `'normalized-sqeuclidean' needs targets with mean ‖y‖² > 0, got ${scale}`);
          }
        } else {
          scale = 1;
        }
      }
      const logNuAll = tf.maximum(tf.log(nu), -1e30);
      const out: tf.Tensor[] = [tf.clone(Y), tf.clone(nu)];
      const d = Y.shape[1];
      for (let start = 0; start < J; start += chunkSize) {
        const size = Math.min(chunkSize, J - start);
        const yc = (start === 0 && size === J ? tf.clone(Y) : tf.slice(Y, [start, 0], [size, d])) as tf.Tensor2D;
        sizes.push([start, size]);
        out.push(
          yc,
          transpose ? tf.transpose(yc) : yc,
          tf.reshape(tf.slice(yyAll, [start], [size]), [1, size]),
          tf.reshape(tf.slice(logNuAll, [start], [size]), [1, size]),
        );
      }
      return out;
    });
    this.y = flat[0] as tf.Tensor2D;
    this.nu = flat[1] as tf.Tensor1D;
    this.chunks = Object.freeze(
      sizes.map(([start, size], i) => ({
        start,
        size,
        y: flat[2 + 4 * i] as tf.Tensor2D,
        yT: transpose ? (flat[3 + 4 * i] as tf.Tensor2D) : undefined,
        yy: flat[4 + 4 * i] as tf.Tensor2D,
        logNu: flat[5 + 4 * i] as tf.Tensor2D,
      })),
    );
    this.cost = cost;
    this.costScale = scale as number;
    this.chunkSize = chunkSize;
  }

  /** Number of support points J. */
  get size(): number {
    return this.y.shape[0];
  }

  /** Dimension d. */
  get dim(): number {
    return this.y.shape[1];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws `DISPOSED` after {@link dispose}. */
  assertAlive(): void {
    if (this.disposed) throw new OTError('DISPOSED', 'this SemiDualTarget was disposed');
  }

  /** Frees the tensors. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.y, this.nu, ...this.chunks.flatMap((c) => [c.y, c.yT, c.yy, c.logNu].filter((t): t is tf.Tensor2D => t !== undefined))]);
  }
}

/** A target given either prepared or as a raw support (then prepared for one call and disposed). */
export function withTarget<T>(y: TensorLike | SemiDualTarget, options: TargetOptions, fn: (t: SemiDualTarget) => T): T {
  if (y instanceof SemiDualTarget) {
    y.assertAlive();
    return fn(y);
  }
  const target = new SemiDualTarget(y, options);
  try {
    return fn(target);
  } finally {
    target.dispose();
  }
}
