/**
 * The shipped MNIST extractor. On wasm: accuracy on all 10,000 test images, FID / KID / IS on
 * 10,000-image sets. On cpu (≈ 30× slower convolutions): accuracy on the first 1,000 test images
 * and FID(x, x) on 500 images.
 */
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isOTError } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { MnistExtractor, computeStatistics, fid, frechetDistance, inceptionScore, kid, tensorSource } from '../src/index.js';
import { loadMnist, mnistFloat } from '../scripts/mnist-idx.js';

const test = loadMnist('test');
const train = loadMnist('train');
const images = (split: typeof test, start: number, end: number): tf.Tensor4D => tf.tensor4d(mnistFloat(split, start, end), [end - start, 28, 28, 1]);

describeWithBackends('MnistExtractor (shipped weights)', (backend) => {
  const full = backend === 'wasm';

  it(`test accuracy ≥ 98% (${full ? 'all 10,000' : 'first 1,000'} test images)`, async () => {
    const net = await MnistExtractor.load();
    const n = full ? 10_000 : 1_000;
    let correct = 0;
    await expectNoLeakedTensors(() => {
      for (let s = 0; s < n; s += 500) {
        const x = images(test, s, s + 500);
        const { features, logits } = net.extract(x);
        expect(features.shape).toEqual([500, 64]);
        const pred = tf.argMax(logits, 1);
        const p = pred.dataSync();
        for (let i = 0; i < 500; i++) if (p[i] === test.labels[s + i]) correct++;
        tf.dispose([x, features, logits, pred]);
      }
    });
    net.dispose();
    const acc = correct / n;
    console.log(`[${backend}] MNIST test accuracy on ${n} images: ${(100 * acc).toFixed(2)}%`);
    expect(acc).toBeGreaterThanOrEqual(0.98);
  });

  it('FID(x, x) ≈ 0, and the pipeline leaks nothing', async () => {
    const net = await MnistExtractor.load();
    const x = images(test, 0, full ? 500 : 200);
    const value = await expectNoLeakedTensors(() => fid(tensorSource(x, 128), tensorSource(x, 77), { extractor: net, batchSize: 100 }));
    expect(Math.abs(value)).toBeLessThan(1e-6);
    x.dispose();
    net.dispose();
  });

  it.runIf(full)('FID(train, test) on 10k images is small; FID(MNIST, noise) is large; IS and KID agree', async () => {
    const net = await MnistExtractor.load();
    const xTrain = images(train, 0, 10_000);
    const xTest = images(test, 0, 10_000);
    const noise = tf.randomUniform([2_000, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    let progressed = 0;
    const statsTest = await computeStatistics(tensorSource(xTest, 1000), { extractor: net, batchSize: 500 });
    const statsTrain = await computeStatistics(tensorSource(xTrain, 1000), { extractor: net, batchSize: 500, onProgress: (p) => (progressed = p.images) });
    expect(progressed).toBe(10_000);
    const fTrainTest = frechetDistance(statsTrain.mu, statsTrain.sigma, statsTest.mu, statsTest.sigma);
    const fNoise = await fid(statsTest, tensorSource(noise, 500), { extractor: net, batchSize: 500 });
    console.log(`[${backend}] MNIST FID(train 10k, test 10k) = ${fTrainTest.toFixed(4)}, FID(test, uniform noise) = ${fNoise.toFixed(2)}`);
    expect(fTrainTest).toBeLessThan(5);
    expect(fNoise).toBeGreaterThan(100 * fTrainTest);
    const is = await inceptionScore(tensorSource(xTest, 1000), { extractor: net, batchSize: 1000, splits: 10 });
    console.log(`[${backend}] MNIST IS(test) = ${is.mean.toFixed(3)} ± ${is.std.toFixed(3)}`);
    expect(is.mean).toBeGreaterThan(9);
    const xTest2k = tf.slice(xTest, [0, 0, 0, 0], [2000, -1, -1, -1]) as tf.Tensor4D;
    const xTrain2k = tf.slice(xTrain, [0, 0, 0, 0], [2000, -1, -1, -1]) as tf.Tensor4D;
    const kTT = await kid(tensorSource(xTrain2k, 1000), tensorSource(xTest2k, 1000), { extractor: net, subsets: 5, subsetSize: 500, seed: 0 });
    const kNoise = await kid(tensorSource(noise, 1000), tensorSource(xTest2k, 1000), { extractor: net, subsets: 5, subsetSize: 500, seed: 0 });
    console.log(`[${backend}] MNIST KID(train, test) = ${kTT.mean.toExponential(3)} ± ${kTT.std.toExponential(2)}, KID(noise, test) = ${kNoise.mean.toFixed(3)}`);
    // the 64-d ReLU features are large, so KID's scale is too (Inception pool3 KIDs are ~1e-3)
    expect(Math.abs(kTT.mean)).toBeLessThan(0.1 * kNoise.mean);
    tf.dispose([xTrain, xTest, noise, xTest2k, xTrain2k]);
    net.dispose();
  });

  it('bad inputs → OTError', async () => {
    const net = await MnistExtractor.load();
    const codeOf = async (f: () => unknown): Promise<string | undefined> => {
      try {
        await f();
      } catch (e) {
        return isOTError(e) ? e.code : String(e);
      }
      return undefined;
    };
    const bright = tf.fill([2, 28, 28, 1], 255) as tf.Tensor4D;
    const nan = tf.fill([2, 28, 28, 1], NaN) as tf.Tensor4D;
    const one = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    expect(await codeOf(() => net.extract(bright))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(() => net.extract(nan))).toBe('NON_FINITE');
    expect(await codeOf(() => fid(tensorSource(one), tensorSource(one), { extractor: net }))).toBe('EMPTY_INPUT');
    expect(await codeOf(() => fid([] as tf.Tensor4D[], tensorSource(one), { extractor: net }))).toBe('EMPTY_INPUT');
    expect(await codeOf(() => fid(tensorSource(one), tensorSource(one), {} as never))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(() => MnistExtractor.load('/nonexistent.json'))).toBe('INVALID_FILE');
    tf.dispose([bright, nan, one]);
    net.dispose();
  });
});
