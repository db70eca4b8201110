/**
 * Image sources: async (or sync) iterables of image batches `[b, h, w, c]` in [0, 1], so a
 * generator can be evaluated without writing images. The metric functions take ownership of each
 * yielded batch and dispose it after use; {@link tensorSource} yields slices of a tensor you keep.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger } from '@ot/core';
import type { FeatureExtractor } from './extractors/extractor.js';

/** Batches of images `[b, h, w, c]` in [0, 1]; each yielded tensor is disposed by the consumer. */
export type ImageSource = AsyncIterable<tf.Tensor4D> | Iterable<tf.Tensor4D>;

/** Progress of a metric computation. */
export interface Progress {
  /** Which input is being read (`'real'`, `'fake'` or `'images'`). */
  readonly phase: string;
  /** Images processed so far in this phase. */
  readonly images: number;
}

/** Options shared by the metrics that run an extractor. */
export interface ExtractionOptions {
  /** The feature extractor (e.g. `await InceptionV3Extractor.load(dir)` or `await MnistExtractor.load()`). */
  extractor: FeatureExtractor;
  /** Largest batch passed to the extractor (default 50, as pytorch-fid); bigger source batches are split. */
  batchSize?: number;
  /** Called after every extractor batch. */
  onProgress?: (p: Progress) => void;
  /** Stop after this many images (default: the whole source). */
  maxImages?: number;
}

/**
 * Yields `[≤ batchSize, h, w, c]` slices of `images` (which stays owned by the caller).
 *
 * @example
 * ```ts
 * const value = await fid(tensorSource(real), tensorSource(fake), { extractor });
 * ```
 */
export function* tensorSource(images: tf.Tensor4D, batchSize = 100): Generator<tf.Tensor4D> {
  checkInteger(batchSize, 'batchSize');
  if (!(images instanceof tf.Tensor) || images.rank !== 4) throw new OTError('INVALID_SHAPE', 'images must be a [n, h, w, c] tensor');
  const n = images.shape[0];
  for (let s = 0; s < n; s += batchSize) {
    yield tf.slice(images, [s, 0, 0, 0], [Math.min(batchSize, n - s), -1, -1, -1]);
  }
}

/**
 * Runs `extractor` over every batch of `source` (split to `batchSize`) and hands the features and
 * logits of each batch to `onBatch` (the tensors are disposed afterwards). Returns the image count.
 */
export async function forEachExtracted(
  source: ImageSource,
  options: ExtractionOptions,
  phase: string,
  onBatch: (features: tf.Tensor2D, logits: tf.Tensor2D) => void,
): Promise<number> {
  const { extractor } = options;
  if (extractor === undefined || typeof extractor.extract !== 'function') {
    throw new OTError('INVALID_ARGUMENT', 'options.extractor is required (e.g. await MnistExtractor.load())');
  }
  const batchSize = checkInteger(options.batchSize ?? 50, 'batchSize');
  const maxImages = options.maxImages === undefined ? Infinity : checkInteger(options.maxImages, 'maxImages');
  if (source === null || typeof source !== 'object' || (!(Symbol.asyncIterator in source) && !(Symbol.iterator in source))) {
    throw new OTError('INVALID_ARGUMENT', `the ${phase} source must be an (async) iterable of [b, h, w, c] image batches`);
  }
  let count = 0;
  for await (const batch of source as AsyncIterable<tf.Tensor4D>) {
    try {
      if (!(batch instanceof tf.Tensor) || batch.rank !== 4) {
        throw new OTError('INVALID_SHAPE', `the ${phase} source must yield [b, h, w, c] tensors, got ${batch instanceof tf.Tensor ? `shape [${batch.shape.join(', ')}]` : typeof batch}`);
      }
      const n = batch.shape[0];
      for (let s = 0; s < n && count < maxImages; s += batchSize) {
        const b = Math.min(batchSize, n - s, maxImages - count);
        const part = b === n ? batch : tf.slice(batch, [s, 0, 0, 0], [b, -1, -1, -1]);
        try {
          const { features, logits } = extractor.extract(part);
          try {
            onBatch(features, logits);
          } finally {
            tf.dispose([features, logits]);
          }
        } finally {
          if (part !== batch) part.dispose();
        }
        count += b;
        options.onProgress?.({ phase, images: count });
      }
    } finally {
      if (batch instanceof tf.Tensor) batch.dispose();
    }
    if (count >= maxImages) break;
  }
  if (count === 0) throw new OTError('EMPTY_INPUT', `the ${phase} source yielded no images`);
  return count;
}
