/**
 * Batched convex-conjugate solvers: x̂(y) = argmin_x f(x) − ⟨x, y⟩, so f*(y) = ⟨x̂, y⟩ − f(x̂)
 * and ∇f(x̂) = y at the optimum. As in Amos, *On amortizing convex conjugates for optimal
 * transport*, ICLR 2023: L-BFGS with an Armijo line search (backtracking, or w2ot's search over
 * a fixed grid of steps, in parallel or one step at a time), or Adam with a cosine-decayed step
 * from 0.1. Every sample of the batch is solved independently (own L-BFGS memory, own step, own
 * convergence test), with the potential evaluated on the still-active rows in one batched call per
 * line-search round.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkFinite, checkInteger, checkNumber, checkPositive, toFloatTensor, type TensorLike } from '@ot/core';
import { scoped, toBatch, type ValueAndGrad } from './potential.js';

/**
 * What a conjugate solver needs of f: its dimension and f, ∇f on a batch. `value`, when present
 * (every potential of this package has it), lets the `'parallel'` and `'sequential'` line
 * searches evaluate their candidate steps without their gradients.
 */
export interface ConjugateTarget {
  readonly dim: number;
  valueAndGrad(x: tf.Tensor2D): ValueAndGrad;
  value?(x: tf.Tensor2D): tf.Tensor1D;
}

export type ConjugateSolver = 'lbfgs' | 'adam';

/** The L-BFGS line search (see {@link ConjugateOptions.lineSearch}). */
export type LineSearch = 'backtracking' | 'parallel' | 'sequential';

export interface ConjugateOptions {
  /** `'lbfgs'` (default) or `'adam'`. */
  solver?: ConjugateSolver;
  /** Starting points `[n, d]` (default: y itself, exact for f = ½‖x‖²). */
  init?: TensorLike;
  /** Iteration cap (default 100). */
  maxIter?: number;
  /** A sample has converged when ‖∇f(x) − y‖_∞ ≤ gtol (default 1e-3). */
  gtol?: number;
  /** L-BFGS memory (default 10). */
  memory?: number;
  /** Adam's initial step, cosine-decayed to 0 over `maxIter` (default 0.1). */
  lr?: number;
  /**
   * The L-BFGS line search. Both take the largest step ≤ 1 along the L-BFGS direction that
   * satisfies Armijo's condition (c₁ = 1e-4). `'backtracking'` (default) halves the step up to
   * `maxBacktracks` times and also accepts a step that keeps f within float32 round-off while
   * reducing the gradient (near the optimum the Armijo decrease is below float32 resolution).
   * `'parallel'` is w2ot's (Amos, ICLR 2023; its `lbfgs.yaml`): f is evaluated at the
   * `lsEvaluations` steps `lsBase`⁻ᵏ, k = 0 … lsEvaluations − 1, in one batch, Armijo is strict,
   * and a sample whose steps all fail stops there. `'sequential'` is w2ot's `parallel: False`
   * (its `lbfgs_high_precision.yaml`, 30 steps): the same steps in order, stopping at the first
   * that passes — the same point as `'parallel'` at a fraction of the evaluations when the grid
   * is long. It scores the unit step first, with its gradient (it usually passes), then the
   * samples still searching on the next 2, 4, 8, … steps at once (≤ 5 rounds for 30 steps,
   * instead of 30 one-step rounds; the first passing step is the same).
   */
  lineSearch?: LineSearch;
  /** Maximum halvings of the L-BFGS step per iteration, `'backtracking'` (default 30). */
  maxBacktracks?: number;
  /** Ratio between successive steps of the `'parallel'` and `'sequential'` searches (default 1.5; > 1). */
  lsBase?: number;
  /** Number of steps the `'parallel'` and `'sequential'` searches try at most (default 10). */
  lsEvaluations?: number;
}

/** The solution of a batch of conjugate problems (tensors owned by the caller). */
export interface ConjugateResult {
  /** x̂(y), `[n, d]`. */
  readonly x: tf.Tensor2D;
  /** f*(y) = ⟨x̂, y⟩ − f(x̂), `[n]`. */
  readonly value: tf.Tensor1D;
  /** ‖∇f(x̂) − y‖_∞ per sample. */
  readonly gradNorm: Float32Array;
  /** Per sample: 1 when it met `gtol`. */
  readonly converged: Uint8Array;
  /** Iterations run (the largest over samples). */
  readonly iterations: number;
}

