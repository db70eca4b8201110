/**
 * Non-convex MLP potential, as used by Amos, *On amortizing convex conjugates for optimal
 * transport*, ICLR 2023 (w2ot's `PotentialNN`): ψ(x) = ½·q·‖x‖² + MLP(x), optionally with the
 * hidden activation on the scalar output (`outputActivation`, as w2ot) and a trainable
 * q = exp(log α) (`learnQuadratic`, as w2ot). With q = 1 and the output layer at zero, ∇ψ starts as
 * the identity map. ψ need not be convex, so ∇ψ is a map but
 * not necessarily the Brenier map; the conjugate solvers still apply where f − ⟨·, y⟩ is bounded
 * below (the quadratic term helps).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkBoolean, checkChoice, checkInteger, checkNumber, toRng, type Seed, type TensorLike } from '@ot/core';
import { ACTIVATIONS, MLP_INITS, activate, activateDeriv, assertAlive, backpropActivation, checkSizes, flatWeights, mm, nest, toBatch, initDenseLayers, type Activation, type MlpInit, type Potential, type ValueAndGrad } from './potential.js';

export interface MlpPotentialOptions {
  /** Input dimension d. */
  dim: number;
  /** Hidden widths (default `[64, 64, 64]`). */
  hidden?: number[];
  /** Hidden activation (default `'celu'`). */
  activation?: Activation;
  /** Coefficient q of ½·q·‖x‖² (default 1; ≥ 0, > 0 with `learnQuadratic`). */
  quadratic?: number;
  /** Train q as exp(log α), log α initialized at log(quadratic) (w2ot's `log_alpha`; default false). */
  learnQuadratic?: boolean;
  /** Apply the hidden activation to the scalar output layer too (w2ot; default false). */
  outputActivation?: boolean;
  /**
   * Initialization: `'identity'` (default; LeCun-normal hidden layers, output layer at zero, so ∇ψ
   * is exactly the identity map with q = 1) or `'lecun'` (flax's default, as w2ot: every layer
   * LeCun truncated-normal, biases zero; ∇ψ is not the identity until pretrained, e.g. with
   * `NeuralDual.pretrain`).
   */
  init?: MlpInit;
  /** Seed of the initialization. */
  seed?: Seed;
}

/**
 * Weights of an MlpPotential: `layers.{i}.weight` `[out, in]` and `layers.{i}.bias` `[out]`
 * (PyTorch `nn.Linear` layout), the last layer having `out = 1`; with `learnQuadratic`, also
 * `log_alpha` (a number).
 */
export type MlpPotentialWeights = Record<string, unknown>;

/** A non-convex MLP potential with the {@link Potential} contract. */
export class MlpPotential implements Potential {
  readonly dim: number;
  readonly hidden: readonly number[];
  readonly activation: Activation;
  /** The initial q (the current one is exp(log α) with `learnQuadratic`). */
  readonly quadratic: number;
  readonly learnQuadratic: boolean;
  readonly outputActivation: boolean;
  readonly init: MlpInit;
  private readonly logAlpha: tf.Variable | null = null;
  private readonly weights: tf.Variable[]; // [in, out]
  private readonly biases: tf.Variable[];
  private disposed = false;

