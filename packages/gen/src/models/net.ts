/**
 * Parameterized layers for the models: dense, conv, transposed conv, batch norm, and spectral
 * normalization (Miyato, Kataoka, Koyama, Yoshida, *Spectral normalization for generative
 * adversarial networks*, ICLR 2018): W_SN = W / σ(W), σ estimated by one power-iteration step per
 * training step, with the vectors u, v held as buffers (constants for the gradient, as in the paper).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@ot/core';
import { Module, type ForwardOptions } from './module.js';
import { batchNormEval, batchNormTrain, linear } from './layers.js';

export interface Layer {
  apply(x: tf.Tensor, options?: ForwardOptions): tf.Tensor;
}

function l2normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x), 1e-12));
}

/** A module that builds layers from named variables and runs spectral-norm power iterations. */
export abstract class NetModule extends Module {
  private readonly powerIterations: Array<() => void> = [];

  /** Runs one power-iteration step for every spectrally normalized layer (outside any gradient tape). */
  prepareStep(): void {
    for (const f of this.powerIterations) f();
  }

  /** `W / σ(W)` for a weight reshaped as `[fanIn, fanOut]`, or W itself. */
  private spectral(name: string, w: tf.Variable, fanIn: number, fanOut: number, rng: Rng): () => tf.Tensor {
    const seed = rng.nextSeed();
    const u = this.addVariable(`${name}.sn_u`, tf.tidy(() => l2normalize(tf.randomNormal([1, fanOut], 0, 1, 'float32', seed))), false);
    const v = this.addVariable(`${name}.sn_v`, tf.zeros([1, fanIn]), false);
    const step = () =>
      tf.tidy(() => {
        const mat = tf.reshape(w, [fanIn, fanOut]);
        const vNew = l2normalize(tf.matMul(u, tf.transpose(mat)));
        const uNew = l2normalize(tf.matMul(vNew, mat));
        v.assign(vNew);
        u.assign(uNew);
      });
    step();
    this.powerIterations.push(step);
    return () => {
      const sigma = tf.sum(tf.mul(linear(v, tf.reshape(w, [fanIn, fanOut])), u));
      return tf.div(w, sigma);
    };
  }

  protected dense(name: string, inDim: number, outDim: number, rng: Rng, opts: { sn?: boolean; bias?: boolean } = {}): Layer {
    const w = this.glorot(`${name}.w`, [inDim, outDim], inDim, outDim, rng);
    const b = opts.bias === false ? undefined : this.zeros(`${name}.b`, [outDim]);
    const weight = opts.sn === true ? this.spectral(name, w, inDim, outDim, rng) : () => w;
    return { apply: (x) => linear(x, weight(), b) };
  }

  protected conv(
    name: string,
    k: number,
    cin: number,
    cout: number,
    rng: Rng,
    opts: { stride?: number; sn?: boolean; bias?: boolean; pad?: 'same' | 'valid' } = {},
  ): Layer {
    const w = this.glorot(`${name}.w`, [k, k, cin, cout], k * k * cin, k * k * cout, rng);
    const b = opts.bias === false ? undefined : this.zeros(`${name}.b`, [cout]);
    const weight = opts.sn === true ? this.spectral(name, w, k * k * cin, cout, rng) : () => w;
    const stride = opts.stride ?? 1;
    return {
      apply: (x) => {
        const y = tf.conv2d(x as tf.Tensor4D, weight() as tf.Tensor4D, stride, opts.pad ?? 'same');
        return b === undefined ? y : tf.add(y, b);
      },
    };
  }

  /** Transposed convolution with stride 2 ('same' padding): `[b, h, w, cin]` → `[b, 2h, 2w, cout]`. */
  protected convTranspose(name: string, k: number, cin: number, cout: number, rng: Rng, opts: { bias?: boolean } = {}): Layer {
    const w = this.glorot(`${name}.w`, [k, k, cout, cin], k * k * cin, k * k * cout, rng);
    const b = opts.bias === false ? undefined : this.zeros(`${name}.b`, [cout]);
    return {
      apply: (x) => {
        const [n, h, wd] = x.shape as [number, number, number, number];
        const y = tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [n, 2 * h, 2 * wd, cout], 2, 'same');
        return b === undefined ? y : tf.add(y, b);
      },
    };
  }

  /** Batch norm over all axes but the last, with running statistics (momentum 0.1, as PyTorch). */
  protected batchNorm(name: string, c: number): Layer {
    const gamma = this.ones(`${name}.gamma`, [c]);
    const beta = this.zeros(`${name}.beta`, [c]);
    const runMean = this.zeros(`${name}.running_mean`, [c], false);
    const runVar = this.ones(`${name}.running_var`, [c], false);
    return {
      apply: (x, o) => {
        if (o?.training === true) {
          const { y, mean, variance } = batchNormTrain(x, gamma, beta);
          this.queueUpdate(runMean, tf.add(tf.mul(runMean, 0.9), tf.mul(mean, 0.1)));
          this.queueUpdate(runVar, tf.add(tf.mul(runVar, 0.9), tf.mul(variance, 0.1)));
          return y;
        }
        return batchNormEval(x, runMean, runVar, gamma, beta);
      },
    };
  }
}
