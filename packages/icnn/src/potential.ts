/**
 * The contract shared by every potential in `@ot/icnn` (DenseICNN, ConvICNN, MlpPotential):
 * a scalar function ψ: R^d → R with its gradient map ∇ψ, written as ordinary tensor ops so that
 * training can differentiate through `push` (W2GN's objective and the cycle losses are functions
 * of ∇ψ). Brenier: for a convex ψ, ∇ψ is the optimal W2 map from P to (∇ψ)#P.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, customGrad2, randomNormal, toFloatTensor, type Rng, type TensorLike } from '@ot/core';

/** Activations of the hidden layers (convex and nondecreasing, as an ICNN needs). */
export type Activation = 'celu' | 'softplus' | 'relu';
export const ACTIVATIONS: readonly Activation[] = ['celu', 'softplus', 'relu'];

/** How nonnegative weights are kept nonnegative. */
export type Positivity = 'clamp' | 'softplus';
export const POSITIVITIES: readonly Positivity[] = ['clamp', 'softplus'];

/** ψ(x) and ∇ψ(x) computed in one pass. */
export interface ValueAndGrad {
  /** ψ(x), `[n]`. */
  readonly value: tf.Tensor1D;
  /** ∇ψ(x), `[n, d]`. */
  readonly grad: tf.Tensor2D;
}

/** A differentiable scalar potential on R^d. */
export interface Potential {
  /** Input dimension d. */
  readonly dim: number;
  /** The variables a trainer optimizes. */
  readonly trainableVariables: tf.Variable[];
  /** ψ(x): `[n, d]` → `[n]`. */
  value(x: TensorLike): tf.Tensor1D;
  /** ∇ψ(x): `[n, d]` → `[n, d]`; differentiable w.r.t. the variables. */
  push(x: TensorLike): tf.Tensor2D;
  /** ψ(x) and ∇ψ(x) together (one forward and one backward pass). */
  valueAndGrad(x: TensorLike): ValueAndGrad;
  /** Restores the constraints after an optimizer step (clamping; a no-op when not needed). */
  convexify(): void;
  /** Frees the variables. */
  dispose(): void;
  /** True after `dispose()`. */
  readonly isDisposed: boolean;
}

/**
 * Scalar activation σ as a differentiable tensor op. CELU with α = 1 is ELU (z for z > 0,
 * e^z − 1 otherwise): one fused kernel, several times faster on wasm than its four-op spelling.
 */
export function activate(name: Activation, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'celu':
      return tf.elu(z);
    case 'softplus':
      return tf.softplus(z);
    case 'relu':
      return tf.relu(z);
  }
}

/** σ'(z) for {@link activate} (for small tensors; {@link backpropActivation} is the fast path). */
export function activateDeriv(name: Activation, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'celu':
      return tf.exp(tf.minimum(z, 0));
    case 'softplus':
      return tf.sigmoid(z);
    case 'relu':
      return tf.step(z);
  }
}

/**
 * g ⊙ ELU'(z) from h = ELU(z), by tfjs's fused `EluGrad` kernel (g·(h + 1) where h < 0, g elsewhere),
 * differentiable w.r.t. g and h: ∂/∂g = ELU'(z), ∂/∂h = g·[h < 0], which composed with h = ELU(z)
 * gives g·ELU''(z). (EluGrad has no gradient of its own in tfjs.)
 */
const eluBackprop = customGrad2((g: tf.Tensor, h: tf.Tensor, save: tf.GradSaveFunc) => {
  save([g, h]);
  return {
    value: tf.engine().runKernel('EluGrad', { dy: g, y: h }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [gs, hs] = saved as [tf.Tensor, tf.Tensor];
      return [tf.engine().runKernel('EluGrad', { dy, y: hs }) as tf.Tensor, tf.mul(tf.mul(dy, gs), tf.step(tf.neg(hs)))];
    },
  };
});

/**
 * The backward step through an activation: g ⊙ σ'(z), given z and h = σ(z) (`g`, `z`, `h` of one
 * shape), differentiable w.r.t. g, z and h (potentials' gradient maps are trained through it).
 */
export function backpropActivation(name: Activation, g: tf.Tensor, z: tf.Tensor, h: tf.Tensor): tf.Tensor {
  return name === 'celu' ? eluBackprop(g, h) : tf.mul(g, activateDeriv(name, z));
}

/** softplus⁻¹(w) = log(e^w − 1), for w > 0 (w is floored at `floor`). */
export function inverseSoftplus(w: number, floor = 1e-6): number {
  const v = Math.max(w, floor);
  return v > 20 ? v : Math.log(Math.expm1(v));
}

