import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { OTError, type OTErrorCode } from '@ot/core';
import { describeWithBackends } from '@ot/test-utils';
import { DenseICNN, MlpPotential, NeuralDual, W2GN, conjugate, highDimGaussianBenchmark, loadW2Benchmark, parseW2Benchmark } from '../src/index.js';

async function expectOTError(fn: () => unknown, code: OTErrorCode): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected OTError ${code}`).toBeInstanceOf(OTError);
  expect((err as OTError).code).toBe(code);
}

describeWithBackends('bad inputs → OTError', () => {
  const net = (): DenseICNN => new DenseICNN({ dim: 2, hidden: [4, 4], seed: 0 });
  const cases: Array<[string, () => unknown, OTErrorCode]> = [
    ['dim 0', () => new DenseICNN({ dim: 0 }), 'INVALID_ARGUMENT'],
    ['empty hidden', () => new DenseICNN({ dim: 2, hidden: [] }), 'INVALID_ARGUMENT'],
    ['unknown activation', () => new DenseICNN({ dim: 2, activation: 'tanh' as never }), 'INVALID_ARGUMENT'],
    ['unknown positivity', () => new DenseICNN({ dim: 2, positivity: 'abs' as never }), 'INVALID_ARGUMENT'],
    ['negative strongConvexity', () => new DenseICNN({ dim: 2, strongConvexity: -1 }), 'INVALID_ARGUMENT'],
    ['fractional rank', () => new DenseICNN({ dim: 2, rank: 1.5 }), 'INVALID_ARGUMENT'],
    ['MlpPotential negative quadratic', () => new MlpPotential({ dim: 2, quadratic: -1 }), 'INVALID_ARGUMENT'],
    ['MlpPotential learnQuadratic with quadratic 0', () => new MlpPotential({ dim: 2, quadratic: 0, learnQuadratic: true }), 'INVALID_ARGUMENT'],
    ['MlpPotential with an unknown init', () => new MlpPotential({ dim: 2, init: 'xavier' as never }), 'INVALID_ARGUMENT'],
    ['NeuralDual with an unknown update order', () => new NeuralDual({ icnn: { dim: 2 }, update: 'async' as never }), 'INVALID_ARGUMENT'],
    ['NeuralDual with an unknown amortizerInit', () => new NeuralDual({ icnn: { dim: 2, hidden: [4] }, amortizerInit: 'zeros' as never }), 'INVALID_ARGUMENT'],
    ['MlpPotential outputActivation not a boolean', () => new MlpPotential({ dim: 2, outputActivation: 'yes' as unknown as boolean }), 'INVALID_ARGUMENT'],
    ['value with the wrong dimension', () => net().value([[1, 2, 3]]), 'SHAPE_MISMATCH'],
    ['push with a rank-1 input', () => net().push(tf.tensor1d([1, 2])), 'INVALID_SHAPE'],
    ['value with an int32 tensor', () => net().value(tf.tensor2d([[1, 2]], [1, 2], 'int32')), 'INVALID_DTYPE'],
    ['push on an empty batch', () => net().push(tf.zeros([0, 2])), 'EMPTY_INPUT'],
    [
      'use after dispose',
      () => {
        const n = net();
        n.dispose();
        return n.value([[0, 0]]);
      },
      'DISPOSED',
    ],
    ['setWeights with a missing key', () => net().setWeights({}), 'INVALID_ARGUMENT'],
    [
      'setWeights with a wrong shape',
      () => {
        const n = net();
        const w = n.getWeights();
        w['quadratic_layers.0.bias'] = [1, 2, 3];
        n.setWeights(w);
      },
      'SHAPE_MISMATCH',
    ],
    [
      'setWeights with negative convex weights',
      () => {
        const n = net();
        const w = n.getWeights();
        w['final_layer.weight'] = [[-1, 1, 1, 1]];
        n.setWeights(w);
      },
      'INVALID_WEIGHTS',
    ],
    ['conjugate with an unknown solver', () => conjugate(net(), [[0, 0]], { solver: 'newton' as never }), 'INVALID_ARGUMENT'],
    ['conjugate with NaN in y', () => conjugate(net(), [[0, Number.NaN]]), 'NON_FINITE'],
    ['conjugate with a mis-shaped init', () => conjugate(net(), [[0, 0]], { init: [[0, 0, 0]] }), 'SHAPE_MISMATCH'],
    ['conjugate with maxIter −1', () => conjugate(net(), [[0, 0]], { maxIter: -1 }), 'INVALID_ARGUMENT'],
    ['conjugate with gtol 0', () => conjugate(net(), [[0, 0]], { gtol: 0 }), 'INVALID_ARGUMENT'],
    ['conjugate on a non-potential', () => conjugate({} as never, [[0, 0]]), 'INVALID_ARGUMENT'],
    ['conjugate with an unknown line search', () => conjugate(net(), [[0, 0]], { lineSearch: 'wolfe' as never }), 'INVALID_ARGUMENT'],
    ['conjugate with lsBase 1 (steps would not shrink)', () => conjugate(net(), [[0, 0]], { lineSearch: 'parallel', lsBase: 1 }), 'INVALID_ARGUMENT'],
    ['conjugate with 0 line-search evaluations', () => conjugate(net(), [[0, 0]], { lineSearch: 'parallel', lsEvaluations: 0 }), 'INVALID_ARGUMENT'],
    ['W2GN with λ < 0', () => new W2GN({ icnn: { dim: 2 }, lambda: -1 }), 'INVALID_ARGUMENT'],
    ['W2GN without potentials or icnn options', () => new W2GN({}), 'INVALID_ARGUMENT'],
    [
      'W2GN with potentials of different dimensions',
      () => new W2GN({ potential: new DenseICNN({ dim: 2, hidden: [4] }), conjugatePotential: new DenseICNN({ dim: 3, hidden: [4] }) }),
      'SHAPE_MISMATCH',
    ],
    ['W2GN step with a batch of the wrong dimension', () => new W2GN({ icnn: { dim: 2, hidden: [4] } }).step([[1, 2, 3]], [[1, 2]]), 'SHAPE_MISMATCH'],
    ['W2GN with an Adam β1 of 1', () => new W2GN({ icnn: { dim: 2, hidden: [4] }, optimizer: { beta1: 1 } }), 'INVALID_ARGUMENT'],
    ['NeuralDual with an unknown amortization', () => new NeuralDual({ icnn: { dim: 2 }, amortization: 'foo' as never }), 'INVALID_ARGUMENT'],
    ["NeuralDual 'regression' without a solver", () => new NeuralDual({ icnn: { dim: 2 }, amortization: 'regression', finetune: false }), 'INVALID_ARGUMENT'],
    ['NeuralDual with a pretraining lr of 0', () => new NeuralDual({ icnn: { dim: 2 }, pretrainOptimizer: { lr: 0 } }), 'INVALID_ARGUMENT'],
    ['NeuralDual pretrainStep with a batch of the wrong dimension', () => new NeuralDual({ icnn: { dim: 2, hidden: [4] } }).pretrainStep([[1, 2]], [[1, 2, 3]]), 'SHAPE_MISMATCH'],
    ['fit without samplers', () => new W2GN({ icnn: { dim: 2, hidden: [4] } }).fit({ iters: 1 } as never), 'INVALID_ARGUMENT'],
    ['highDimGaussianBenchmark(0)', () => highDimGaussianBenchmark(0), 'INVALID_ARGUMENT'],
    ['loadW2Benchmark of a missing file', () => loadW2Benchmark('/nonexistent/pair.json'), 'INVALID_FILE'],
    ['parseW2Benchmark of a malformed object', () => parseW2Benchmark({ dim: 2, input: { centers: [], maps: [], std: 1 } }), 'INVALID_FILE'],
    ['parseW2Benchmark of a non-object', () => parseW2Benchmark(42), 'INVALID_FILE'],
  ];
  for (const [name, fn, code] of cases) {
    it(`${name} → ${code}`, async () => {
      await expectOTError(fn, code);
    });
  }
});
