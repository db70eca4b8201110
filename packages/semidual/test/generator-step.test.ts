import * as tf from '@tensorflow/tfjs-core';
import { createRng, randomNormal } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { SemiDualTarget, VectorPotential, asgd, semiDualGeneratorStep } from '../src/index.js';
import { refs } from './fixture.js';

const sd = refs.semidual;

describeWithBackends('semiDualGeneratorStep', () => {
  it('alternating steps move an affine generator towards the data (the W_λ estimate decreases)', async () => {
    const target = new SemiDualTarget(sd.Y, { nu: sd.b });
    const W = tf.variable(tf.tensor2d([[0.3, 0], [0, 0.3]]));
    const bias = tf.variable(tf.tensor1d([-2, 2]));
    const generator = (z: tf.Tensor2D) => tf.add(tf.matMul(z, W), bias) as tf.Tensor2D;
    const potential = new VectorPotential(sd.Y.length);
    const optimizer = tf.train.adam(0.05);
    const innerSolver = asgd({ gamma: 2, batchSize: 32, iterations: 10 });
    const rng = createRng(7);
    const step = () =>
      semiDualGeneratorStep({
        target,
        lambda: 0.1,
        potential,
        innerSolver,
        generator,
        generatorVariables: [W, bias],
        optimizer,
        sampleLatent: (b, r) => randomNormal([b, 2], r) as tf.Tensor2D,
        batchSize: 64,
        seed: rng,
      });
    const first = step();
    expect(first.innerHistory).toHaveLength(10);
    await expectNoLeakedTensors(() => {
      for (let k = 0; k < 3; k++) step();
    });
    let last = first;
    for (let k = 0; k < 40; k++) last = step();
    expect(last.loss).toBeLessThan(0.5 * first.loss);
    // The generated mean moved from (−2, 2) towards the data mean.
    const dataMean = sd.Y.reduce((acc, y, j) => [acc[0]! + y[0]! * sd.b[j]!, acc[1]! + y[1]! * sd.b[j]!], [0, 0]);
    const b = bias.dataSync();
    expect(Math.hypot(b[0]! - dataMean[0]!, b[1]! - dataMean[1]!)).toBeLessThan(0.5 * Math.hypot(-2 - dataMean[0]!, 2 - dataMean[1]!));
    tf.dispose([W, bias]);
    optimizer.dispose();
    potential.dispose();
    target.dispose();
  });
});