const SOLVERS: readonly ConjugateSolver[] = ['lbfgs', 'adam'];
const LINE_SEARCHES: readonly LineSearch[] = ['backtracking', 'parallel', 'sequential'];
/** Armijo's sufficient-decrease constant c₁. */
const ARMIJO_C1 = 1e-4;

/**
 * Solves x̂ = argmin_x f(x) − ⟨x, y⟩ for every row of y.
 *
 * @param f a potential (any object with `dim` and `valueAndGrad`)
 * @param y `[n, d]`
 * @example
 * ```ts
 * const { x, value } = conjugate(psi, y, { solver: 'lbfgs', gtol: 1e-4 });
 * // psi.push(x) ≈ y; value = psi*(y)
 * ```
 */
export function conjugate(f: ConjugateTarget, y: TensorLike, options: ConjugateOptions = {}): ConjugateResult {
  if (f === null || typeof f !== 'object' || typeof f.valueAndGrad !== 'function' || !Number.isInteger(f.dim)) {
    throw new OTError('INVALID_ARGUMENT', 'f must be a potential with dim and valueAndGrad(x)');
  }
  if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'options must be an object');
  const solver = checkChoice(options.solver ?? 'lbfgs', 'solver', SOLVERS);
  const maxIter = checkInteger(options.maxIter ?? 100, 'maxIter', 0);
  const gtol = checkPositive(options.gtol ?? 1e-3, 'gtol');
  const memory = checkInteger(options.memory ?? 10, 'memory');
  const lr = checkPositive(options.lr ?? 0.1, 'lr');
  const lineSearch = checkChoice(options.lineSearch ?? 'backtracking', 'lineSearch', LINE_SEARCHES);
  const maxBacktracks = checkInteger(options.maxBacktracks ?? 30, 'maxBacktracks');
  const lsBase = checkNumber(options.lsBase ?? 1.5, 'lsBase', (v) => v > 1, 'a number > 1');
  const lsEvaluations = checkInteger(options.lsEvaluations ?? 10, 'lsEvaluations');
  const [yData, x0, n] = scoped(() => {
    const yt = toBatch(y, f.dim, 'y');
    checkFinite(yt, 'y');
    let init = yt;
    if (options.init !== undefined) {
      init = toFloatTensor(options.init, 'init', 2) as tf.Tensor2D;
      if (init.shape.join() !== yt.shape.join()) {
        throw new OTError('SHAPE_MISMATCH', `init must be [${yt.shape}], got [${init.shape}]`);
      }
      checkFinite(init, 'init');
    }
    return [Float64Array.from(yt.dataSync()), Float64Array.from(init.dataSync()), yt.shape[0]] as const;
  });
  const d = f.dim;
  const state = solver === 'lbfgs' ? lbfgs(f, yData, x0, n, d, { maxIter, gtol, memory, lineSearch, maxBacktracks, lsBase, lsEvaluations }) : adam(f, yData, x0, n, d, { maxIter, gtol, lr });
  const x = tf.tensor2d(Float32Array.from(state.x), [n, d]);
  const value = tf.tidy(() => {
    const vg = f.valueAndGrad(x);
    return tf.sub(tf.sum(tf.mul(x, tf.tensor2d(Float32Array.from(yData), [n, d])), 1), vg.value) as tf.Tensor1D;
  });
  return { x, value, gradNorm: state.gradNorm, converged: state.converged, iterations: state.iterations };
}

interface SolverState {
  x: Float64Array;
  gradNorm: Float32Array;
  converged: Uint8Array;
  iterations: number;
}

/** φ_i(x_i) = f(x_i) − ⟨x_i, y_i⟩ and its gradient for the listed rows. */
function evalRows(f: ConjugateTarget, x: Float64Array, y: Float64Array, rows: readonly number[], d: number): { v: Float64Array; g: Float64Array } {
  const pick = (a: Float64Array): Float64Array => {
    const out = new Float64Array(rows.length * d);
    rows.forEach((r, k) => out.set(a.subarray(r * d, (r + 1) * d), k * d));
    return out;
  };
  return evalPoints(f, pick(x), pick(y), rows.length, d);
}

