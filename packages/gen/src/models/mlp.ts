/**
 * MLP generator: z → [dense → activation]* → dense → output activation, reshaped to the sample
 * shape. The MNIST MLP of the semi-dual paper (Houdard et al.) uses hidden sizes 256, 512, 1024.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Seed } from '@ot/core';
import { NetModule, type Layer } from './net.js';
import { activate, type Activation } from './layers.js';
import type { ForwardOptions, Generator } from './module.js';

export interface MlpGeneratorOptions {
  latentDim: number;
  /** Sample shape, e.g. `[2]` or `[28, 28, 1]`. */
  outputShape: readonly number[];
  /** Hidden widths (default `[256, 512, 1024]`). */
  hidden?: readonly number[];
  /** Hidden activation (default `'relu'`). */
  activation?: Activation;
  /** Output activation: `'tanh'` for images in [−1, 1], `'linear'` for toy data (default). */
  output?: Activation;
  /** Batch norm after each hidden layer (default false). */
  batchNorm?: boolean;
  seed?: Seed;
}

/**
 * @example
 * ```ts
 * const g = new MlpGenerator({ latentDim: 32, outputShape: [28, 28, 1], output: 'tanh', seed: 0 });
 * const x = g.forward(tf.randomNormal([16, 32])); // [16, 28, 28, 1] in [−1, 1]
 * ```
 */
export class MlpGenerator extends NetModule implements Generator {
  readonly latentDim: number;
  readonly outputShape: readonly number[];
  private readonly layers: Layer[] = [];
  private readonly norms: Layer[] = [];
  private readonly act: Activation;
  private readonly out: Activation;

  constructor(options: MlpGeneratorOptions) {
    super();
    this.latentDim = checkInteger(options.latentDim, 'latentDim');
    if (options.outputShape.length === 0) throw new OTError('INVALID_SHAPE', 'outputShape must not be empty');
    options.outputShape.forEach((d, i) => checkInteger(d, `outputShape[${i}]`));
    this.outputShape = [...options.outputShape];
    const hidden = options.hidden ?? [256, 512, 1024];
    hidden.forEach((h, i) => checkInteger(h, `hidden[${i}]`));
    this.act = options.activation ?? 'relu';
    this.out = options.output ?? 'linear';
    const rng = toRng(options.seed ?? 0);
    const dims = [this.latentDim, ...hidden, this.outputShape.reduce((a, b) => a * b, 1)];
    for (let i = 0; i + 1 < dims.length; i++) {
      this.layers.push(this.dense(`fc${i}`, dims[i] as number, dims[i + 1] as number, rng));
      if (options.batchNorm === true && i + 2 < dims.length) this.norms.push(this.batchNorm(`bn${i}`, dims[i + 1] as number));
    }
  }

  forward(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    this.checkAlive();
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) {
      throw new OTError('INVALID_SHAPE', `z must be [b, ${this.latentDim}], got [${z.shape}]`);
    }
    return tf.tidy(() => {
      let h: tf.Tensor = z;
      this.layers.forEach((layer, i) => {
        h = layer.apply(h, options);
        if (i + 1 < this.layers.length) {
          const bn = this.norms[i];
          if (bn !== undefined) h = bn.apply(h, options);
          h = activate(h, this.act);
        }
      });
      return tf.reshape(activate(h, this.out), [z.shape[0] as number, ...this.outputShape]);
    });
  }
}

export interface MlpCriticOptions {
  inputShape: readonly number[];
  hidden?: readonly number[];
  spectralNorm?: boolean;
  seed?: Seed;
}

/** MLP critic (leaky ReLU), optional spectral norm; features = last hidden layer ⊕ score. */
export class MlpCritic extends NetModule {
  private readonly layers: Layer[] = [];
  private readonly inDim: number;

  constructor(options: MlpCriticOptions) {
    super();
    this.inDim = options.inputShape.reduce((a, b) => a * b, 1);
    const hidden = options.hidden ?? [512, 256];
    const rng = toRng(options.seed ?? 0);
    const dims = [this.inDim, ...hidden, 1];
    for (let i = 0; i + 1 < dims.length; i++) {
      this.layers.push(this.dense(`fc${i}`, dims[i] as number, dims[i + 1] as number, rng, { sn: options.spectralNorm === true }));
    }
  }

  forwardWithFeatures(x: tf.Tensor, options: ForwardOptions = {}): { score: tf.Tensor; features: tf.Tensor } {
    this.checkAlive();
    return tf.tidy(() => {
      let h: tf.Tensor = tf.reshape(x, [x.shape[0] as number, this.inDim]);
      let last: tf.Tensor = h;
      this.layers.forEach((layer, i) => {
        h = layer.apply(h, options);
        if (i + 1 < this.layers.length) {
          h = activate(h, 'leakyRelu');
          last = h;
        }
      });
      return { score: h, features: tf.concat([last, h], 1) };
    });
  }
}
