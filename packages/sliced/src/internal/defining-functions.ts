/**
 * Defining functions of the generalized Radon transform (Kolouri, Nadjahi, Simsekli, Badeau, Rohde,
 * *Generalized Sliced Wasserstein Distances*, NeurIPS 2019, §3): g(x, θ) for θ on a sphere.
 *
 * - `linear`: ⟨x, θ⟩, θ ∈ S^{d−1} (GSW = SW);
 * - `polynomial` of odd degree m: Σ_j θ_j x^{α_j}, θ ∈ S^{q−1} over the q = C(d+m−1, m) monomials
 *   of degree exactly m, listed as the multisets i1 ≤ … ≤ im of coordinates in lexicographic order
 *   (Python's `itertools.combinations_with_replacement(range(d), m)`);
 * - `circular`: ‖x − rθ‖, θ ∈ S^{d−1}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkPositive } from '@ot/core';
import { projectRows, projectRowsForDirections, projectRowsWithDirections } from './project.js';

export type DefiningFunctionKind = 'linear' | 'polynomial' | 'circular';

export interface DefiningFunction {
  readonly kind: DefiningFunctionKind;
  readonly degree: number;
  readonly radius: number;
}

/** Validates the defining-function options. */
export function checkDefiningFunction(options: { kind?: unknown; degree?: unknown; radius?: unknown }): DefiningFunction {
  const kind = checkChoice(options.kind ?? 'polynomial', 'kind', ['linear', 'polynomial', 'circular'] as const);
  const degree = checkInteger(options.degree ?? 3, 'degree');
  if (kind === 'polynomial' && degree % 2 === 0) {
    throw new OTError('INVALID_ARGUMENT', `a polynomial defining function needs an odd degree (Kolouri et al. 2019), got ${degree}`, { degree });
  }
  const radius = checkPositive(options.radius ?? 2, 'radius');
  return { kind, degree, radius };
}

/** Number of monomials of degree exactly m in d variables, C(d+m−1, m). */
export function monomialCount(d: number, m: number): number {
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (d + i - 1)) / i;
  return Math.round(c);
}

/** The multisets i1 ≤ … ≤ im of {0..d−1}, in lexicographic order. */
export function monomials(d: number, m: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number) => {
    if (cur.length === m) {
      out.push(cur.slice());
      return;
    }
    for (let i = start; i < d; i++) {
      cur.push(i);
      rec(i);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/** Dimension of θ for a defining function on R^d. */
export function thetaDimension(g: DefiningFunction, d: number): number {
  return g.kind === 'polynomial' ? monomialCount(d, g.degree) : d;
}

/** Monomial features `[n, q]` of `x` `[n, d]`: a product of m column selections (plain matMuls). */
function polynomialFeatures(x: tf.Tensor2D, degree: number): tf.Tensor2D {
  const d = x.shape[1];
  const mons = monomials(d, degree);
  const q = mons.length;
  let out: tf.Tensor2D | undefined;
  for (let k = 0; k < degree; k++) {
    const sel = new Float32Array(d * q);
    mons.forEach((mon, j) => {
      sel[(mon[k] as number) * q + j] = 1;
    });
    const S = tf.tensor2d(sel, [d, q]);
    // X S selects columns; its gradient dY Sᵀ is computed by projectRows without transposed matMuls.
    const cols = tf.transpose(projectRows(x, S)) as tf.Tensor2D;
    out = out === undefined ? cols : (tf.mul(out, cols) as tf.Tensor2D);
  }
  return out as tf.Tensor2D;
}

/** Which inputs the projections must be differentiable w.r.t. */
export type ProjectionGrad = 'x' | 'directions' | 'both';

/** g(x_i, θ_l) laid out `[L, n]`, for `x` `[n, d]` and directions `[q, L]`. */
export function definingProjections(x: tf.Tensor2D, dirs: tf.Tensor2D, g: DefiningFunction, grad: ProjectionGrad): tf.Tensor2D {
  return tf.tidy(() => {
    const proj = (feat: tf.Tensor2D) =>
      grad === 'x' ? projectRows(feat, dirs) : grad === 'directions' ? projectRowsForDirections(feat, dirs) : projectRowsWithDirections(feat, dirs);
    if (g.kind === 'linear') return proj(x);
    if (g.kind === 'polynomial') return proj(polynomialFeatures(x, g.degree));
    // circular: ‖x − rθ‖² = ‖x‖² − 2r⟨x, θ⟩ + r²‖θ‖².
    const n = x.shape[0];
    const L = dirs.shape[1];
    const xx = tf.reshape(tf.sum(tf.square(x), 1), [1, n]);
    const tt = tf.reshape(tf.sum(tf.square(dirs), 0), [L, 1]);
    const sq = tf.add(tf.sub(xx, tf.mul(proj(x), 2 * g.radius)), tf.mul(tt, g.radius * g.radius));
    return tf.sqrt(tf.add(tf.relu(sq), 1e-12)) as tf.Tensor2D;
  });
}
