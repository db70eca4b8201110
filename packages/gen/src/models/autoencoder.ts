/**
 * Autoencoders whose latent space the W2GN latent trainer transports into: an MLP encoder/decoder
 * pair and a convolutional one (strided convs down, transposed convs up) for 28×28 / 32×32 images.
 * Reconstruction loss: mean squared error on [−1, 1] images.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Seed } from '@ot/core';
import { NetModule, type Layer } from './net.js';
import type { ForwardOptions } from './module.js';

export interface AutoencoderOptions {
  /** Sample shape (`[28, 28, 1]`, `[32, 32, 3]`, `[2]`, ...). */
  inputShape: readonly number[];
  latentDim: number;
  /** `'mlp'` (default) or `'conv'` (images of size 28 or 32 only). */
  kind?: 'mlp' | 'conv';
  /** Hidden widths of the MLP encoder (the decoder mirrors them); default [512, 256]. */
  hidden?: readonly number[];
  seed?: Seed;
}

/**
 * @example
 * ```ts
 * const ae = new Autoencoder({ inputShape: [28, 28, 1], latentDim: 8, seed: 0 });
 * const z = ae.encode(x);        // [b, 8]
 * const xr = ae.decode(z);       // [b, 28, 28, 1] in [−1, 1]
 * ```
 */
export class Autoencoder extends NetModule {
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly kind: 'mlp' | 'conv';
  private readonly enc: Layer[] = [];
  private readonly dec: Layer[] = [];
  private readonly inDim: number;
  private readonly convRes: number = 0;
  private readonly convCh: number = 64;

  constructor(options: AutoencoderOptions) {
    super();
    this.inputShape = [...options.inputShape];
    this.inDim = this.inputShape.reduce((a, b) => a * b, 1);
    this.latentDim = checkInteger(options.latentDim, 'latentDim');
    this.kind = options.kind ?? 'mlp';
    const rng = toRng(options.seed ?? 0);
    const images = this.inputShape.length === 3;
    if (this.kind === 'conv') {
      const size = this.inputShape[0];
      if (!images || (size !== 28 && size !== 32)) throw new OTError('INVALID_ARGUMENT', `a conv autoencoder needs [28|32, 28|32, c] inputs, got [${this.inputShape}]`);
      const c = this.inputShape[2] as number;
      this.convRes = size / 4;
      this.enc.push(this.conv('enc.c0', 4, c, 32, rng, { stride: 2 }), this.conv('enc.c1', 4, 32, this.convCh, rng, { stride: 2 }));
      this.enc.push(this.dense('enc.fc', this.convRes * this.convRes * this.convCh, this.latentDim, rng));
      this.dec.push(this.dense('dec.fc', this.latentDim, this.convRes * this.convRes * this.convCh, rng));
      this.dec.push(this.convTranspose('dec.u0', 4, this.convCh, 32, rng), this.convTranspose('dec.u1', 4, 32, c, rng));
    } else {
      const hidden = options.hidden ?? [512, 256];
      const dims = [this.inDim, ...hidden, this.latentDim];
      for (let i = 0; i + 1 < dims.length; i++) this.enc.push(this.dense(`enc.fc${i}`, dims[i] as number, dims[i + 1] as number, rng));
      const rd = [...dims].reverse();
      for (let i = 0; i + 1 < rd.length; i++) this.dec.push(this.dense(`dec.fc${i}`, rd[i] as number, rd[i + 1] as number, rng));
    }
  }

  /** Samples `[b, ...inputShape]` (images in [−1, 1]) → codes `[b, latentDim]`. */
  encode(x: tf.Tensor, options: ForwardOptions = {}): tf.Tensor2D {
    this.checkAlive();
    return tf.tidy(() => {
      const b = x.shape[0] as number;
      if (this.kind === 'conv') {
        let h = x;
        h = tf.leakyRelu((this.enc[0] as Layer).apply(h, options), 0.2);
        h = tf.leakyRelu((this.enc[1] as Layer).apply(h, options), 0.2);
        return (this.enc[2] as Layer).apply(tf.reshape(h, [b, -1]), options) as tf.Tensor2D;
      }
      let h: tf.Tensor = tf.reshape(x, [b, this.inDim]);
      this.enc.forEach((l, i) => {
        h = l.apply(h, options);
        if (i + 1 < this.enc.length) h = tf.leakyRelu(h, 0.2);
      });
      return h as tf.Tensor2D;
    });
  }

  /** Codes `[b, latentDim]` → samples `[b, ...inputShape]` (tanh output for images). */
  decode(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    this.checkAlive();
    return tf.tidy(() => {
      const b = z.shape[0] as number;
      const images = this.inputShape.length === 3;
      if (this.kind === 'conv') {
        let h = tf.relu((this.dec[0] as Layer).apply(z, options));
        h = tf.reshape(h, [b, this.convRes, this.convRes, this.convCh]);
        h = tf.relu((this.dec[1] as Layer).apply(h, options));
        return tf.tanh((this.dec[2] as Layer).apply(h, options));
      }
      let h: tf.Tensor = z;
      this.dec.forEach((l, i) => {
        h = l.apply(h, options);
        if (i + 1 < this.dec.length) h = tf.relu(h);
      });
      return tf.reshape(images ? tf.tanh(h) : h, [b, ...this.inputShape]);
    });
  }

  /** Mean squared reconstruction error (a scalar). */
  reconstructionLoss(x: tf.Tensor, options: ForwardOptions = {}): tf.Scalar {
    return tf.tidy(() => tf.mean(tf.squaredDifference(this.decode(this.encode(x, options), options), x)) as tf.Scalar);
  }
}