/** φ(x_k) = f(x_k) − ⟨x_k, y_k⟩ and its gradient for m packed points x, y `[m·d]`, in one batch. */
function evalPoints(f: ConjugateTarget, x: Float64Array, y: Float64Array, m: number, d: number): { v: Float64Array; g: Float64Array } {
  const [vt, gt] = tf.tidy(() => {
    const vg = f.valueAndGrad(tf.tensor2d(Float32Array.from(x), [m, d]));
    return [vg.value, vg.grad];
  });
  const fv = vt.dataSync();
  const fg = gt.dataSync();
  tf.dispose([vt, gt]);
  const v = new Float64Array(m);
  const g = new Float64Array(m * d);
  for (let k = 0; k < m; k++) {
    let dot = 0;
    for (let j = 0; j < d; j++) {
      dot += (x[k * d + j] as number) * (y[k * d + j] as number);
      g[k * d + j] = (fg[k * d + j] as number) - (y[k * d + j] as number);
    }
    v[k] = (fv[k] as number) - dot;
  }
  if (!v.every(Number.isFinite) || !g.every(Number.isFinite)) {
    throw new OTError('NUMERICAL_ERROR', 'the potential returned NaN or Infinity inside the conjugate solver');
  }
  return { v, g };
}

/** φ(x_k) = f(x_k) − ⟨x_k, y_k⟩ for m packed points, without gradients (f must have `value`). */
function evalValues(f: ConjugateTarget, x: Float64Array, y: Float64Array, m: number, d: number): Float64Array {
  const vt = tf.tidy(() => f.value!(tf.tensor2d(Float32Array.from(x), [m, d])));
  const fv = vt.dataSync();
  vt.dispose();
  const v = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += (x[k * d + j] as number) * (y[k * d + j] as number);
    v[k] = (fv[k] as number) - dot;
  }
  if (!v.every(Number.isFinite)) {
    throw new OTError('NUMERICAL_ERROR', 'the potential returned NaN or Infinity inside the conjugate solver');
  }
  return v;
}

function infNorm(g: Float64Array, offset: number, d: number): number {
  let m = 0;
  for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(g[offset + j] as number));
  return m;
}

