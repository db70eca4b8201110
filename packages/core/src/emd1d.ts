/**
 * The optimal transport plan between two discrete measures on the line, for a convex cost
 * |x − y|^p (p ≥ 1): the monotone (north-west corner) coupling of the sorted supports
 * (Peyré & Cuturi, *Computational Optimal Transport*, 2019, Remark 2.30; the algorithm of POT's
 * `ot.emd_1d`). Host float64, O((n + m) log(n + m)), for small inputs and for checking the
 * differentiable {@link wasserstein1d}.
 */
import { OTError } from './errors.js';
import { toFloat64Vector, type VectorInput } from './float64.js';
import { checkNumber } from './validate.js';

/** One entry of a sparse transport plan: `mass` moves from `u[i]` to `v[j]`. */
export interface PlanEntry {
  readonly i: number;
  readonly j: number;
  readonly mass: number;
}

export interface Emd1dOptions {
  /** Weights of `u` `[n]` (nonnegative, summing to 1); uniform when omitted. */
  uWeights?: VectorInput;
  /** Weights of `v` `[m]`; uniform when omitted. Rescaled to the total mass of `u`, as POT does. */
  vWeights?: VectorInput;
  /** Ground-cost exponent p ≥ 1: the cost is |x − y|^p (default 1, as {@link wasserstein1d}). */
  p?: number;
}

/** The 1D optimal plan and its cost. */
export interface Emd1dResult {
  /** Nonzero entries of the plan, at most n + m − 1, indices into the unsorted inputs, in transport order. */
  readonly plan: readonly PlanEntry[];
  /** Σ mass·|u_i − v_j|^p = W_p^p (float64). */
  readonly cost: number;
}

/** Validates weights on the host: length, finiteness, nonnegativity, sum 1 within `tol`. */
export function hostWeights(w: VectorInput | undefined, n: number, name: string, tol = 1e-5): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1 / n);
  const t = toFloat64Vector(w, name);
  if (t.length !== n) throw new OTError('SHAPE_MISMATCH', `${name} must have ${n} entries (one per point), got ${t.length}`, { name });
  let sum = 0;
  for (const x of t) {
    if (x < 0) throw new OTError('INVALID_WEIGHTS', `${name} must be nonnegative, found ${x}`, { name, min: x });
    sum += x;
  }
  if (Math.abs(sum - 1) > tol) {
    throw new OTError('INVALID_WEIGHTS', `${name} must sum to 1, got ${sum} (tolerance ${tol})`, { name, sum });
  }
  return t;
}

function stableArgsort(x: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: x.length }, (_, i) => i);
  // Array.prototype.sort is stable: ties keep their input order.
  return Int32Array.from(Array.from(idx).sort((a, b) => (x[a] as number) - (x[b] as number)));
}

/**
 * Exact optimal transport plan between two 1D discrete measures for the cost |x − y|^p, as a
 * sparse list of (i, j, mass), with its cost W_p^p; the same plan as POT's
 * `ot.emd_1d(u, v, a, b, metric='minkowski', p=p)` and the same cost as `ot.wasserstein_1d`.
 * Ties in the supports are broken by input order (any tie-break is optimal).
 *
 * @param u - support of μ `[n]` (tensor, array or Float64Array; read to the host in float64)
 * @param v - support of ν `[m]`
 * @throws OTError `INVALID_SHAPE`, `EMPTY_INPUT`, `NON_FINITE`, `SHAPE_MISMATCH`, `INVALID_WEIGHTS`, `INVALID_ARGUMENT` (p < 1)
 * @example
 * ```ts
 * const { plan, cost } = emd1d([0, 2], [3, 1, 4], { p: 2 });
 * // plan: [{ i: 0, j: 1, mass: 1/3 }, { i: 0, j: 0, mass: 1/6 }, { i: 1, j: 0, mass: 1/6 }, { i: 1, j: 2, mass: 1/3 }]
 * // cost = (1/3)·1 + (1/6)·9 + (1/6)·1 + (1/3)·4 = W_2^2
 * ```
 */
export function emd1d(u: VectorInput, v: VectorInput, options: Emd1dOptions = {}): Emd1dResult {
  const p = checkNumber(options.p ?? 1, 'p', (x) => x >= 1, 'a finite number ≥ 1');
  const x = toFloat64Vector(u, 'u');
  const y = toFloat64Vector(v, 'v');
  const n = x.length;
  const m = y.length;
  const a = hostWeights(options.uWeights, n, 'uWeights');
  const b0 = hostWeights(options.vWeights, m, 'vWeights');
  const sa = a.reduce((s, w) => s + w, 0);
  const sb = b0.reduce((s, w) => s + w, 0);
  const b = b0.map((w) => (w * sa) / sb);
  const pu = stableArgsort(x);
  const pv = stableArgsort(y);
  const plan: PlanEntry[] = [];
  let cost = 0;
  let i = 0;
  let j = 0;
  let wi = a[pu[0] as number] as number;
  let wj = b[pv[0] as number] as number;
  // North-west corner rule on the sorted supports (POT's emd_1d_sorted): the last target takes
  // whatever rounding leaves over.
  for (;;) {
    const ii = pu[i] as number;
    const jj = pv[j] as number;
    const c = Math.abs((x[ii] as number) - (y[jj] as number)) ** p;
    if (wi < wj || j === m - 1) {
      if (wi > 0) plan.push({ i: ii, j: jj, mass: wi });
      cost += wi * c;
      wj -= wi;
      i += 1;
      if (i === n) break;
      wi = a[pu[i] as number] as number;
    } else {
      if (wj > 0) plan.push({ i: ii, j: jj, mass: wj });
      cost += wj * c;
      wi -= wj;
      j += 1;
      if (j === m) break;
      wj = b[pv[j] as number] as number;
    }
  }
  return Object.freeze({ plan: Object.freeze(plan), cost });
}
