/**
 * DCGAN generator and discriminator (Radford, Metz, Chintala, ICLR 2016) for 28×28 and 32×32
 * images: transposed convolutions (kernel 4, stride 2) with batch norm and ReLU in the generator,
 * strided convolutions (kernel 4, stride 2) with leaky ReLU (0.2) in the discriminator. Channel
 * widths default to the MNIST widths of the semi-dual paper (256, 128, 64 for 28×28).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Seed } from '@ot/core';
import { NetModule, type Layer } from './net.js';
import type { Critic, ForwardOptions, Generator } from './module.js';

export interface DcganOptions {
  /** 28 (two upsamplings from 7×7) or 32 (three from 4×4). */
  imageSize: 28 | 32;
  /** Image channels (1 or 3). */
  channels: number;
  /** Latent size for the generator (default 100). */
  latentDim?: number;
  /** Channel widths from the lowest resolution up (default [256, 128, 64] for 32, [128, 64] for 28). */
  widths?: readonly number[];
  /** Spectral norm on the discriminator's weights (default false). */
  spectralNorm?: boolean;
  seed?: Seed;
}

function checkSize(s: unknown): 28 | 32 {
  if (s !== 28 && s !== 32) throw new OTError('INVALID_ARGUMENT', `imageSize must be 28 or 32, got ${String(s)}`);
  return s;
}

/**
 * @example
 * ```ts
 * const g = new DcganGenerator({ imageSize: 28, channels: 1, latentDim: 64, seed: 0 });
 * const x = g.forward(tf.randomNormal([8, 64])); // [8, 28, 28, 1] in [−1, 1]
 * ```
 */
export class DcganGenerator extends NetModule implements Generator {
  readonly latentDim: number;
  readonly outputShape: readonly number[];
  private readonly base: number;
  private readonly widths: number[];
  private readonly fc: Layer;
  private readonly fcNorm: Layer;
  private readonly ups: Array<{ conv: Layer; norm: Layer | undefined }> = [];

  constructor(options: DcganOptions) {
    super();
    const size = checkSize(options.imageSize);
    const c = checkInteger(options.channels, 'channels');
    this.latentDim = checkInteger(options.latentDim ?? 100, 'latentDim');
    this.outputShape = [size, size, c];
    this.base = size === 28 ? 7 : 4;
    const ups = size === 28 ? 2 : 3;
    this.widths = [...(options.widths ?? (size === 28 ? [128, 64] : [256, 128, 64]))];
    if (this.widths.length !== ups) throw new OTError('INVALID_ARGUMENT', `widths must have ${ups} entries for ${size}×${size} images`);
    this.widths.forEach((w, i) => checkInteger(w, `widths[${i}]`));
    const rng = toRng(options.seed ?? 0);
    const w0 = this.widths[0] as number;
    this.fc = this.dense('fc', this.latentDim, this.base * this.base * w0, rng);
    this.fcNorm = this.batchNorm('fc_bn', w0);
    for (let i = 0; i < ups; i++) {
      const cin = this.widths[i] as number;
      const last = i === ups - 1;
      const cout = last ? c : (this.widths[i + 1] as number);
      this.ups.push({ conv: this.convTranspose(`up${i}`, 4, cin, cout, rng), norm: last ? undefined : this.batchNorm(`up${i}_bn`, cout) });
    }
  }

  forward(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    this.checkAlive();
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) throw new OTError('INVALID_SHAPE', `z must be [b, ${this.latentDim}], got [${z.shape}]`);
    return tf.tidy(() => {
      const b = z.shape[0] as number;
      let h = tf.reshape(this.fc.apply(z, options), [b, this.base, this.base, this.widths[0] as number]);
      h = tf.relu(this.fcNorm.apply(h, options));
      for (const { conv, norm } of this.ups) {
        h = conv.apply(h, options);
        h = norm === undefined ? tf.tanh(h) : tf.relu(norm.apply(h, options));
      }
      return h;
    });
  }
}

/** DCGAN discriminator; features = the last block flattened ⊕ the score (as the A-SW paper slices). */
export class DcganDiscriminator extends NetModule implements Critic {
  readonly inputShape: readonly number[];
  private readonly convs: Layer[] = [];
  private readonly out: Layer;
  private readonly flat: number;

  constructor(options: DcganOptions) {
    super();
    const size = checkSize(options.imageSize);
    const c = checkInteger(options.channels, 'channels');
    this.inputShape = [size, size, c];
    const widths = [...(options.widths ?? (size === 28 ? [128, 64] : [256, 128, 64]))].reverse();
    const rng = toRng(options.seed ?? 0);
    const sn = options.spectralNorm === true;
    let cin = c;
    let res: number = size;
    widths.forEach((w, i) => {
      this.convs.push(this.conv(`conv${i}`, 4, cin, w, rng, { stride: 2, sn }));
      cin = w;
      res = Math.ceil(res / 2);
    });
    this.flat = res * res * cin;
    this.out = this.dense('out', this.flat, 1, rng, { sn });
  }

  forwardWithFeatures(x: tf.Tensor, options: ForwardOptions = {}): { score: tf.Tensor; features: tf.Tensor } {
    this.checkAlive();
    return tf.tidy(() => {
      let h = x;
      for (const conv of this.convs) h = tf.leakyRelu(conv.apply(h, options), 0.2);
      const flat = tf.reshape(h, [x.shape[0] as number, this.flat]);
      const score = this.out.apply(flat, options);
      return { score, features: tf.concat([flat, score], 1) };
    });
  }
}
