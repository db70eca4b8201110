/**
 * Sinkhorn's algorithm for entropic OT between discrete measures (Cuturi, NeurIPS 2013), in the log
 * domain by default (Schmitzer 2019; Peyré & Cuturi, "Computational OT", §4.4) — the reference
 * solver for discrete problems:
 *
 *   min_P ⟨P, M⟩ + reg · KL(P ‖ a ⊗ b),   P_ij = a_i b_j exp((f_i + g_j − M_ij)/reg) at the optimum.
 *
 * The updates and the stopping rule follow POT's `ot.sinkhorn(..., method='sinkhorn_log')`: g from
 * f, then f from g; every `checkEvery` iterations the L2 error of the column marginal is compared
 * with `tol`. Costs: `transportCost` = ⟨P, M⟩ (what POT's `sinkhorn2` returns) and
 * `entropicCost` = Σ a f + Σ b g, the dual value (= ⟨P, M⟩ + reg·KL(P ‖ a ⊗ b) at convergence;
 * = the semi-dual optimum W_reg of {@link semiDualObjective}).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  OTError,
  checkBoolean,
  checkFinite,
  checkInteger,
  checkPositive,
  toFloatTensor,
  toWeights,
  type TensorLike,
  type ValidationLevel,
} from '@ot/core';

export interface SinkhornOptions {
  /** Entropic regularization reg > 0. */
  reg: number;
  /** Maximum number of iterations (default 10,000). */
  maxIter?: number;
  /** Tolerance on ‖P^T 1 − b‖₂ (default 1e-6; float32 rarely gets below ≈1e-8). */
  tol?: number;
  /** Log-domain stabilized iterations (default true; `false` uses the plain scaling form, which under/overflows for small reg). */
  logDomain?: boolean;
  /**
   * How the log domain is kept (default `'absorb'`): `'absorb'` is Schmitzer's log-stabilized
   * scaling — matrix–vector products on a kernel exp((F_i + G_j − M_ij)/reg), with the scalings
   * folded into the log potentials whenever one exceeds `absorbThreshold` (and an exact
   * log-domain step whenever a kernel row underflows); `'logsumexp'` is the textbook update
   * (POT's `sinkhorn_log`), one logsumexp over n × m per half-iteration. Both produce the same
   * iterates in exact arithmetic (so the same iteration counts as POT); `'absorb'` is several
   * times faster on wasm, where `exp` is slow.
   */
  stabilization?: 'absorb' | 'logsumexp';
  /** Absorption threshold τ on the scalings (default 1e3). */
  absorbThreshold?: number;
  /** Check the marginal error every this many iterations (default 10, as POT). */
  checkEvery?: number;
  /** `'throw'` raises `NOT_CONVERGED` when `tol` is not reached; default `'ignore'` (see `converged`). */
  onNotConverged?: 'ignore' | 'throw';
  validate?: ValidationLevel;
}

/** Output of {@link sinkhorn}; holds tensors, so call `dispose()`. */
export interface SinkhornResult {
  /** Source potential f `[n]`. */
  readonly f: tf.Tensor1D;
  /** Target potential g `[m]`. */
  readonly g: tf.Tensor1D;
  /** ⟨P, M⟩, the transport term (POT's `sinkhorn2`). */
  readonly transportCost: number;
  /** Σ a f + Σ b g, the entropic OT value (dual objective; equals the primal at convergence). */
  readonly entropicCost: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Last measured ‖P^T 1 − b‖₂. */
  readonly marginalError: number;
  /** The plan P `[n, m]` (a new tensor, owned by the caller). */
  plan(): tf.Tensor2D;
  dispose(): void;
}

/** Validated inputs (call inside tidy). */
function prepare(a: TensorLike | undefined, b: TensorLike | undefined, M: TensorLike, validate?: ValidationLevel) {
  const C = toFloatTensor(M, 'M', 2) as tf.Tensor2D;
  checkFinite(C, 'M', validate);
  const [n, m] = C.shape;
  const A = (a === undefined ? tf.fill([n], 1 / n) : toWeights(a, n, 'a', { level: validate })) as tf.Tensor1D;
  const B = (b === undefined ? tf.fill([m], 1 / m) : toWeights(b, m, 'b', { level: validate })) as tf.Tensor1D;
  return { C, A, B, n, m };
}

/**
 * Entropic OT between `a` `[n]` and `b` `[m]` (uniform when undefined) with cost `M` `[n, m]`.
 * Not differentiable (a reference solver); for a differentiable loss use {@link sinkhornDivergence}
 * or {@link semiDualObjective}.
 *
 * @example
 * ```ts
 * const res = sinkhorn(undefined, undefined, sqeuclideanCost(x, y), { reg: 0.05 });
 * console.log(res.transportCost, res.entropicCost, res.converged);
 * const P = res.plan();
 * res.dispose();
 * ```
 */