function lbfgs(
  f: ConjugateTarget,
  y: Float64Array,
  x: Float64Array,
  n: number,
  d: number,
  o: { maxIter: number; gtol: number; memory: number; lineSearch: LineSearch; maxBacktracks: number; lsBase: number; lsEvaluations: number },
): SolverState {
  const all = Array.from({ length: n }, (_, i) => i);
  const first = evalRows(f, x, y, all, d);
  const v = first.v;
  const g = first.g;
  // Each sample's last `memory` pairs (s, y) in a ring: slot (head + k) mod memory is its k-th
  // oldest, at offset ((i·memory) + slot)·d of the flat buffers (no allocation per iteration).
  const M = o.memory;
  const S = new Float64Array(n * M * d);
  const Y = new Float64Array(n * M * d);
  const head = new Int32Array(n);
  const count = new Int32Array(n);
  const at = (i: number, k: number): number => (i * M + ((head[i] as number) + k) % M) * d;
  const sNew = new Float64Array(d);
  const yNew = new Float64Array(d);
  const active = new Uint8Array(n).fill(1);
  const gradNorm = new Float32Array(n);
  const converged = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    gradNorm[i] = infNorm(g, i * d, d);
    if ((gradNorm[i] as number) <= o.gtol) [converged[i], active[i]] = [1, 0];
  }
  /**
   * Moves sample i to the accepted point xs[xo … xo + d) with value vi and gradient gs[go … go + d),
   * updating its L-BFGS memory and convergence.
   */
  const accept = (i: number, xs: Float64Array, xo: number, vi: number, gs: Float64Array, go: number): void => {
    for (let j = 0; j < d; j++) {
      sNew[j] = (xs[xo + j] as number) - (x[i * d + j] as number);
      yNew[j] = (gs[go + j] as number) - (g[i * d + j] as number);
      x[i * d + j] = xs[xo + j] as number;
      g[i * d + j] = gs[go + j] as number;
    }
    v[i] = vi;
    if (dot(sNew, yNew) > 1e-10 * Math.sqrt(dot(yNew, yNew) * dot(sNew, sNew))) {
      const c = count[i] as number;
      const slot = at(i, c < M ? c : 0);
      if (c < M) count[i] = c + 1;
      else head[i] = ((head[i] as number) + 1) % M; // overwrites the oldest pair
      S.set(sNew, slot);
      Y.set(yNew, slot);
    }
    gradNorm[i] = infNorm(g, i * d, d);
    if ((gradNorm[i] as number) <= o.gtol) [converged[i], active[i]] = [1, 0];
  };
  /** Halves the step from 1 until Armijo holds, batched over the samples still searching. */
  const backtrackingSearch = (rows: readonly number[], p: Float64Array, slope: Float64Array): void => {
    const step = new Float64Array(n).fill(1);
    let pending = rows;
    for (let bt = 0; bt <= o.maxBacktracks && pending.length > 0; bt++) {
      const m = pending.length;
      const xs = new Float64Array(m * d);
      const ys = new Float64Array(m * d);
      pending.forEach((i, k) => {
        for (let j = 0; j < d; j++) xs[k * d + j] = (x[i * d + j] as number) + (step[i] as number) * (p[i * d + j] as number);
        ys.set(y.subarray(i * d, (i + 1) * d), k * d);
      });
      const ev = evalPoints(f, xs, ys, m, d);
      const still: number[] = [];
      pending.forEach((i, k) => {
        const vNew = ev.v[k] as number;
        const armijo = vNew <= (v[i] as number) + ARMIJO_C1 * (step[i] as number) * (slope[i] as number);
        // Near the optimum the decrease drops below float32 round-off of f: accept a step that
        // keeps f within round-off and reduces the gradient (cf. Hager–Zhang's approximate Wolfe).
        const approx = vNew <= (v[i] as number) + 1e-6 * (Math.abs(v[i] as number) + 1) && infNorm(ev.g, k * d, d) < (gradNorm[i] as number);
        if (armijo || approx) accept(i, xs, k * d, vNew, ev.g, k * d);
        else {
          step[i]! *= 0.5;
          still.push(i);
        }
      });
      pending = still;
    }
    for (const i of pending) active[i] = 0; // line search failed: no further progress possible
  };
  /**
   * w2ot's Armijo search over the steps lsBase⁻ᵏ, k = 0 … E − 1: the largest that passes wins.
   * Each round scores the next steps of the grid, batched over the samples still searching: all E
   * in one round (`'parallel'`), or 1, 2, 4, … (`'doubling'`, for `'sequential'`: a sample stops
   * at its first passing step).
   */
  const gridSearch = (rows: readonly number[], p: Float64Array, slope: Float64Array, rounds: 'parallel' | 'doubling'): void => {
    const E = o.lsEvaluations;
    const steps = Array.from({ length: E }, (_, k) => o.lsBase ** -k);
    const chosen: Array<{ i: number; point: Float64Array; value: number }> = []; // passed, gradient to come
    let pending = rows;
    for (let k0 = 0, size = rounds === 'parallel' ? E : 1; k0 < E && pending.length > 0; k0 += size, size *= 2) {
      const tried = steps.slice(k0, k0 + size);
      const C = tried.length;
      const m = pending.length * C;
      const xs = new Float64Array(m * d);
      const ys = new Float64Array(m * d);
      pending.forEach((i, r) => {
        tried.forEach((a, k) => {
          const at = (r * C + k) * d;
          for (let j = 0; j < d; j++) xs[at + j] = (x[i * d + j] as number) + a * (p[i * d + j] as number);
          ys.set(y.subarray(i * d, (i + 1) * d), at);
        });
      });
      // Values only when f can give them (one forward pass), gradients then at the chosen steps;
      // except a doubling search's first round, whose unit step usually passes: scoring it with
      // its gradient saves a second pass.
      const ev = f.value !== undefined && !(rounds === 'doubling' && k0 === 0) ? { v: evalValues(f, xs, ys, m, d), g: undefined } : evalPoints(f, xs, ys, m, d);
      const still: number[] = [];
      pending.forEach((i, r) => {
        let k = 0;
        while (k < C && !((ev.v[r * C + k] as number) < (v[i] as number) + ARMIJO_C1 * (tried[k] as number) * (slope[i] as number))) k++;
        if (k === C) {
          still.push(i);
          return;
        }
        const at = r * C + k;
        // Samples are independent: one that passed can move now (nothing else reads its row).
        if (ev.g !== undefined) accept(i, xs, at * d, ev.v[at] as number, ev.g, at * d);
        else chosen.push({ i, point: xs.slice(at * d, (at + 1) * d), value: ev.v[at] as number });
      });
      pending = still;
    }
    for (const i of pending) active[i] = 0; // no step passed: the sample stops, as in w2ot
    if (chosen.length === 0) return;
    const xc = new Float64Array(chosen.length * d);
    const yc = new Float64Array(chosen.length * d);
    chosen.forEach(({ i, point }, c) => {
      xc.set(point, c * d);
      yc.set(y.subarray(i * d, (i + 1) * d), c * d);
    });
    const gc = evalPoints(f, xc, yc, chosen.length, d).g;
    chosen.forEach((c, k) => accept(c.i, xc, k * d, c.value, gc, k * d));
  };
  const q = new Float64Array(d);
  const alpha = new Float64Array(M);
  const p = new Float64Array(n * d); // each active sample's direction and slope, rewritten every iteration
  const slope = new Float64Array(n);
  let it = 0;
  for (; it < o.maxIter; it++) {
    const rows = all.filter((i) => active[i] === 1);
    if (rows.length === 0) break;
    // Two-loop recursion per sample.
    for (const i of rows) {
      for (let j = 0; j < d; j++) q[j] = g[i * d + j] as number;
      const len = count[i] as number;
      for (let k = len - 1; k >= 0; k--) {
        const off = at(i, k);
        const rho = 1 / dotAt(Y, off, S, off, d);
        const a = rho * dotAt(S, off, q, 0, d);
        alpha[k] = a;
        for (let j = 0; j < d; j++) q[j]! -= a * (Y[off + j] as number);
      }
      let gamma = 1;
      if (len > 0) {
        const newest = at(i, len - 1);
        gamma = dotAt(S, newest, Y, newest, d) / dotAt(Y, newest, Y, newest, d);
      }
      for (let j = 0; j < d; j++) q[j]! *= gamma;
      for (let k = 0; k < len; k++) {
        const off = at(i, k);
        const rho = 1 / dotAt(Y, off, S, off, d);
        const b = rho * dotAt(Y, off, q, 0, d);
        for (let j = 0; j < d; j++) q[j]! += (S[off + j] as number) * ((alpha[k] as number) - b);
      }
      let sl = 0;
      for (let j = 0; j < d; j++) sl -= (g[i * d + j] as number) * (q[j] as number);
      if (!(sl < 0)) {
        // Not a descent direction: drop the memory and use steepest descent.
        [count[i], head[i]] = [0, 0];
        sl = 0;
        for (let j = 0; j < d; j++) {
          q[j] = g[i * d + j] as number;
          sl -= (q[j] as number) ** 2;
        }
      }
      for (let j = 0; j < d; j++) p[i * d + j] = -(q[j] as number);
      slope[i] = sl;
    }
    if (o.lineSearch === 'parallel') gridSearch(rows, p, slope, 'parallel');
    else if (o.lineSearch === 'sequential') gridSearch(rows, p, slope, 'doubling');
    else backtrackingSearch(rows, p, slope);
  }
  return { x, gradNorm, converged, iterations: it };
}

