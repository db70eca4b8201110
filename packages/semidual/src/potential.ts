/**
 * Dual potentials ψ on the support of the target measure ν, as optimized by the semi-dual solvers:
 * a free vector (SDOT, {@link VectorPotential}) or a neural network evaluated at the support points
 * (SDOTNN, {@link MlpPotential}) — Houdard, Leclaire, Papadakis, Rabin (TMLR 2023).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TargetView } from './target.js';

/** A trainable dual potential ψ. Owns tf.Variables: call `dispose()`. */
export interface DualPotential {
  /** `'vector'` (SDOT) or `'mlp'` (SDOTNN). */
  readonly kind: 'vector' | 'mlp';
  /** The trainable variables (ascent is taken on these). */
  readonly variables: readonly tf.Variable[];
  /** ψ at the target support → `[J]` (differentiable w.r.t. {@link DualPotential.variables}). */
  values(target: TargetView): tf.Tensor1D;
  /** A deep copy with its own variables. */
  clone(): DualPotential;
  /** Copies `other`'s variable values into this one (same architecture). */
  assign(other: DualPotential): void;
  readonly isDisposed: boolean;
  dispose(): void;
}
