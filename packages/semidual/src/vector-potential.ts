/**
 * SDOT: the dual potential as a free vector ψ ∈ R^J over the support of ν (Genevay et al. 2016;
 * Houdard, Leclaire, Papadakis, Rabin, TMLR 2023).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkFinite, checkInteger, toFloatTensor, type TensorLike } from '@ot/core';
import type { DualPotential } from './potential.js';
import type { TargetView } from './target.js';

/**
 * ψ as a vector `[J]` held in a tf.Variable.
 *
 * @example
 * ```ts
 * const psi = new VectorPotential(60000); // zeros
 * const psi2 = new VectorPotential(tf.randomNormal([10]));
 * psi.dispose();
 * ```
 */
export class VectorPotential implements DualPotential {
  readonly kind = 'vector' as const;
  /** ψ `[J]`. */
  readonly psi: tf.Variable<tf.Rank.R1>;
  private disposed = false;

  /** @param init - the size J (zeros) or initial values `[J]` (copied). */
  constructor(init: number | TensorLike) {
    if (typeof init === 'number') {
      const J = checkInteger(init, 'size', 1);
      this.psi = tf.tidy(() => tf.variable(tf.zeros([J]), true) as tf.Variable<tf.Rank.R1>);
    } else {
      this.psi = tf.tidy(() => {
        const t = toFloatTensor(init, 'init', 1);
        checkFinite(t, 'init');
        return tf.variable(tf.clone(t), true) as tf.Variable<tf.Rank.R1>;
      });
    }
  }

  get size(): number {
    return this.psi.shape[0];
  }

  get variables(): readonly tf.Variable[] {
    this.check();
    return [this.psi];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private check(): void {
    if (this.disposed) throw new OTError('DISPOSED', 'this VectorPotential was disposed');
  }

  /** ψ `[J]` (the variable itself; J must match the target). */
  values(target: TargetView): tf.Tensor1D {
    this.check();
    if (target.size !== this.size) {
      throw new OTError('SHAPE_MISMATCH', `VectorPotential has ${this.size} entries but the target has ${target.size} points`);
    }
    return this.psi;
  }

  clone(): VectorPotential {
    this.check();
    return new VectorPotential(this.psi);
  }

  assign(other: DualPotential): void {
    this.check();
    if (!(other instanceof VectorPotential) || other.size !== this.size) {
      throw new OTError('INVALID_ARGUMENT', `assign needs a VectorPotential of size ${this.size}`);
    }
    this.psi.assign(other.psi);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.psi.dispose();
  }
}
