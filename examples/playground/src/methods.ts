/**
 * The transport methods the page can train with, each wired to the public API of its `@ot/*`
 * package. Particle methods hold the particles `[n, 2]` as a variable and take one Adam step of
 * the method's loss per step; W2GN instead trains a map ∇ψ (an ICNN) and shows the pushed-forward
 * initial particles.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@ot/core';
import { W2GN } from '@ot/icnn';
import { SemiDualTarget, VectorPotential, asgd, semiDualGeneratorStep } from '@ot/semidual';
import { LinearAmortizedSlicer, maxSlicedWasserstein, slicedWasserstein } from '@ot/sliced';

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
  /** Target cloud `[n, 2]`; owned by the caller. */
  target: tf.Tensor2D;
  params: Record<string, number>;
  seed: number;
}

export interface Trainer {
  /** One training step; returns the training loss. */
  step(): Promise<number>;
  /** Current particle positions `[n, 2]` (a tensor the caller disposes). */
  positions(): tf.Tensor2D;
  dispose(): void;
}

export interface MethodSpec {
  id: string;
  label: string;
  /** Where the loss comes from (shown on the page). */
  source: string;
  params: ParamSpec[];
  create(ctx: TrainContext): Trainer;
}

const lr = (value: number): ParamSpec => ({ key: 'lr', label: 'learning rate', min: 0.0001, max: 0.5, step: 0.0001, value });
const PROJ: ParamSpec = { key: 'L', label: 'projections L', min: 1, max: 1024, step: 1, value: 64 };
const T2: ParamSpec = { key: 't2', label: 'ascent steps T2', min: 1, max: 200, step: 1, value: 10 };
const SLICE_LR = (value: number): ParamSpec => ({ key: 'sliceLr', label: 'slice learning rate', min: 0.0001, max: 1, step: 0.0001, value });

const param = (ctx: TrainContext, p: ParamSpec): number => ctx.params[p.key] ?? p.value;

async function scalar(t: tf.Tensor | null): Promise<number> {
  if (t === null) return NaN;
  const v = (await t.data())[0] ?? NaN;
  t.dispose();
  return v;
}

/** A particle flow: Adam on the particle positions against a differentiable loss of them. */
function particleFlow(ctx: TrainContext, learningRate: number, loss: (x: tf.Tensor2D, step: number) => tf.Scalar, before?: (x: tf.Tensor2D, step: number) => void): Trainer {
  const n = ctx.particles.length / 2;
  const x = tf.variable(tf.tensor2d(ctx.particles, [n, 2]), true);
  const opt = tf.train.adam(learningRate);
  let k = 0;
  return {
    async step() {
      before?.(x, k);
      const value = opt.minimize(() => loss(x, k), true, [x]);
      k++;
      return scalar(value);
    },
    positions: () => tf.clone(x),
    dispose() {
      opt.dispose();
      x.dispose();
    },
  };
}

