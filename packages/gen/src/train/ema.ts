/**
 * Exponential moving average of a generator's weights (Yazıcı et al., *The unusual effectiveness of
 * averaging in GAN training*, ICLR 2019; decay 0.999 in the amortized-SW CIFAR-10 runs): a shadow
 * model of the same architecture with θ̄ ← decay·θ̄ + (1 − decay)·θ after each step; buffers
 * (batch-norm statistics) are copied.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkNumber } from '@ot/core';
import type { Module } from '../models/module.js';

export class Ema<M extends Module> {
  readonly decay: number;

  /**
   * @param source - the trained model
   * @param shadow - a freshly built model of the same architecture (owned by the Ema from now on)
   */
  constructor(
    private readonly source: M,
    readonly shadow: M,
    decay = 0.999,
  ) {
    this.decay = checkNumber(decay, 'decay', (x) => x >= 0 && x < 1, 'in [0, 1)');
    if (source.trainableVariables().length !== shadow.trainableVariables().length) {
      throw new OTError('SHAPE_MISMATCH', 'the EMA shadow model must have the same architecture as the source');
    }
    source.copyTo(shadow);
  }

  update(): void {
    const src = this.source.trainableVariables();
    const dst = this.shadow.trainableVariables();
    tf.tidy(() => {
      src.forEach((s, i) => {
        const d = dst[i] as tf.Variable;
        d.assign(tf.add(tf.mul(d, this.decay), tf.mul(s, 1 - this.decay)));
      });
    });
    this.shadow.copyBuffersFrom(this.source);
  }

  dispose(): void {
    this.shadow.dispose();
  }
}
