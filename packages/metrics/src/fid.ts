/**
 * FID / IS / KID over image sources with a pluggable extractor — pytorch-fid's pipeline
 * (Heusel et al., NeurIPS 2017): extractor features → float64 mean and covariance (streamed) →
 * {@link frechetDistance}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import { frechetDistance } from './frechet-distance.js';
import { inceptionScoreFromLogits, type ScoreSummary } from './inception-score.js';
import { kernelInceptionDistance, type KidOptions } from './kernel-inception-distance.js';
import { forEachExtracted, type ExtractionOptions, type ImageSource } from './sources.js';
import { FeatureStatistics, type GaussianStatistics } from './statistics.js';

function isStatistics(x: unknown): x is GaussianStatistics {
  return typeof x === 'object' && x !== null && (x as GaussianStatistics).mu instanceof Float64Array && (x as GaussianStatistics).sigma instanceof Float64Array;
}

/**
 * Feature mean and covariance of every image of `source` (streamed: memory O(d²)).
 *
 * @example
 * ```ts
 * const stats = await computeStatistics(tensorSource(images), { extractor });
 * await saveStatistics('ref.npz', stats);
 * ```
 */
export async function computeStatistics(source: ImageSource, options: ExtractionOptions, phase = 'images'): Promise<GaussianStatistics> {
  const acc = new FeatureStatistics(options.extractor?.featureDim);
  await forEachExtracted(source, options, phase, (features) => acc.update(features));
  if (acc.count < 2) throw new OTError('EMPTY_INPUT', `the ${phase} source must yield at least 2 images, got ${acc.count}`);
  return acc.result();
}

/**
 * Fréchet Inception Distance between two image sources (or precomputed statistics).
 *
 * @param real images `[b, h, w, c]` in [0, 1] (batches are disposed after use) or {@link GaussianStatistics}
 * @param fake the same
 * @returns the FID (d² of pytorch-fid)
 * @example
 * ```ts
 * const extractor = await MnistExtractor.load();
 * const value = await fid(tensorSource(realImages), generatorSource, { extractor, batchSize: 100 });
 * ```
 */
export async function fid(real: ImageSource | GaussianStatistics, fake: ImageSource | GaussianStatistics, options: ExtractionOptions): Promise<number> {
  const a = isStatistics(real) ? real : await computeStatistics(real, options, 'real');
  const b = isStatistics(fake) ? fake : await computeStatistics(fake, options, 'fake');
  if (a.dim !== b.dim) throw new OTError('SHAPE_MISMATCH', `statistics dimensions differ: ${a.dim} ≠ ${b.dim} (different extractors?)`);
  return frechetDistance(a.mu, a.sigma, b.mu, b.sigma);
}

/**
 * Inception Score of the images of `source`, from the extractor's logits (for the FID Inception:
 * 1008 classes, pool3 · Wᵀ without bias, as the original IS code).
 *
 * @example
 * ```ts
 * const { mean, std } = await inceptionScore(source, { extractor, splits: 10 });
 * ```
 */
export async function inceptionScore(source: ImageSource, options: ExtractionOptions & { splits?: number }): Promise<ScoreSummary> {
  const chunks: Float32Array[] = [];
  await forEachExtracted(source, options, 'images', (_f, logits) => {
    chunks.push(Float32Array.from(logits.dataSync()));
  });
  const c = options.extractor.numClasses;
  const all = new Float32Array(chunks.reduce((s, x) => s + x.length, 0));
  let off = 0;
  for (const x of chunks) {
    all.set(x, off);
    off += x.length;
  }
  return inceptionScoreFromLogits(all, { splits: options.splits ?? 10, numClasses: c });
}

async function collectFeatures(source: ImageSource, options: ExtractionOptions, phase: string): Promise<tf.Tensor2D> {
  const chunks: Float32Array[] = [];
  let n = 0;
  await forEachExtracted(source, options, phase, (features) => {
    chunks.push(Float32Array.from(features.dataSync()));
    n += features.shape[0];
  });
  const d = options.extractor.featureDim;
  const all = new Float32Array(n * d);
  let off = 0;
  for (const x of chunks) {
    all.set(x, off);
    off += x.length;
  }
  return tf.tensor2d(all, [n, d]);
}

/**
 * Kernel Inception Distance between two image sources: unbiased MMD² (polynomial kernel of
 * degree 3, γ = 1/d, coef 1) over random subsets. Holds all features of both sources in memory.
 *
 * @example
 * ```ts
 * const { mean, std } = await kid(realSource, fakeSource, { extractor, subsets: 100, subsetSize: 1000, seed: 0 });
 * ```
 */
export async function kid(real: ImageSource, fake: ImageSource, options: ExtractionOptions & KidOptions): Promise<ScoreSummary> {
  const x = await collectFeatures(real, options, 'real');
  try {
    const y = await collectFeatures(fake, options, 'fake');
    try {
      return kernelInceptionDistance(x, y, options);
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}
