import * as tf from '@tensorflow/tfjs-core';
import { slicedWasserstein } from '@ot/sliced';
import { MlpCritic, MlpGenerator, toyDataset, type Trainer } from '../src/index.js';

export const toy = toyDataset('8gaussians');
export const makeGenerator = () => new MlpGenerator({ latentDim: 2, outputShape: [2], hidden: [64, 64], seed: 1 });
export const makeCritic = () => new MlpCritic({ inputShape: [2], hidden: [64, 64], spectralNorm: true, seed: 2 });

/** SW_2 between 1000 samples of the trainer's generator and of the data (fixed seeds). */
export function swToData(t: Trainer): number {
  return tf.tidy(() => {
    const x = t.sample(1000, { seed: 7, useEma: false });
    const y = t.dataset.sample(1000, 99);
    return slicedWasserstein(x, y, { nProjections: 200, seed: 3 }).dataSync()[0] as number;
  });
}

export function weightsOf(t: Trainer): Float32Array[] {
  return t.generator.getWeights().map((w) => w.values);
}
