/**
 * Convolutional input convex neural network for images (Amos, Xu, Kolter, *Input Convex Neural
 * Networks*, ICML 2017; used as a potential for image-to-image W2 maps by Korotin et al.,
 * *Wasserstein-2 Generative Networks*, ICLR 2021):
 *
 *     z_0 = S_0 ⋆₂ x + b_0;   z_i = K_i ⋆₂ h_{i−1} + S_i ⋆_{2^{i+1}} x + b_i  (K_i ≥ 0);   h_i = σ(z_i)
 *     ψ(x) = Σ_c w_c · mean_{pixels} h_L[·, ·, c] + ½·sc·‖x‖²,  w ≥ 0
 *
 * (⋆_s: 'same' convolution with stride s). Every layer is a nonnegative combination of convex
 * nondecreasing functions of affine maps of x, so ψ is convex. ∇ψ is an explicit backward pass
 * (transposed convolutions), so `push` is differentiable w.r.t. the weights, as for
 * {@link DenseICNN}. Inputs are flattened images `[n, H·W·C]` (the {@link Potential} contract)
 * or `[n, H, W, C]`; `push` returns the shape it was given.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, checkNumber, randomNormal, randomUniform, toFloatTensor, toRng, type Seed, type TensorLike } from '@ot/core';
import {
  ACTIVATIONS,
  POSITIVITIES,
  activate,
  backpropActivation,
  assertAlive,
  checkSizes,
  flatWeights,
  inverseSoftplus,
  nest,
  type Activation,
  type Positivity,
  type Potential,
  type ValueAndGrad,
} from './potential.js';

export interface ConvICNNOptions {
  /** Image height H. */
  height: number;
  /** Image width W. */
  width: number;
  /** Channels C (default 3). */
  channels?: number;
  /** Filters per layer (default `[16, 32]`); layer i has stride 2. */
  filters?: number[];
  /** Kernel size of the hidden-to-hidden convolutions (default 3). */
  kernelSize?: number;
  /** Hidden activation (default `'celu'`). */
  activation?: Activation;
  /** sc of the added ½·sc·‖x‖² (default 1e-6). */
  strongConvexity?: number;
  /** `'clamp'` (call `convexify()` after each step) or `'softplus'` (default `'clamp'`). */
  positivity?: Positivity;
  seed?: Seed;
}

/**
 * Weights of a ConvICNN (nested arrays; filters in the tfjs `[kh, kw, in, out]` layout):
 * `skip.{i}.weight` `[k_i, k_i, C, F_i]` with k_i = max(kernelSize, 2^{i+1}), `skip.{i}.bias` `[F_i]`,
 * `convex.{i}.weight` `[k, k, F_{i−1}, F_i]` for i ≥ 1 (nonnegative), `final.weight` `[F_L]` (nonnegative).
 */
export type ConvICNNWeights = Record<string, unknown>;

/** A convolutional ICNN potential on images. */
export class ConvICNN implements Potential {
  readonly dim: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly filters: readonly number[];
  readonly kernelSize: number;
  readonly activation: Activation;
  readonly strongConvexity: number;
  readonly positivity: Positivity;
  private readonly skipW: tf.Variable[] = [];
  private readonly skipB: tf.Variable[] = [];
  private readonly convex: tf.Variable[] = []; // convex[i − 1] for layer i
  private readonly finalW: tf.Variable;
  private disposed = false;

