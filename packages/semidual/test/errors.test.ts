import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import { describeWithBackends } from '@ot/test-utils';
import { expect, it } from 'vitest';
import {
  MlpPotential,
  SemiDualTarget,
  VectorPotential,
  adam,
  asgd,
  cTransform,
  semiDualGeneratorStep,
  semiDualObjective,
  semiDualProblem,
  sinkhorn,
  sinkhornDivergence,
} from '../src/index.js';

const X = [
  [0, 0],
  [1, 1],
];
const Y = [
  [1, 0],
  [0, 1],
  [2, 2],
];
const psi = [0, 0, 0];
const M = [
  [1, 2],
  [3, 4],
];

function expectOTError(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    const r = fn() as { dispose?: () => void } | undefined;
    r?.dispose?.();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected OTError ${code}`).toBeInstanceOf(OTError);
  expect((caught as OTError).code).toBe(code);
  expect((caught as OTError).message.length).toBeGreaterThan(20);
}

describeWithBackends('bad inputs → OTError', () => {
  const cases: [string, () => unknown, string][] = [
    ['cTransform: negative lambda', () => cTransform(psi, X, Y, { lambda: -1 }), 'INVALID_ARGUMENT'],
    ['cTransform: NaN lambda', () => cTransform(psi, X, Y, { lambda: Number.NaN }), 'INVALID_ARGUMENT'],
    ['cTransform: psi of the wrong length', () => cTransform([0, 0], X, Y), 'SHAPE_MISMATCH'],
    ['cTransform: X and Y of different d', () => cTransform(psi, [[0, 0, 0]], Y), 'SHAPE_MISMATCH'],
    ['cTransform: X of rank 1', () => cTransform(psi, [0, 0], Y), 'INVALID_SHAPE'],
    ['cTransform: empty X', () => cTransform(psi, [[]] as never, Y), 'EMPTY_INPUT'],
    ['cTransform: NaN in X', () => cTransform(psi, [[Number.NaN, 0]], Y), 'NON_FINITE'],
    ['cTransform: Inf in psi', () => cTransform([0, Infinity, 0], X, Y), 'NON_FINITE'],
    ['cTransform: int32 X', () => {
        const t = tf.tensor2d([[0, 0]], undefined, 'int32');
        try {
          return cTransform(psi, t, Y);
        } finally {
          t.dispose();
        }
      },
      'INVALID_DTYPE'],
    ['cTransform: nu not summing to 1', () => cTransform(psi, X, Y, { nu: [0.5, 0.5, 0.5] }), 'INVALID_WEIGHTS'],
    ['cTransform: negative nu', () => cTransform(psi, X, Y, { nu: [1.5, -0.5, 0] }), 'INVALID_WEIGHTS'],
    ['cTransform: chunkSize 0', () => cTransform(psi, X, Y, { chunkSize: 0 }), 'INVALID_ARGUMENT'],
    ['cTransform: unknown cost', () => cTransform(psi, X, Y, { cost: 'l1' as never }), 'INVALID_ARGUMENT'],
    ['cTransform: disposed X', () => { const t = tf.tensor2d(X); t.dispose(); return cTransform(psi, t, Y); }, 'DISPOSED'],
    ['cTransform: normalized cost with all-zero targets', () => cTransform([0], X, [[0, 0]], { cost: 'normalized-sqeuclidean' }), 'INVALID_ARGUMENT'],
    ['semiDualObjective: mu of the wrong length', () => semiDualObjective(psi, X, Y, { mu: [1] }), 'SHAPE_MISMATCH'],
    ['SemiDualTarget: used after dispose', () => { const t = new SemiDualTarget(Y); t.dispose(); return cTransform(psi, X, t); }, 'DISPOSED'],
    ['VectorPotential: size 0', () => new VectorPotential(0), 'INVALID_ARGUMENT'],
    ['VectorPotential: used after dispose', () => { const p = new VectorPotential(3); p.dispose(); return p.variables; }, 'DISPOSED'],
    ['MlpPotential: fractional hidden width', () => new MlpPotential({ inputDim: 2, hidden: [2.5] }), 'INVALID_ARGUMENT'],
    ['MlpPotential: unknown activation', () => new MlpPotential({ inputDim: 2, activation: 'gelu' as never }), 'INVALID_ARGUMENT'],
    ['asgd: gamma ≤ 0', () => asgd({ gamma: 0, iterations: 10 }), 'INVALID_ARGUMENT'],
    ['asgd: alpha > 1', () => asgd({ gamma: 1, alpha: 2, iterations: 10 }), 'INVALID_ARGUMENT'],
    ['asgd: iterations 0', () => asgd({ gamma: 1, iterations: 0 }), 'INVALID_ARGUMENT'],
    ['adam: beta1 = 1', () => adam({ beta1: 1, iterations: 10 }), 'INVALID_ARGUMENT'],
    ['semiDualProblem: source and target of different d', () => semiDualProblem({ source: [[0, 0, 0]], target: Y }), 'SHAPE_MISMATCH'],
    ['semiDualProblem: sourceWeights with a sampler', () => semiDualProblem({ source: () => tf.zeros([1, 2]) as tf.Tensor2D, sourceWeights: [1], target: Y }), 'INVALID_ARGUMENT'],
    [
      'solve: a sampler returning the wrong shape',
      () => {
        const p = semiDualProblem({ source: () => tf.zeros([1, 3]) as tf.Tensor2D, target: Y });
        try {
          return asgd({ gamma: 1, batchSize: 4, iterations: 1 }).solve(p);
        } finally {
          p.dispose();
        }
      },
      'INVALID_SHAPE',
    ],
    [
      'solve: init of the wrong size',
      () => {
        const p = semiDualProblem({ source: X, target: Y });
        const init = new VectorPotential(5);
        try {
          return asgd({ gamma: 1, iterations: 1 }).solve(p, { init });
        } finally {
          init.dispose();
          p.dispose();
        }
      },
      'SHAPE_MISMATCH',
    ],
    [
      'solve: a sampler producing NaN',
      () => {
        const p = semiDualProblem({ source: (b) => tf.fill([b, 2], Number.NaN) as tf.Tensor2D, target: Y, lambda: 0.1 });
        try {
          return asgd({ gamma: 1, batchSize: 4, iterations: 5 }).solve(p);
        } finally {
          p.dispose();
        }
      },
      'NUMERICAL_ERROR',
    ],
    ['sinkhorn: reg 0', () => sinkhorn(undefined, undefined, M, { reg: 0 }), 'INVALID_ARGUMENT'],
    ['sinkhorn: a of the wrong length', () => sinkhorn([1], undefined, M, { reg: 1 }), 'SHAPE_MISMATCH'],
    ['sinkhorn: NaN cost', () => sinkhorn(undefined, undefined, [[Number.NaN, 1], [1, 1]], { reg: 1 }), 'NON_FINITE'],
    ['sinkhorn: non-boolean logDomain', () => sinkhorn(undefined, undefined, M, { reg: 1, logDomain: 'yes' as never }), 'INVALID_ARGUMENT'],
    ['sinkhornDivergence: different d', () => sinkhornDivergence(X, [[0, 0, 0]], { reg: 1 }), 'SHAPE_MISMATCH'],
    ['semiDualGeneratorStep: target not prepared', () => semiDualGeneratorStep({ target: Y } as never), 'INVALID_ARGUMENT'],
  ];
  it(`has at least 15 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
  for (const [name, fn, code] of cases) {
    it(`${name} → ${code}`, () => {
      const before = tf.memory().numTensors;
      expectOTError(fn, code);
      expect(tf.memory().numTensors - before, 'leaked tensors on the error path').toBe(0);
    });
  }
});
