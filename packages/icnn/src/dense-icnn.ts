/**
 * Dense input convex neural network with convex quadratic input layers, as in
 * Korotin, Egiazarian, Asadulaev, Safin, Burnaev, *Wasserstein-2 Generative Networks*, ICLR 2021
 * (and the published potentials of Korotin et al., *Do Neural Optimal Transport Solvers Work?*,
 * NeurIPS 2021):
 *
 *     q_i(x) = Σ_r (x·A_i[:, r, :])² + x·W_iᵀ + b_i                 (convex in x)
 *     h_0 = q_0(x);   h_i = σ(h_{i−1}·K_{i−1}ᵀ + q_i(x)), K ≥ 0, σ convex nondecreasing
 *     ψ(x) = h_L·wᵀ + ½·sc·‖x‖²,  w ≥ 0
 *
 * ∇ψ is computed by an explicit backward pass written with ordinary tensor ops, so `push` is
 * differentiable w.r.t. the weights (training objectives of W2GN differentiate through ∇ψ).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkNumber, randomNormal, randomUniform, toRng, type Seed, type TensorLike } from '@ot/core';
import {
  ACTIVATIONS,
  POSITIVITIES,
  activate,
  backpropActivation,
  assertAlive,
  checkSizes,
  flatWeights,
  inverseSoftplus,
  mm,
  nest,
  toBatch,
  type Activation,
  type Positivity,
  type Potential,
  type ValueAndGrad,
} from './potential.js';

export interface DenseICNNOptions {
  /** Input dimension d. */
  dim: number;
  /** Hidden layer widths (default `[64, 64, 32]`). */
  hidden?: number[];
  /** Rank of each convex quadratic layer (default 1). */
  rank?: number;
  /** Hidden activation (default `'celu'`). */
  activation?: Activation;
  /** Coefficient sc of the added ½·sc·‖x‖² (default 1e-6; ≥ 0). */
  strongConvexity?: number;
  /**
   * How hidden-to-hidden and output weights stay nonnegative: `'clamp'` (the reference: call
   * {@link DenseICNN.convexify} after each optimizer step) or `'softplus'` (weights are
   * softplus of free variables; `convexify` is a no-op).
   */
  positivity?: Positivity;
  /** Seed of the random initialization. */
  seed?: Seed;
}

/**
 * Weights of a DenseICNN in the PyTorch `state_dict` layout of the reference `DenseICNN`
 * (nested arrays, row-major):
 *
 * - `quadratic_layers.{i}.quadratic_decomposed`: `[d, rank, hidden_i]`
 * - `quadratic_layers.{i}.weight`: `[hidden_i, d]`
 * - `quadratic_layers.{i}.bias`: `[hidden_i]`
 * - `convex_layers.{i}.weight`: `[hidden_{i+1}, hidden_i]` (nonnegative)
 * - `final_layer.weight`: `[1, hidden_L]` (nonnegative)
 *
 * With `positivity: 'softplus'` the effective (positive) weights are stored.
 */
export type DenseICNNWeights = Record<string, unknown>;

/** A dense ICNN potential ψ: R^d → R (see the module comment for the architecture). */
export class DenseICNN implements Potential {
  readonly dim: number;
  readonly hidden: readonly number[];
  readonly rank: number;
  readonly activation: Activation;
  readonly strongConvexity: number;
  readonly positivity: Positivity;

  private readonly quadA: tf.Variable[] = []; // [d, rank·h_i]
  private readonly quadW: tf.Variable[] = []; // [d, h_i]
  private readonly quadB: tf.Variable[] = []; // [h_i]
  private readonly convex: tf.Variable[] = []; // [h_i, h_{i+1}] (raw)
  private readonly finalW: tf.Variable; // [h_L, 1] (raw)
  private disposed = false;

