/**
 * The feature-extractor interface every FID / IS / KID computation uses, and the checks on the
 * images fed to it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkFinite, validationLevel, type ValidationLevel } from '@ot/core';

/** Features and class logits of a batch of images. */
export interface Extracted {
  /** `[b, featureDim]` float32. */
  readonly features: tf.Tensor2D;
  /** `[b, numClasses]` float32 (for the Inception extractor: pool3 · Wᵀ without bias, as IS uses). */
  readonly logits: tf.Tensor2D;
}

/**
 * A network mapping images `[b, h, w, c]` in [0, 1] to features (for FID / KID) and logits (for
 * IS). Implementations resize and rescale internally; they own their weights (`dispose()`).
 */
export interface FeatureExtractor {
  /** A short name for reports (`'mnist'`, `'inception-v3'`). */
  readonly name: string;
  /** Feature dimension (2048 for Inception pool3). */
  readonly featureDim: number;
  /** Number of logits (1008 for the FID Inception). */
  readonly numClasses: number;
  /** Features and logits of `images` `[b, h, w, c]` in [0, 1]; the caller owns the tensors. */
  extract(images: tf.Tensor4D): Extracted;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * Validates a batch of images: float32 `[b, h, w, c]`, c ∈ `channels`, finite and in [0, 1]
 * (the range and finiteness checks read the data; skipped at validation level `'shapes'`).
 */
export function checkImages(images: unknown, name: string, channels: readonly number[], level?: ValidationLevel): tf.Tensor4D {
  if (!(images instanceof tf.Tensor)) throw new OTError('INVALID_ARGUMENT', `${name} must be a tf.Tensor [b, h, w, c], got ${typeof images}`);
  if (images.isDisposed) throw new OTError('DISPOSED', `${name} is a disposed tensor`);
  if (images.rank !== 4) throw new OTError('INVALID_SHAPE', `${name} must be [b, h, w, c], got shape [${images.shape.join(', ')}]`, { shape: images.shape });
  if (images.dtype !== 'float32') throw new OTError('INVALID_DTYPE', `${name} must be float32 in [0, 1], got ${images.dtype}`);
  if (images.size === 0) throw new OTError('EMPTY_INPUT', `${name} is empty (shape [${images.shape.join(', ')}])`);
  const c = images.shape[3] as number;
  if (!channels.includes(c)) {
    throw new OTError('INVALID_SHAPE', `${name} must have ${channels.join(' or ')} channels (last axis), got shape [${images.shape.join(', ')}]`, { shape: images.shape });
  }
  if (validationLevel(level) === 'full') {
    checkFinite(images, name);
    const [lo, hi] = tf.tidy(() => [tf.min(images), tf.max(images)]).map((t) => {
      const v = t.dataSync()[0] as number;
      t.dispose();
      return v;
    }) as [number, number];
    if (lo < -1e-6 || hi > 1 + 1e-6) {
      throw new OTError('INVALID_ARGUMENT', `${name} must hold values in [0, 1], found [${lo}, ${hi}] (divide 8-bit images by 255)`, { min: lo, max: hi });
    }
  }
  return images as tf.Tensor4D;
}

/**
 * Bilinear resize exactly like `torch.nn.functional.interpolate(mode='bilinear',
 * align_corners=False)` (half-pixel centres) for upsampling; returns `x` itself when the size
 * already matches. `[b, h, w, c]` → `[b, size, size, c]` (or `[b, …size, c]` for a pair).
 */
export function resizeLikeTorch(x: tf.Tensor4D, size: number | [number, number]): tf.Tensor4D {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (x.shape[1] === h && x.shape[2] === w) return x;
  return tf.image.resizeBilinear(x, [h, w], false, true);
}