function adam(
  f: ConjugateTarget,
  y: Float64Array,
  x0: Float64Array,
  n: number,
  d: number,
  o: { maxIter: number; gtol: number; lr: number },
): SolverState {
  const yt = tf.tensor2d(Float32Array.from(y), [n, d]);
  let x = tf.tensor2d(Float32Array.from(x0), [n, d]);
  let m = tf.zerosLike(x);
  let s = tf.zerosLike(x);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let it = 0;
  let gnorm: Float32Array | undefined;
  const norms = (): Float32Array => {
    const t = tf.tidy(() => tf.max(tf.abs(tf.sub(f.valueAndGrad(x).grad, yt)), 1));
    const out = Float32Array.from(t.dataSync());
    t.dispose();
    return out;
  };
  try {
    for (; it < o.maxIter; it++) {
      if (it % 10 === 0) {
        gnorm = norms();
        if (gnorm.every((g) => g <= o.gtol)) break;
      }
      const lr = o.lr * 0.5 * (1 + Math.cos((Math.PI * it) / o.maxIter));
      const next = tf.tidy(() => {
        const g = tf.sub(f.valueAndGrad(x).grad, yt);
        const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const s2 = tf.add(tf.mul(s, b2), tf.mul(tf.square(g), 1 - b2));
        const mh = tf.div(m2, 1 - b1 ** (it + 1));
        const sh = tf.div(s2, 1 - b2 ** (it + 1));
        return [tf.sub(x, tf.mul(tf.div(mh, tf.add(tf.sqrt(sh), eps)), lr)), m2, s2] as const;
      });
      tf.dispose([x, m, s]);
      [x, m, s] = next as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    }
    gnorm = norms();
    const xd = Float64Array.from(x.dataSync());
    if (!xd.every(Number.isFinite)) throw new OTError('NUMERICAL_ERROR', 'Adam diverged inside the conjugate solver');
    const converged = Uint8Array.from(gnorm, (g) => (g <= o.gtol ? 1 : 0));
    return { x: xd, gradNorm: gnorm, converged, iterations: it };
  } finally {
    tf.dispose([yt, x, m, s]);
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] as number) * (b[j] as number);
  return s;
}

/** ⟨a[ao … ao + d), b[bo … bo + d)⟩, summed in the same order as {@link dot}. */
function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (a[ao + j] as number) * (b[bo + j] as number);
  return s;
}