/** Converts and checks a batch `[n, dim]` for a potential of dimension `dim`. */
export function toBatch(x: TensorLike, dim: number, name = 'x'): tf.Tensor2D {
  const t = toFloatTensor(x, name, 2) as tf.Tensor2D;
  if (t.shape[1] !== dim) {
    throw new OTError('SHAPE_MISMATCH', `${name} must be [n, ${dim}], got [${t.shape.join(', ')}]`, { name, shape: t.shape, dim });
  }
  return t;
}

/** Throws `DISPOSED` when an object was disposed. */
export function assertAlive(disposed: boolean, what: string): void {
  if (disposed) throw new OTError('DISPOSED', `${what} was used after dispose()`);
}

/** Checks a list of positive integers (layer sizes). */
export function checkSizes(v: unknown, name: string): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => Number.isInteger(s) && (s as number) >= 1)) {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a non-empty array of integers ≥ 1, got ${JSON.stringify(v)}`, { name });
  }
  return v as number[];
}

/**
 * `a @ b` whose gradient transposes explicitly (wasm's matMul with transpose flags is very slow,
 * and tfjs's own matMul gradient uses them).
 */
export const mm = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Nested array → Float32Array with a shape check (for weight loading). */
export function flatWeights(v: unknown, shape: readonly number[], name: string): Float32Array {
  const out: number[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) {
        throw new OTError('INVALID_ARGUMENT', `weight ${name} holds a non-finite or non-numeric entry`, { name });
      }
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new OTError('SHAPE_MISMATCH', `weight ${name} must have shape [${shape.join(', ')}]`, { name, shape });
    }
    for (const c of node) walk(c, depth + 1);
  };
  if (v instanceof tf.Tensor) {
    if (v.shape.join() !== shape.join()) {
      throw new OTError('SHAPE_MISMATCH', `weight ${name} must have shape [${shape.join(', ')}], got [${v.shape.join(', ')}]`, { name });
    }
    return Float32Array.from(v.dataSync());
  }
  walk(v, 0);
  return Float32Array.from(out);
}

/** Float32Array of `shape` (row-major) → nested arrays. */
export function nest(data: ArrayLike<number>, shape: readonly number[]): unknown {
  const build = (offset: number, depth: number): unknown => {
    if (depth === shape.length) return data[offset];
    const n = shape[depth] as number;
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return build(0, 0);
}

/** Runs `fn` in a tidy scope whose result holds no tensors (numbers, typed arrays): every tensor `fn` creates is freed. */
export function scoped<T>(fn: () => T): T {
  const engine = tf.engine();
  engine.startScope();
  try {
    return fn();
  } finally {
    engine.endScope();
  }
}

/** How an MLP's weights start (the `init` option of `MlpPotential` and `Amortizer`). */
export type MlpInit = 'identity' | 'lecun';
export const MLP_INITS: readonly MlpInit[] = ['identity', 'lecun'];

/**
 * One dense layer's weight `[fanIn, fanOut]`: zero for an identity-start output layer, else LeCun
 * normal — untruncated N(0, 1/fanIn) for `'identity'` (as before), flax's `lecun_normal`
 * (truncated at ±2σ, σ rescaled so the variance is 1/fanIn) for `'lecun'`.
 */
export function initDense(fanIn: number, fanOut: number, init: MlpInit, isOutput: boolean, rng: Rng): tf.Tensor2D {
  if (init === 'identity') return isOutput ? tf.zeros([fanIn, fanOut]) : (tf.mul(randomNormal([fanIn, fanOut], rng), Math.sqrt(1 / fanIn)) as tf.Tensor2D);
  return tf.truncatedNormal([fanIn, fanOut], 0, Math.sqrt(1 / fanIn) / 0.8796256610342398, 'float32', rng.nextSeed());
}

/**
 * The variables of a dense stack through `sizes` (`sizes[0]` inputs, `sizes.at(-1)` outputs): one
 * weight [sizes[i], sizes[i+1]] per layer from {@link initDense} (the last one is the output layer),
 * biases zero.
 */
export function initDenseLayers(sizes: readonly number[], init: MlpInit, rng: Rng): { weights: tf.Variable[]; biases: tf.Variable[] } {
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  tf.tidy(() => {
    for (let i = 0; i + 1 < sizes.length; i++) {
      const [a, b] = [sizes[i] as number, sizes[i + 1] as number];
      weights.push(tf.variable(initDense(a, b, init, i + 2 === sizes.length, rng)));
      biases.push(tf.variable(tf.zeros([b])));
    }
  });
  return { weights, biases };
}