  /**
   * @example
   * ```ts
   * const psi = new ConvICNN({ height: 16, width: 16, channels: 3, filters: [16, 32], seed: 0 });
   * const moved = psi.push(images); // [n, 16, 16, 3] → [n, 16, 16, 3]
   * ```
   */
  constructor(options: ConvICNNOptions) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'ConvICNN options must be an object');
    this.height = checkInteger(options.height, 'height');
    this.width = checkInteger(options.width, 'width');
    this.channels = checkInteger(options.channels ?? 3, 'channels');
    this.filters = [...checkSizes(options.filters ?? [16, 32], 'filters')];
    this.kernelSize = checkInteger(options.kernelSize ?? 3, 'kernelSize');
    this.activation = checkChoice(options.activation ?? 'celu', 'activation', ACTIVATIONS);
    this.strongConvexity = checkNumber(options.strongConvexity ?? 1e-6, 'strongConvexity', (v) => v >= 0, 'a number ≥ 0');
    this.positivity = checkChoice(options.positivity ?? 'clamp', 'positivity', POSITIVITIES);
    this.dim = this.height * this.width * this.channels;
    const rng = toRng(options.seed);
    const sp = this.positivity === 'softplus';
    const pos = (t: tf.Tensor): tf.Tensor => (sp ? tf.tensor(Float32Array.from(t.dataSync(), (v) => inverseSoftplus(v)), t.shape) : t);
    this.finalW = tf.tidy(() => {
      this.filters.forEach((f, i) => {
        const k = this.skipKernel(i);
        this.skipW.push(tf.variable(tf.mul(randomNormal([k, k, this.channels, f], rng), 1 / Math.sqrt(k * k * this.channels))));
        this.skipB.push(tf.variable(tf.zeros([f])));
        if (i > 0) {
          const fin = this.filters[i - 1] as number;
          const fan = this.kernelSize * this.kernelSize * fin;
          this.convex.push(tf.variable(pos(randomUniform([this.kernelSize, this.kernelSize, fin, f], rng, 0, 2 / fan))));
        }
      });
      const fl = this.filters[this.filters.length - 1] as number;
      return tf.variable(pos(randomUniform([fl], rng, 0, 1 / fl)));
    });
  }

  private skipKernel(i: number): number {
    return Math.max(this.kernelSize, 2 ** (i + 1));
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.skipW, ...this.skipB, ...this.convex, this.finalW];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** ψ(x): `[n, H·W·C]` or `[n, H, W, C]` → `[n]`. */
  value(x: TensorLike): tf.Tensor1D {
    assertAlive(this.disposed, 'ConvICNN');
    return tf.tidy(() => this.evaluate(this.toImages(x), false).value);
  }

  /** ∇ψ(x), in the shape of x (`[n, H, W, C]` → `[n, H, W, C]`, `[n, H·W·C]` → `[n, H·W·C]`); differentiable w.r.t. the weights. */
  push(x: tf.Tensor4D): tf.Tensor4D;
  push(x: TensorLike): tf.Tensor2D;
  push(x: TensorLike): tf.Tensor2D | tf.Tensor4D {
    assertAlive(this.disposed, 'ConvICNN');
    return tf.tidy(() => {
      const img = this.toImages(x);
      const g = this.evaluate(img, true).grad as tf.Tensor4D;
      return tf.reshape<tf.Rank>(g, this.inputShape(x, img.shape[0])) as tf.Tensor2D;
    });
  }

  /** ψ(x) and ∇ψ(x) (in the shape of x, as {@link ConvICNN.push}). */
  valueAndGrad(x: tf.Tensor4D): { readonly value: tf.Tensor1D; readonly grad: tf.Tensor4D };
  valueAndGrad(x: TensorLike): ValueAndGrad;
  valueAndGrad(x: TensorLike): ValueAndGrad | { readonly value: tf.Tensor1D; readonly grad: tf.Tensor4D } {
    assertAlive(this.disposed, 'ConvICNN');
    const r = tf.tidy(() => {
      const img = this.toImages(x);
      const o = this.evaluate(img, true);
      return [o.value, tf.reshape<tf.Rank>(o.grad as tf.Tensor, this.inputShape(x, img.shape[0])) as tf.Tensor2D] as const;
    });
    return { value: r[0], grad: r[1] };
  }

  /** Clamps the nonnegative weights at 0 (no-op with `positivity: 'softplus'`). */
  convexify(): void {
    assertAlive(this.disposed, 'ConvICNN');
    if (this.positivity !== 'clamp') return;
    tf.tidy(() => {
      for (const k of [...this.convex, this.finalW]) k.assign(tf.relu(k));
    });
  }

  /** The weights ({@link ConvICNNWeights}; effective positive weights for 'softplus'). */
  getWeights(): ConvICNNWeights {
    assertAlive(this.disposed, 'ConvICNN');
    const out: ConvICNNWeights = {};
    tf.tidy(() => {
      this.filters.forEach((_, i) => {
        out[`skip.${i}.weight`] = nest(this.skipW[i]!.dataSync(), this.skipW[i]!.shape);
        out[`skip.${i}.bias`] = nest(this.skipB[i]!.dataSync(), this.skipB[i]!.shape);
        if (i > 0) out[`convex.${i}.weight`] = nest(this.positive(this.convex[i - 1]!).dataSync(), this.convex[i - 1]!.shape);
      });
      out['final.weight'] = nest(this.positive(this.finalW).dataSync(), this.finalW.shape);
    });
    return out;
  }

  /** Loads weights in the {@link ConvICNNWeights} layout. */
  setWeights(weights: ConvICNNWeights): void {
    assertAlive(this.disposed, 'ConvICNN');
    if (weights === null || typeof weights !== 'object') throw new OTError('INVALID_ARGUMENT', 'weights must be an object');
    const entries: Array<[tf.Variable, string, boolean]> = [];
    this.filters.forEach((_, i) => {
      entries.push([this.skipW[i]!, `skip.${i}.weight`, false], [this.skipB[i]!, `skip.${i}.bias`, false]);
      if (i > 0) entries.push([this.convex[i - 1]!, `convex.${i}.weight`, true]);
    });
    entries.push([this.finalW, 'final.weight', true]);
    const data = entries.map(([v, key, positive]) => {
      if (!(key in weights)) throw new OTError('INVALID_ARGUMENT', `weights lack '${key}'`, { key });
      const d = flatWeights(weights[key], v.shape, key);
      if (positive && d.some((e) => e < 0)) throw new OTError('INVALID_WEIGHTS', `${key} must be nonnegative`);
      return d;
    });
    tf.tidy(() => {
      entries.forEach(([v, , positive], i) => {
        const d = data[i]!;
        v.assign(tf.tensor(positive && this.positivity === 'softplus' ? Float32Array.from(d, (e) => inverseSoftplus(e)) : d, v.shape, 'float32'));
      });
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

  private inputShape(x: TensorLike, n: number): number[] {
    return x instanceof tf.Tensor && x.rank === 4 ? [n, this.height, this.width, this.channels] : [n, this.dim];
  }

  private toImages(x: TensorLike): tf.Tensor4D {
    const t = toFloatTensor(x, 'x', [2, 4]);
    const [h, w, c] = [this.height, this.width, this.channels];
    if (t.rank === 2 && t.shape[1] !== this.dim) {
      throw new OTError('SHAPE_MISMATCH', `x must be [n, ${this.dim}] (= H·W·C) or [n, ${h}, ${w}, ${c}], got [${t.shape}]`);
    }
    if (t.rank === 4 && (t.shape[1] !== h || t.shape[2] !== w || t.shape[3] !== c)) {
      throw new OTError('SHAPE_MISMATCH', `x must be [n, ${h}, ${w}, ${c}], got [${t.shape}]`);
    }
    return tf.reshape(t, [t.shape[0] as number, h, w, c]) as tf.Tensor4D;
  }

  private evaluate(x: tf.Tensor4D, wantGrad: boolean): { value: tf.Tensor1D; grad?: tf.Tensor4D } {
    const n = x.shape[0];
    const L = this.filters.length;
    const ks = this.convex.map((k) => this.positive(k) as tf.Tensor4D);
    const zs: tf.Tensor4D[] = [];
    const hs: tf.Tensor4D[] = [];
    let h: tf.Tensor4D | undefined;
    for (let i = 0; i < L; i++) {
      const stride = 2 ** (i + 1);
      let z = tf.add(tf.conv2d(x, this.skipW[i] as unknown as tf.Tensor4D, stride, 'same'), this.skipB[i]!) as tf.Tensor4D;
      if (i > 0) z = tf.add(z, tf.conv2d(h!, ks[i - 1]!, 2, 'same')) as tf.Tensor4D;
      zs.push(z);
      h = activate(this.activation, z) as tf.Tensor4D;
      hs.push(h);
    }
    const [hl, wl] = [h!.shape[1], h!.shape[2]];
    const wf = this.positive(this.finalW);
    const value = tf.add(
      tf.sum(tf.mul(tf.mean(h!, [1, 2]), wf), 1),
      tf.mul(tf.sum(tf.square(tf.reshape(x, [n, this.dim])), 1), 0.5 * this.strongConvexity),
    ) as tf.Tensor1D;
    if (!wantGrad) return { value };
    let g: tf.Tensor = tf.mul(tf.onesLike(h!), tf.div(tf.reshape(wf, [1, 1, 1, -1]), hl * wl)); // ∂ψ/∂h_L
    let grad: tf.Tensor = tf.mul(x, this.strongConvexity);
    for (let i = L - 1; i >= 0; i--) {
      const delta = backpropActivation(this.activation, tf.broadcastTo(g, zs[i]!.shape), zs[i]!, hs[i]!) as tf.Tensor4D;
      grad = tf.add(grad, tf.conv2dTranspose(delta, this.skipW[i] as unknown as tf.Tensor4D, x.shape, 2 ** (i + 1), 'same'));
      if (i > 0) g = tf.conv2dTranspose(delta, ks[i - 1]!, hs[i - 1]!.shape, 2, 'same');
    }
    return { value, grad: grad as tf.Tensor4D };
  }
}