  /**
   * @example
   * ```ts
   * const psi = new DenseICNN({ dim: 2, hidden: [64, 64, 32], strongConvexity: 1e-2, seed: 0 });
   * const t = psi.push(tf.randomNormal([8, 2])); // ∇ψ(x), [8, 2]
   * ```
   */
  constructor(options: DenseICNNOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'DenseICNN options must be an object');
    this.dim = checkInteger(options.dim, 'dim');
    this.hidden = [...checkSizes(options.hidden ?? [64, 64, 32], 'hidden')];
    this.rank = checkInteger(options.rank ?? 1, 'rank');
    this.activation = checkChoice(options.activation ?? 'celu', 'activation', ACTIVATIONS);
    this.strongConvexity = checkNumber(options.strongConvexity ?? 1e-6, 'strongConvexity', (v) => v >= 0, 'a number ≥ 0');
    this.positivity = checkChoice(options.positivity ?? 'clamp', 'positivity', POSITIVITIES);
    const rng = toRng(options.seed);
    const d = this.dim;
    const sp = this.positivity === 'softplus';
    this.finalW = tf.tidy(() => {
      for (let i = 0; i < this.hidden.length; i++) {
        const h = this.hidden[i] as number;
        this.quadA.push(tf.variable(tf.mul(randomNormal([d, this.rank * h], rng), 0.5 / Math.sqrt(d))));
        this.quadW.push(tf.variable(tf.mul(randomNormal([d, h], rng), 1 / Math.sqrt(d))));
        this.quadB.push(tf.variable(tf.zeros([h])));
        if (i > 0) {
          const hin = this.hidden[i - 1] as number;
          const k = randomUniform([hin, h], rng, 0, 1 / hin);
          this.convex.push(tf.variable(sp ? rawFromPositive(k) : k));
        }
      }
      const hl = this.hidden[this.hidden.length - 1] as number;
      const w = randomUniform([hl, 1], rng, 0, 1 / hl);
      return tf.variable(sp ? rawFromPositive(w) : w);
    });
  }

  /** Builds a DenseICNN from weights in the PyTorch layout, inferring d, hidden sizes and rank. */
  static fromStateDict(weights: DenseICNNWeights, options: Omit<DenseICNNOptions, 'dim' | 'hidden' | 'rank' | 'seed'> = {}): DenseICNN {
    if (weights === null || typeof weights !== 'object') throw new OTError('INVALID_ARGUMENT', 'weights must be an object');
    const hidden: number[] = [];
    let dim = 0;
    let rank = 0;
    for (let i = 0; ; i++) {
      const a = weights[`quadratic_layers.${i}.quadratic_decomposed`];
      if (a === undefined) break;
      const shape = arrayShape(a);
      if (shape.length !== 3) throw new OTError('INVALID_SHAPE', `quadratic_layers.${i}.quadratic_decomposed must be [d, rank, out]`);
      [dim, rank] = [shape[0] as number, shape[1] as number];
      hidden.push(shape[2] as number);
    }
    if (hidden.length === 0) throw new OTError('INVALID_ARGUMENT', 'weights hold no quadratic_layers.0.quadratic_decomposed');
    const net = new DenseICNN({ ...options, dim, hidden, rank, seed: 0 });
    try {
      net.setWeights(weights);
    } catch (e) {
      net.dispose();
      throw e;
    }
    return net;
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.quadA, ...this.quadW, ...this.quadB, ...this.convex, this.finalW];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * ψ(x).
   * @param x `[n, d]`
   * @returns `[n]`
   * @example
   * ```ts
   * const v = psi.value([[0, 1], [1, 0]]);
   * ```
   */
  value(x: TensorLike): tf.Tensor1D {
    assertAlive(this.disposed, 'DenseICNN');
    return tf.tidy(() => this.evaluate(toBatch(x, this.dim), false).value);
  }

  /**
   * ∇ψ(x), differentiable w.r.t. the weights (and x).
   * @param x `[n, d]`
   * @returns `[n, d]`
   * @example
   * ```ts
   * const y = psi.push(x);
   * ```
   */
  push(x: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'DenseICNN');
    return tf.tidy(() => this.evaluate(toBatch(x, this.dim), true).grad as tf.Tensor2D);
  }

  /**
   * ψ(x) and ∇ψ(x) in one pass.
   * @param x `[n, d]`
   * @example
   * ```ts
   * const { value, grad } = psi.valueAndGrad(x);
   * ```
   */
  valueAndGrad(x: TensorLike): ValueAndGrad {
    assertAlive(this.disposed, 'DenseICNN');
    const r = tf.tidy(() => {
      const o = this.evaluate(toBatch(x, this.dim), true);
      return [o.value, o.grad as tf.Tensor2D] as const;
    });
    return { value: r[0], grad: r[1] };
  }

  /** Clamps the hidden-to-hidden and output weights at 0 (no-op for `positivity: 'softplus'`). */
  convexify(): void {
    assertAlive(this.disposed, 'DenseICNN');
    if (this.positivity !== 'clamp') return;
    tf.tidy(() => {
      for (const k of [...this.convex, this.finalW]) k.assign(tf.relu(k));
    });
  }

  /**
   * The weights in the PyTorch `state_dict` layout ({@link DenseICNNWeights}).
   * @example
   * ```ts
   * const copy = DenseICNN.fromStateDict(psi.getWeights(), { activation: psi.activation });
   * ```
   */
  getWeights(): DenseICNNWeights {
    assertAlive(this.disposed, 'DenseICNN');
    const out: DenseICNNWeights = {};
    const d = this.dim;
    tf.tidy(() => {
      this.hidden.forEach((h, i) => {
        out[`quadratic_layers.${i}.quadratic_decomposed`] = nest(this.quadA[i]!.dataSync(), [d, this.rank, h]);
        out[`quadratic_layers.${i}.weight`] = nest(tf.transpose(this.quadW[i]!).dataSync(), [h, d]);
        out[`quadratic_layers.${i}.bias`] = nest(this.quadB[i]!.dataSync(), [h]);
        if (i > 0) {
          const k = tf.transpose(this.positive(this.convex[i - 1]!));
          out[`convex_layers.${i - 1}.weight`] = nest(k.dataSync(), [h, this.hidden[i - 1] as number]);
        }
      });
      const hl = this.hidden[this.hidden.length - 1] as number;
      out['final_layer.weight'] = nest(this.positive(this.finalW).dataSync(), [1, hl]);
    });
    return out;
  }

  /**
   * Loads weights in the PyTorch `state_dict` layout ({@link DenseICNNWeights}); shapes must
   * match this network. Nonnegative weights must be ≥ 0.
   */
  setWeights(weights: DenseICNNWeights): void {
    assertAlive(this.disposed, 'DenseICNN');
    if (weights === null || typeof weights !== 'object') throw new OTError('INVALID_ARGUMENT', 'weights must be an object');
    const get = (key: string, shape: number[]): Float32Array => {
      if (!(key in weights)) throw new OTError('INVALID_ARGUMENT', `weights lack '${key}'`, { key });
      return flatWeights(weights[key], shape, key);
    };
    const d = this.dim;
    const vals: Array<[tf.Variable, Float32Array, number[], boolean, boolean]> = []; // var, data, torch shape, transpose, positive
    this.hidden.forEach((h, i) => {
      vals.push([this.quadA[i]!, get(`quadratic_layers.${i}.quadratic_decomposed`, [d, this.rank, h]), [d, this.rank * h], false, false]);
      vals.push([this.quadW[i]!, get(`quadratic_layers.${i}.weight`, [h, d]), [h, d], true, false]);
      vals.push([this.quadB[i]!, get(`quadratic_layers.${i}.bias`, [h]), [h], false, false]);
      if (i > 0) {
        const hin = this.hidden[i - 1] as number;
        vals.push([this.convex[i - 1]!, get(`convex_layers.${i - 1}.weight`, [h, hin]), [h, hin], true, true]);
      }
    });
    const hl = this.hidden[this.hidden.length - 1] as number;
    vals.push([this.finalW, get('final_layer.weight', [1, hl]), [hl, 1], false, true]);
    if (weights[`quadratic_layers.${this.hidden.length}.quadratic_decomposed`] !== undefined) {
      throw new OTError('SHAPE_MISMATCH', `weights have more than ${this.hidden.length} layers`);
    }
    for (const [, data, , , positive] of vals) {
      if (positive && data.some((v) => v < 0)) {
        throw new OTError('INVALID_WEIGHTS', 'convex_layers and final_layer weights must be nonnegative');
      }
    }
    tf.tidy(() => {
      for (const [v, data, shape, transpose, positive] of vals) {
        let t: tf.Tensor = tf.tensor(data, shape, 'float32');
        if (transpose) t = tf.transpose(t);
        if (positive && this.positivity === 'softplus') t = rawFromPositive(t);
        v.assign(tf.reshape(t, v.shape));
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.trainableVariables);
  }

  private positive(v: tf.Tensor): tf.Tensor {
    return this.positivity === 'softplus' ? tf.softplus(v) : v;
  }

  /** Forward pass (and analytic backward when `wantGrad`); call inside a tidy. */
  private evaluate(x: tf.Tensor2D, wantGrad: boolean): { value: tf.Tensor1D; grad?: tf.Tensor2D } {
    const n = x.shape[0];
    const L = this.hidden.length;
    const xa: tf.Tensor3D[] = [];
    const z: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    const quad = (i: number): tf.Tensor2D => {
      const h = this.hidden[i] as number;
      const u = tf.reshape(mm(x, this.quadA[i] as unknown as tf.Tensor2D), [n, this.rank, h]) as tf.Tensor3D;
      xa.push(u);
      return tf.add(tf.add(tf.sum(tf.square(u), 1), mm(x, this.quadW[i] as unknown as tf.Tensor2D)), this.quadB[i]!) as tf.Tensor2D;
    };
    const ks = this.convex.map((k) => this.positive(k) as tf.Tensor2D);
    const wf = this.positive(this.finalW) as tf.Tensor2D;
    let h = quad(0);
    z.push(h);
    for (let i = 1; i < L; i++) {
      const zi = tf.add(mm(h, ks[i - 1]!), quad(i)) as tf.Tensor2D;
      z.push(zi);
      h = activate(this.activation, zi) as tf.Tensor2D;
      hs[i] = h;
    }
    const sc = this.strongConvexity;
    const sq = tf.sum(tf.square(x), 1);
    const value = tf.add(tf.reshape(mm(h, wf), [n]), tf.mul(sq, 0.5 * sc)) as tf.Tensor1D;
    if (!wantGrad) return { value };
    // Backward: g = ∂ψ/∂h_i, δ = ∂ψ/∂z_i.
    let g: tf.Tensor = tf.reshape(wf, [1, this.hidden[L - 1] as number]);
    let grad: tf.Tensor = tf.mul(x, sc);
    for (let i = L - 1; i >= 0; i--) {
      const delta = i === 0 ? tf.mul(g, tf.onesLike(z[0]!)) : backpropActivation(this.activation, tf.broadcastTo(g, z[i]!.shape), z[i]!, hs[i]!);
      const hsz = this.hidden[i] as number;
      const u = xa[i]!;
      const uq = tf.reshape(tf.mul(tf.mul(u, 2), tf.reshape(delta, [n, 1, hsz])), [n, this.rank * hsz]) as tf.Tensor2D;
      grad = tf.add(grad, mm(uq, tf.transpose(this.quadA[i]!) as tf.Tensor2D));
      grad = tf.add(grad, mm(delta as tf.Tensor2D, tf.transpose(this.quadW[i]!) as tf.Tensor2D));
      if (i > 0) g = mm(delta as tf.Tensor2D, tf.transpose(ks[i - 1]!) as tf.Tensor2D);
    }
    return { value, grad: grad as tf.Tensor2D };
  }
}

function rawFromPositive(t: tf.Tensor): tf.Tensor {
  const data = t.dataSync();
  return tf.tensor(Float32Array.from(data, (v) => inverseSoftplus(v)), t.shape, 'float32');
}

function arrayShape(v: unknown): number[] {
  if (v instanceof tf.Tensor) return v.shape;
  const shape: number[] = [];
  let node = v;
  while (Array.isArray(node)) {
    shape.push(node.length);
    node = node[0];
  }
  return shape;
}
