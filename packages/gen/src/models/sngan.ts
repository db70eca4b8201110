/**
 * SNGAN ResNet generator and discriminator (Miyato et al., ICLR 2018, appendix B.4, the CIFAR-10
 * architecture used by the amortized-SW paper): generator blocks BN → ReLU → upsample ×2 → conv3 →
 * BN → ReLU → conv3 with a 1×1 upsampled shortcut; discriminator blocks with spectrally normalized
 * convolutions and 2×2 average-pool downsampling, an optimized first block, ReLU, global sum pooling
 * and a spectrally normalized linear output. Width `ch` (the paper: 256 for G and 128 for D).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, toRng, type Seed } from '@ot/core';
import { NetModule, type Layer } from './net.js';
import { downsample2x, upsample2x } from './layers.js';
import type { Critic, ForwardOptions, Generator } from './module.js';

export interface SnganOptions {
  imageSize: 28 | 32;
  channels: number;
  /** Latent size (default 128). */
  latentDim?: number;
  /** Feature width (default 128). */
  ch?: number;
  seed?: Seed;
}

function checkSize(s: unknown): 28 | 32 {
  if (s !== 28 && s !== 32) throw new OTError('INVALID_ARGUMENT', `imageSize must be 28 or 32, got ${String(s)}`);
  return s;
}

/** @example `new SnganGenerator({ imageSize: 32, channels: 3, ch: 64 }).forward(z)` → `[b, 32, 32, 3]` */
export class SnganGenerator extends NetModule implements Generator {
  readonly latentDim: number;
  readonly outputShape: readonly number[];
  private readonly base: number;
  private readonly ch: number;
  private readonly fc: Layer;
  private readonly blocks: Array<{ bn1: Layer; c1: Layer; bn2: Layer; c2: Layer; sc: Layer }> = [];
  private readonly bnOut: Layer;
  private readonly convOut: Layer;

  constructor(options: SnganOptions) {
    super();
    const size = checkSize(options.imageSize);
    const c = checkInteger(options.channels, 'channels');
    this.latentDim = checkInteger(options.latentDim ?? 128, 'latentDim');
    this.ch = checkInteger(options.ch ?? 128, 'ch');
    this.outputShape = [size, size, c];
    this.base = size === 28 ? 7 : 4;
    const rng = toRng(options.seed ?? 0);
    this.fc = this.dense('fc', this.latentDim, this.base * this.base * this.ch, rng);
    const nBlocks = size === 28 ? 2 : 3;
    for (let i = 0; i < nBlocks; i++) {
      this.blocks.push({
        bn1: this.batchNorm(`b${i}.bn1`, this.ch),
        c1: this.conv(`b${i}.c1`, 3, this.ch, this.ch, rng),
        bn2: this.batchNorm(`b${i}.bn2`, this.ch),
        c2: this.conv(`b${i}.c2`, 3, this.ch, this.ch, rng),
        sc: this.conv(`b${i}.sc`, 1, this.ch, this.ch, rng),
      });
    }
    this.bnOut = this.batchNorm('out.bn', this.ch);
    this.convOut = this.conv('out.conv', 3, this.ch, c, rng);
  }

  forward(z: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    this.checkAlive();
    if (z.rank !== 2 || z.shape[1] !== this.latentDim) throw new OTError('INVALID_SHAPE', `z must be [b, ${this.latentDim}], got [${z.shape}]`);
    return tf.tidy(() => {
      let h = tf.reshape(this.fc.apply(z), [z.shape[0] as number, this.base, this.base, this.ch]) as tf.Tensor4D;
      for (const b of this.blocks) {
        let r = tf.relu(b.bn1.apply(h, options)) as tf.Tensor4D;
        r = upsample2x(r);
        r = b.c1.apply(r) as tf.Tensor4D;
        r = b.c2.apply(tf.relu(b.bn2.apply(r, options))) as tf.Tensor4D;
        h = tf.add(r, b.sc.apply(upsample2x(h))) as tf.Tensor4D;
      }
      return tf.tanh(this.convOut.apply(tf.relu(this.bnOut.apply(h, options))));
    });
  }
}

/** SNGAN ResNet discriminator; features = the last block's sum-pooled features ⊕ the score. */
export class SnganDiscriminator extends NetModule implements Critic {
  private readonly blocks: Array<{ c1: Layer; c2: Layer; sc: Layer; down: boolean; first: boolean }> = [];
  private readonly out: Layer;
  private readonly ch: number;

  constructor(options: SnganOptions) {
    super();
    checkSize(options.imageSize);
    const c = checkInteger(options.channels, 'channels');
    this.ch = checkInteger(options.ch ?? 128, 'ch');
    const rng = toRng(options.seed ?? 0);
    const sn = { sn: true };
    const downs = [true, true, false, false];
    downs.forEach((down, i) => {
      const cin = i === 0 ? c : this.ch;
      this.blocks.push({
        c1: this.conv(`b${i}.c1`, 3, cin, this.ch, rng, sn),
        c2: this.conv(`b${i}.c2`, 3, this.ch, this.ch, rng, sn),
        sc: this.conv(`b${i}.sc`, 1, cin, this.ch, rng, sn),
        down,
        first: i === 0,
      });
    });
    this.out = this.dense('out', this.ch, 1, rng, sn);
  }

  forwardWithFeatures(x: tf.Tensor, options: ForwardOptions = {}): { score: tf.Tensor; features: tf.Tensor } {
    this.checkAlive();
    return tf.tidy(() => {
      let h = x as tf.Tensor4D;
      for (const b of this.blocks) {
        let r = b.first ? h : (tf.relu(h) as tf.Tensor4D);
        r = b.c1.apply(r, options) as tf.Tensor4D;
        r = b.c2.apply(tf.relu(r), options) as tf.Tensor4D;
        let s = h;
        if (b.first) {
          // Optimized block: shortcut = conv1×1(avgpool(x)).
          if (b.down) r = downsample2x(r);
          s = b.sc.apply(b.down ? downsample2x(h) : h, options) as tf.Tensor4D;
        } else {
          if (b.down) r = downsample2x(r);
          s = b.sc.apply(h, options) as tf.Tensor4D;
          if (b.down) s = downsample2x(s);
        }
        h = tf.add(r, s) as tf.Tensor4D;
      }
      const pooled = tf.sum(tf.relu(h), [1, 2]);
      const score = this.out.apply(pooled, options);
      return { score, features: tf.concat([pooled, score], 1) };
    });
  }
}