export const METHODS: MethodSpec[] = [
  {
    id: 'sw',
    label: 'Sliced Wasserstein (SW₂)',
    source: '@ot/sliced · slicedWasserstein',
    params: [lr(0.02), PROJ],
    create(ctx) {
      const L = Math.round(param(ctx, PROJ));
      return particleFlow(ctx, param(ctx, lr(0.02)), (x, k) => slicedWasserstein(x, ctx.target, { nProjections: L, seed: ctx.seed * 100_003 + k, validate: 'shapes' }));
    },
  },
  {
    id: 'max-sw',
    label: 'Max-sliced Wasserstein',
    source: '@ot/sliced · maxSlicedWasserstein',
    params: [lr(0.02), T2, SLICE_LR(0.05)],
    create(ctx) {
      const iterations = Math.round(param(ctx, T2));
      const sliceLr = param(ctx, SLICE_LR(0.05));
      return particleFlow(ctx, param(ctx, lr(0.02)), (x, k) => {
        const { value, direction } = maxSlicedWasserstein(x, ctx.target, { iterations, lr: sliceLr, seed: ctx.seed * 100_003 + k, validate: 'shapes' });
        direction.dispose();
        return value;
      });
    },
  },
  {
    id: 'la-sw',
    label: 'Linear amortized SW (LA-SW)',
    source: '@ot/sliced · LinearAmortizedSlicer',
    params: [lr(0.02), SLICE_LR(0.01)],
    create(ctx) {
      const n = ctx.particles.length / 2;
      const slicer = new LinearAmortizedSlicer(n, 2, { seed: ctx.seed, lr: param(ctx, SLICE_LR(0.01)), validate: 'shapes' });
      // Algorithm 3 of Nguyen & Ho (2022): one ascent step of the slicer on the detached batches,
      // then the particles' step along the slicer's direction, held fixed.
      const flow = particleFlow(
        ctx,
        param(ctx, lr(0.02)),
        (x) => slicer.loss(x, ctx.target, { detachDirections: true }),
        (x) => slicer.step(x, ctx.target).dispose(),
      );
      return { ...flow, dispose: () => (flow.dispose(), slicer.dispose()) };
    },
  },
  {
    id: 'semidual',
    label: 'Semi-dual OT (SDOT)',
    source: '@ot/semidual · semiDualGeneratorStep',
    params: [
      lr(0.02),
      { key: 'lambda', label: 'regularization λ', min: 0, max: 1, step: 0.001, value: 0.01 },
      { key: 'inner', label: 'inner ASGD steps K', min: 1, max: 100, step: 1, value: 10 },
      { key: 'gamma', label: 'ASGD step γ', min: 0.001, max: 10, step: 0.001, value: 1 },
    ],
    create(ctx) {
      const n = ctx.particles.length / 2;
      const x = tf.variable(tf.tensor2d(ctx.particles, [n, 2]), true);
      const target = new SemiDualTarget(ctx.target, { validate: 'shapes' });
      const potential = new VectorPotential(ctx.target.shape[0]);
      const optimizer = tf.train.adam(param(ctx, lr(0.02)));
      const innerSolver = asgd({ gamma: ctx.params['gamma'] ?? 1, batchSize: n, iterations: Math.round(ctx.params['inner'] ?? 10) });
      const rng = createRng(ctx.seed);
      return {
        async step() {
          // The "generator" is the particle cloud itself: g(z) = x for any latent batch.
          const { loss } = semiDualGeneratorStep({
            target,
            lambda: ctx.params['lambda'] ?? 0.01,
            potential,
            innerSolver,
            generator: () => tf.clone(x), // a fresh tensor: the step disposes what the generator returns
            generatorVariables: [x],
            optimizer,
            sampleLatent: (b) => tf.zeros([b, 1]),
            batchSize: n,
            seed: rng,
          });
          return loss;
        },
        positions: () => tf.clone(x),
        dispose() {
          optimizer.dispose();
          potential.dispose();
          target.dispose();
          x.dispose();
        },
      };
    },
  },
  {
    id: 'w2gn',
    label: 'W2GN (ICNN map)',
    source: '@ot/icnn · W2GN',
    params: [
      lr(0.003),
      { key: 'width', label: 'ICNN width', min: 4, max: 128, step: 1, value: 32 },
      { key: 'pretrain', label: 'identity pretraining steps', min: 0, max: 500, step: 1, value: 20 },
    ],
    create(ctx) {
      const n = ctx.particles.length / 2;
      const x0 = tf.tensor2d(ctx.particles, [n, 2]);
      const width = Math.round(ctx.params['width'] ?? 32);
      const w2gn = new W2GN({ icnn: { dim: 2, hidden: [width, width], strongConvexity: 0.05 }, lambda: 10, optimizer: { lr: param(ctx, lr(0.003)) }, seed: ctx.seed });
      const pretrain = Math.round(ctx.params['pretrain'] ?? 20);
      let k = 0;
      return {
        async step() {
          // First both maps are fitted to the identity (W2GN's pretraining), then ∇ψ learns to map
          // the initial particles (P) to the target (Q); the page shows ∇ψ(x0).
          k++;
          return k <= pretrain ? w2gn.pretrainStep(x0, ctx.target) : w2gn.step(x0, ctx.target).total;
        },
        positions: () => w2gn.map(x0),
        dispose() {
          w2gn.dispose();
          x0.dispose();
        },
      };
    },
  },
];

/**
 * The distance shown on the page for every method: SW_2 with 256 fixed directions between the
 * particles and the target, so runs of different methods are comparable.
 */
export async function monitorDistance(x: tf.Tensor2D, y: tf.Tensor2D, dirs: tf.Tensor2D): Promise<number> {
  return scalar(slicedWasserstein(x, y, { projections: dirs, validate: 'shapes' }));
}
