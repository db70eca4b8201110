/**
 * SDOTNN: the dual potential as a multilayer perceptron ψ_θ : R^d → R evaluated at the support
 * points of ν (Houdard, Leclaire, Papadakis, Rabin, TMLR 2023, the "SDOTNN" variant). Plain
 * tf.Variables, no tfjs-layers dependency.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkChoice, checkInteger, toRng, type Seed } from '@ot/core';
import type { DualPotential } from './potential.js';
import type { TargetView } from './target.js';

export type MlpActivation = 'relu' | 'leakyRelu' | 'softplus' | 'tanh' | 'elu';
const ACTIVATIONS: readonly MlpActivation[] = ['relu', 'leakyRelu', 'softplus', 'tanh', 'elu'];

export interface MlpPotentialOptions {
  /** Input dimension d. */
  inputDim: number;
  /** Hidden layer widths (default [256, 256]). */
  hidden?: readonly number[];
  /** Hidden activation (default `'leakyRelu'`, slope 0.2). */
  activation?: MlpActivation;
  /** Seed of the (He-uniform) initialization. */
  seed?: Seed;
  /** Rows evaluated per forward chunk in {@link MlpPotential.values} (default 16384). */
  chunkSize?: number;
}

function activate(x: tf.Tensor, kind: MlpActivation): tf.Tensor {
  switch (kind) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2);
    case 'softplus':
      return tf.softplus(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
  }
}

/**
 * ψ_θ(y) = W_L σ(… σ(W_1 y + b_1) …) + b_L, a scalar network of the target points.
 *
 * @example
 * ```ts
 * const psi = new MlpPotential({ inputDim: 784, hidden: [512, 256], seed: 0 });
 * const values = psi.values(target); // [J]
 * psi.dispose();
 * ```
 */
export class MlpPotential implements DualPotential {
  readonly kind = 'mlp' as const;
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly activation: MlpActivation;
  readonly chunkSize: number;
  private readonly weights: tf.Variable[];
  private disposed = false;

  constructor(options: MlpPotentialOptions, weights?: readonly tf.Tensor[]) {
    if (options === null || typeof options !== 'object') throw new OTError('INVALID_ARGUMENT', 'MlpPotential needs options { inputDim, ... }');
    this.inputDim = checkInteger(options.inputDim, 'inputDim', 1);
    this.hidden = Object.freeze([...(options.hidden ?? [256, 256])].map((h, i) => checkInteger(h, `hidden[${i}]`, 1)));
    this.activation = checkChoice(options.activation ?? 'leakyRelu', 'activation', ACTIVATIONS);
    this.chunkSize = checkInteger(options.chunkSize ?? 16384, 'chunkSize', 1);
    const sizes = [this.inputDim, ...this.hidden, 1];
    if (weights !== undefined) {
      this.weights = weights.map((w) => tf.tidy(() => tf.variable(tf.clone(w), true)));
      return;
    }
    const rng = toRng(options.seed);
    this.weights = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l] as number;
      const fanOut = sizes[l + 1] as number;
      const limit = Math.sqrt(6 / fanIn);
      const seed = rng.nextSeed();
      this.weights.push(tf.tidy(() => tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', seed), true)));
      this.weights.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true)));
    }
  }

  get variables(): readonly tf.Variable[] {
    this.check();
    return this.weights;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private check(): void {
    if (this.disposed) throw new OTError('DISPOSED', 'this MlpPotential was disposed');
  }

  /** ψ_θ at arbitrary points `[n, d]` → `[n]`. */
  apply(y: tf.Tensor2D): tf.Tensor1D {
    this.check();
    if (y.rank !== 2 || y.shape[1] !== this.inputDim) {
      throw new OTError('SHAPE_MISMATCH', `MlpPotential expects [n, ${this.inputDim}] inputs, got [${y.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      let h: tf.Tensor = y;
      const layers = this.weights.length / 2;
      for (let l = 0; l < layers; l++) {
        h = tf.add(tf.matMul(h, this.weights[2 * l] as tf.Tensor), this.weights[2 * l + 1] as tf.Tensor);
        if (l + 1 < layers) h = activate(h, this.activation);
      }
      return tf.reshape(h, [-1]) as tf.Tensor1D;
    });
  }

  /** ψ_θ at the target support → `[J]`, evaluated in chunks of rows. */
  values(target: TargetView): tf.Tensor1D {
    this.check();
    return tf.tidy(() => {
      const parts = target.chunks.map((c) => this.apply(c.y));
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor1D;
    });
  }

  clone(): MlpPotential {
    this.check();
    return new MlpPotential(
      { inputDim: this.inputDim, hidden: this.hidden, activation: this.activation, chunkSize: this.chunkSize },
      this.weights,
    );
  }

  assign(other: DualPotential): void {
    this.check();
    if (
      !(other instanceof MlpPotential) ||
      other.inputDim !== this.inputDim ||
      other.hidden.length !== this.hidden.length ||
      other.hidden.some((h, i) => h !== this.hidden[i])
    ) {
      throw new OTError('INVALID_ARGUMENT', 'assign needs an MlpPotential of the same architecture');
    }
    other.weights.forEach((w, i) => (this.weights[i] as tf.Variable).assign(w));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.weights);
  }
}