export function sinkhorn(a: TensorLike | undefined, b: TensorLike | undefined, M: TensorLike, options: SinkhornOptions): SinkhornResult {
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'sinkhorn needs options { reg }');
  const reg = checkPositive(options.reg, 'reg');
  const maxIter = checkInteger(options.maxIter ?? 10000, 'maxIter', 1);
  const tol = checkPositive(options.tol ?? 1e-6, 'tol');
  const checkEvery = checkInteger(options.checkEvery ?? 10, 'checkEvery', 1);
  const logDomain = options.logDomain ?? true;
  checkBoolean(logDomain, 'logDomain');
  const onNotConverged = options.onNotConverged ?? 'ignore';
  if (onNotConverged !== 'ignore' && onNotConverged !== 'throw') {
    throw new OTError('INVALID_ARGUMENT', `onNotConverged must be 'ignore' or 'throw', got ${String(onNotConverged)}`);
  }
  const stabilization = options.stabilization ?? 'absorb';
  if (stabilization !== 'absorb' && stabilization !== 'logsumexp') {
    throw new OTError('INVALID_ARGUMENT', `stabilization must be 'absorb' or 'logsumexp', got ${String(stabilization)}`);
  }
  const logTau = Math.log(checkPositive(options.absorbThreshold ?? 1e3, 'absorbThreshold'));
  const mode: 'scaling' | 'absorb' | 'logsumexp' = logDomain ? stabilization : 'scaling';
  const state = tf.tidy(() => {
    const { C, A, B } = prepare(a, b, M, options.validate);
    const logA = tf.log(A);
    const logB = tf.log(B);
    const Mr = tf.div(C, -reg); // −M/reg [n, m]
    const MrT = tf.transpose(Mr); // [m, n]
    return { C: tf.clone(C), A: tf.clone(A), B: tf.clone(B), logA, logB, Mr, MrT };
  });
  const { C, A, B, logA, logB, Mr, MrT } = state;
  const n = C.shape[0];
  const m = C.shape[1];
  // Absorbed log scalings lu = F/reg, lv = G/reg (POT's log_u, log_v), with P = exp(Mr + lu + lv)
  // once the current scalings u, v (all ones after an absorption) are folded in.
  let lu: tf.Tensor1D = tf.zeros([n]);
  let lv: tf.Tensor1D = tf.zeros([m]);
  let u: tf.Tensor1D = tf.ones([n]);
  let v: tf.Tensor1D = tf.ones([m]);
  let K: tf.Tensor2D | undefined;
  let KT: tf.Tensor2D | undefined;
  const replace = <T extends tf.Tensor>(old: T, next: T): T => {
    old.dispose();
    return next;
  };
  const rebuildKernel = () => {
    tf.dispose([K, KT] as tf.Tensor[]);
    [K, KT] = tf.tidy(() => {
      const k = tf.exp(tf.add(tf.add(Mr, tf.reshape(lu, [n, 1])), tf.reshape(lv, [1, m]))) as tf.Tensor2D;
      return [k, tf.transpose(k) as tf.Tensor2D];
    });
  };
  /** One exact log-domain iteration (POT's sinkhorn_log update) from the effective scalings. */
  const logIteration = () => {
    lu = replace(lu, tf.tidy(() => tf.add(lu, tf.log(u)) as tf.Tensor1D));
    lv = replace(lv, tf.tidy(() => tf.sub(logB, tf.logSumExp(tf.add(MrT, tf.reshape(lu, [1, n])), 1)) as tf.Tensor1D));
    lu = replace(lu, tf.tidy(() => tf.sub(logA, tf.logSumExp(tf.add(Mr, tf.reshape(lv, [1, m])), 1)) as tf.Tensor1D));
    u = replace(u, tf.ones([n]));
    v = replace(v, tf.ones([m]));
  };
  /** Folds the current scalings into the log potentials and rebuilds the kernel. */
  const logAbsorb = () => {
    lu = replace(lu, tf.tidy(() => tf.add(lu, tf.log(u)) as tf.Tensor1D));
    lv = replace(lv, tf.tidy(() => tf.add(lv, tf.log(v)) as tf.Tensor1D));
    u = replace(u, tf.ones([n]));
    v = replace(v, tf.ones([m]));
    rebuildKernel();
  };
  if (mode === 'scaling') {
    [K, KT] = tf.tidy(() => [tf.exp(Mr) as tf.Tensor2D, tf.exp(MrT) as tf.Tensor2D]);
    u = replace(u, tf.fill([n], 1 / n) as tf.Tensor1D);
    v = replace(v, tf.fill([m], 1 / m) as tf.Tensor1D);
  }
  let err = Infinity;
  let it = 0;
  let converged = false;
  try {
    for (it = 1; it <= maxIter; it++) {
      if (mode === 'logsumexp' || (mode === 'absorb' && it === 1)) {
        logIteration();
        if (mode === 'absorb') rebuildKernel();
      } else {
        const oldU = u;
        const oldV = v;
        const nv = tf.tidy(() => tf.div(B, tf.reshape(tf.matMul(KT as tf.Tensor2D, tf.reshape(u, [n, 1])), [m])) as tf.Tensor1D);
        const nu = tf.tidy(() => tf.div(A, tf.reshape(tf.matMul(K as tf.Tensor2D, tf.reshape(nv, [m, 1])), [n])) as tf.Tensor1D);
        if (mode === 'absorb') {
          const big = tf.tidy(() => tf.max(tf.abs(tf.log(tf.concat([nu, nv])))));
          const size = big.dataSync()[0] as number;
          big.dispose();
          if (!Number.isFinite(size)) {
            // A row or column of the kernel underflowed: redo this iteration exactly in the log domain.
            tf.dispose([nu, nv]);
            logIteration();
            rebuildKernel();
          } else {
            u = nu;
            v = nv;
            tf.dispose([oldU, oldV]);
            if (size > logTau) {
              logAbsorb();
            }
          }
        } else {
          u = nu;
          v = nv;
          tf.dispose([oldU, oldV]);
        }
      }
      if (it % checkEvery === 0 || it === maxIter) {
        const e = tf.tidy(() => {
          const col =
            mode === 'logsumexp'
              ? tf.sum(tf.exp(tf.add(tf.add(MrT, tf.reshape(lu, [1, n])), tf.reshape(lv, [m, 1]))), 1)
              : tf.mul(v, tf.reshape(tf.matMul(KT as tf.Tensor2D, tf.reshape(u, [n, 1])), [m]));
          return tf.norm(tf.sub(col, B));
        });
        err = e.dataSync()[0] as number;
        e.dispose();
        if (!Number.isFinite(err)) {
          throw new OTError(
            'NUMERICAL_ERROR',
            `Sinkhorn produced non-finite values at iteration ${it}${logDomain ? '' : ' (exp(−M/reg) under- or overflows in the scaling form for small reg: use logDomain: true)'}`,
          );
        }
        if (err < tol) {
          converged = true;
          break;
        }
      }
    }
    if (!converged && onNotConverged === 'throw') {
      throw new OTError('NOT_CONVERGED', `Sinkhorn did not reach tol ${tol} in ${maxIter} iterations (marginal error ${err}); raise maxIter or reg`, {
        marginalError: err,
      });
    }
    const iterations = Math.min(it, maxIter);
    const [f, g] = tf.tidy(() => [
      tf.mul(tf.sub(tf.add(lu, tf.log(u)), logA), reg) as tf.Tensor1D,
      tf.mul(tf.sub(tf.add(lv, tf.log(v)), logB), reg) as tf.Tensor1D,
    ]);
    const planOf = (): tf.Tensor2D =>
      tf.tidy(() => {
        if (f.isDisposed) throw new OTError('DISPOSED', 'this SinkhornResult was disposed');
        const logP = tf.add(tf.add(Mr, tf.reshape(tf.div(f, reg), [n, 1])), tf.reshape(tf.div(g, reg), [1, m]));
        return tf.mul(tf.exp(logP), tf.mul(tf.reshape(A, [n, 1]), tf.reshape(B, [1, m]))) as tf.Tensor2D;
      });
    const [transportCost, entropicCost] = tf.tidy(() => {
      const P = planOf();
      const t = tf.sum(tf.mul(P, C)).dataSync()[0] as number;
      const e = tf.add(tf.sum(tf.mul(A, f)), tf.sum(tf.mul(B, g))).dataSync()[0] as number;
      return [t, e];
    });
    const kept = [C, A, B, Mr];
    return Object.freeze({
      f,
      g,
      transportCost,
      entropicCost,
      iterations,
      converged,
      marginalError: err,
      plan: planOf,
      dispose(): void {
        tf.dispose([f, g, ...kept]);
      },
    });
  } catch (e) {
    tf.dispose([C, A, B, Mr]);
    throw e;
  } finally {
    tf.dispose([lu, lv, u, v, logA, logB, MrT, K, KT].filter((t): t is tf.Tensor => t !== undefined));
  }
}