  /**
   * @example
   * ```ts
   * const f = new MlpPotential({ dim: 2, hidden: [64, 64], seed: 0 });
   * const y = f.push(x); // = x at initialization
   * ```
   */
  constructor(options: MlpPotentialOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'MlpPotential options must be an object');
    this.dim = checkInteger(options.dim, 'dim');
    this.hidden = [...checkSizes(options.hidden ?? [64, 64, 64], 'hidden')];
    this.activation = checkChoice(options.activation ?? 'celu', 'activation', ACTIVATIONS);
    this.learnQuadratic = checkBoolean(options.learnQuadratic ?? false, 'learnQuadratic');
    this.outputActivation = checkBoolean(options.outputActivation ?? false, 'outputActivation');
    this.quadratic = this.learnQuadratic
      ? checkNumber(options.quadratic ?? 1, 'quadratic', (v) => v > 0, 'a number > 0 (learnQuadratic trains log q)')
      : checkNumber(options.quadratic ?? 1, 'quadratic', (v) => v >= 0, 'a number ≥ 0');
    this.init = checkChoice(options.init ?? 'identity', 'init', MLP_INITS);
    const rng = toRng(options.seed);
    if (this.learnQuadratic) this.logAlpha = tf.variable(tf.scalar(Math.log(this.quadratic)));
    const sizes = [this.dim, ...this.hidden, 1];
    ({ weights: this.weights, biases: this.biases } = initDenseLayers(sizes, this.init, rng));
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.weights, ...this.biases, ...(this.logAlpha !== null ? [this.logAlpha] : [])];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** ψ(x): `[n, d]` → `[n]`. */
  value(x: TensorLike): tf.Tensor1D {
    assertAlive(this.disposed, 'MlpPotential');
    return tf.tidy(() => this.evaluate(toBatch(x, this.dim), false).value);
  }

  /** ∇ψ(x): `[n, d]` → `[n, d]`, differentiable w.r.t. the weights. */
  push(x: TensorLike): tf.Tensor2D {
    assertAlive(this.disposed, 'MlpPotential');
    return tf.tidy(() => this.evaluate(toBatch(x, this.dim), true).grad as tf.Tensor2D);
  }

  /** ψ(x) and ∇ψ(x) in one pass. */
  valueAndGrad(x: TensorLike): ValueAndGrad {
    assertAlive(this.disposed, 'MlpPotential');
    const r = tf.tidy(() => {
      const o = this.evaluate(toBatch(x, this.dim), true);
      return [o.value, o.grad as tf.Tensor2D] as const;
    });
    return { value: r[0], grad: r[1] };
  }

  /** No constraint to restore (the potential is not convex by construction). */
  convexify(): void {
    assertAlive(this.disposed, 'MlpPotential');
  }

  /** The weights ({@link MlpPotentialWeights}). */
  getWeights(): MlpPotentialWeights {
    assertAlive(this.disposed, 'MlpPotential');
    const out: MlpPotentialWeights = {};
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        const [a, b] = w.shape as [number, number];
        out[`layers.${i}.weight`] = nest(tf.transpose(w).dataSync(), [b, a]);
        out[`layers.${i}.bias`] = nest(this.biases[i]!.dataSync(), [b]);
      });
    });
    if (this.logAlpha !== null) out['log_alpha'] = this.logAlpha.dataSync()[0];
    return out;
  }

  /** Loads weights in the {@link MlpPotentialWeights} layout; shapes must match. */
  setWeights(weights: MlpPotentialWeights): void {
    assertAlive(this.disposed, 'MlpPotential');
    if (weights === null || typeof weights !== 'object') throw new OTError('INVALID_ARGUMENT', 'weights must be an object');
    const data = this.weights.map((w, i) => {
      const [a, b] = w.shape as [number, number];
      const kw = `layers.${i}.weight`;
      const kb = `layers.${i}.bias`;
      if (!(kw in weights) || !(kb in weights)) throw new OTError('INVALID_ARGUMENT', `weights lack '${kw}' or '${kb}'`);
      return [flatWeights(weights[kw], [b, a], kw), flatWeights(weights[kb], [b], kb)] as const;
    });
    let logAlpha: number | undefined;
    if (this.logAlpha !== null) {
      const la = weights['log_alpha'];
      if (typeof la !== 'number' || !Number.isFinite(la)) throw new OTError('INVALID_ARGUMENT', `weights.log_alpha must be a finite number, got ${String(la)}`);
      logAlpha = la;
    }
    tf.tidy(() => {
      if (logAlpha !== undefined) this.logAlpha!.assign(tf.scalar(logAlpha));
      data.forEach(([w, b], i) => {
        const v = this.weights[i]!;
        v.assign(tf.transpose(tf.tensor(w, [v.shape[1] as number, v.shape[0] as number], 'float32')));
        this.biases[i]!.assign(tf.tensor(b, this.biases[i]!.shape, 'float32'));
      });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.trainableVariables);
  }

  private evaluate(x: tf.Tensor2D, wantGrad: boolean): { value: tf.Tensor1D; grad?: tf.Tensor2D } {
    const n = x.shape[0];
    const zs: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    let h: tf.Tensor2D = x;
    const L = this.weights.length;
    for (let i = 0; i < L - 1; i++) {
      const z = tf.add(mm(h, this.weights[i] as unknown as tf.Tensor2D), this.biases[i]!);
      zs.push(z);
      h = activate(this.activation, z) as tf.Tensor2D;
      hs.push(h);
    }
    const wl = this.weights[L - 1] as unknown as tf.Tensor2D;
    const pre = tf.add(mm(h, wl), this.biases[L - 1]!); // [n, 1]
    const out = tf.reshape(this.outputActivation ? activate(this.activation, pre) : pre, [n]);
    const q: tf.Tensor | number = this.logAlpha !== null ? tf.exp(this.logAlpha) : this.quadratic;
    const value = tf.add(out, tf.mul(tf.sum(tf.square(x), 1), tf.mul(q, 0.5))) as tf.Tensor1D;
    if (!wantGrad) return { value };
    const wRow = tf.reshape(wl, [1, wl.shape[0]]);
    let g: tf.Tensor = this.outputActivation ? tf.mul(activateDeriv(this.activation, pre), wRow) : wRow;
    for (let i = L - 2; i >= 0; i--) {
      const delta = backpropActivation(this.activation, tf.broadcastTo(g, zs[i]!.shape), zs[i]!, hs[i]!) as tf.Tensor2D;
      g = mm(delta, tf.transpose(this.weights[i]!) as tf.Tensor2D);
    }
    const grad = tf.add(g, tf.mul(x, q)) as tf.Tensor2D;
    return { value, grad };
  }
}
