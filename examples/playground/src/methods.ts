/**
 * The transport methods the page can train with. Each wraps the public API of an `@ot/*` package
 * into a particle flow: particles `[n, 2]` are a variable, one step is one optimizer update of the
 * method's loss between the particles and the target cloud.
 */
import * as tf from '@tensorflow/tfjs-core';
import { project, randomDirections, wasserstein1d } from '@ot/core';

export interface ParamSpec {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
}

export interface TrainContext {
  /** Initial particles, `[n, 2]` row-major. */
  particles: Float32Array;
  /** Target cloud `[m, 2]`; owned by the caller. */
  target: tf.Tensor2D;
  params: Record<string, number>;
  seed: number;
}

export interface Trainer {
  /** One optimizer step; returns the training loss. */
  step(): number | Promise<number>;
  /** Current particle positions `[n, 2]` (a tensor the caller disposes). */
  positions(): tf.Tensor2D;
  dispose(): void;
}

export interface MethodSpec {
  id: string;
  label: string;
  /** Which package the loss comes from (shown on the page). */
  source: string;
  params: ParamSpec[];
  create(ctx: TrainContext): Trainer;
}

const LR: ParamSpec = { key: 'lr', label: 'learning rate', min: 0.001, max: 0.2, step: 0.001, value: 0.02 };
const PROJ: ParamSpec = { key: 'L', label: 'projections L', min: 1, max: 512, step: 1, value: 64 };

/** A particle flow: Adam on the particle positions against a differentiable loss. */
export function particleFlow(ctx: TrainContext, loss: (x: tf.Tensor2D, step: number) => tf.Scalar): Trainer {
  const n = ctx.particles.length / 2;
  const x = tf.variable(tf.tensor2d(ctx.particles, [n, 2]), true);
  const opt = tf.train.adam(ctx.params['lr'] ?? LR.value);
  let k = 0;
  return {
    async step() {
      const value = opt.minimize(() => loss(x, k), true, [x]);
      k++;
      const v = value === null ? NaN : (await value.data())[0] ?? NaN;
      value?.dispose();
      return v;
    },
    positions: () => tf.clone(x) as tf.Tensor2D,
    dispose() {
      opt.dispose();
      x.dispose();
    },
  };
}

/**
 * SW_2^2 between two clouds from `@ot/core`'s building blocks: random directions, Radon
 * projections, exact 1D OT per direction, averaged.
 */
export function sw2Squared(x: tf.Tensor2D, y: tf.Tensor2D, dirs: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(wasserstein1d(project(x, dirs), project(y, dirs), { p: 2 })) as tf.Scalar);
}

export const METHODS: MethodSpec[] = [
  {
    id: 'sw',
    label: 'Sliced Wasserstein (SW₂)',
    source: '@ot/core',
    params: [LR, PROJ],
    create(ctx) {
      const L = Math.round(ctx.params['L'] ?? PROJ.value);
      return particleFlow(ctx, (x, k) => {
        const dirs = randomDirections(2, L, { seed: ctx.seed * 100_003 + k });
        return sw2Squared(x, ctx.target, dirs);
      });
    },
  },
];

/**
 * The distance shown on the page for every method: SW_2 with 256 fixed directions between the
 * particles and the target, so runs of different methods are comparable.
 */
export async function monitorDistance(x: tf.Tensor2D, y: tf.Tensor2D, dirs: tf.Tensor2D): Promise<number> {
  const s = sw2Squared(x, y, dirs);
  const v = Math.sqrt(Math.max(0, (await s.data())[0] ?? NaN));
  s.dispose();
  return v;
}
