/**
 * The dataset contract of `@ot/gen`: a source of samples `[b, ...shape]` (float32; images NHWC in
 * [0, 1]) that can be iterated as shuffled batches (an async iterable, seeded) or sampled at random
 * from a seeded generator (what the trainers do, so that a checkpointed RNG state resumes the data
 * stream exactly).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger, permutation, toRng, type Seed } from '@ot/core';

export interface BatchOptions {
  /** Samples per batch (≥ 1). */
  batchSize: number;
  /** Seed of the shuffle (finite datasets) or of the draws (samplers). */
  seed?: Seed;
  /** Passes over a finite dataset (default 1); number of batches for a sampler is `batches`. */
  epochs?: number;
  /** For samplers: how many batches to yield (default 1). */
  batches?: number;
  /** Drop the last incomplete batch of an epoch (default false). */
  dropLast?: boolean;
}

/** A source of training samples. */
export interface Dataset {
  /** Human-readable name (`'mnist'`, `'toy:8gaussians'`, ...). */
  readonly name: string;
  /** Shape of one sample: `[2]` for toy data, `[h, w, c]` for images. */
  readonly sampleShape: readonly number[];
  /** Number of samples, or `undefined` for an infinite sampler. */
  readonly size: number | undefined;
  /** `b` random samples `[b, ...sampleShape]` drawn with `seed` (with replacement for finite data). */
  sample(batchSize: number, seed?: Seed): tf.Tensor;
  /** Shuffled batches; the caller disposes each yielded tensor. */
  batches(options: BatchOptions): AsyncIterable<tf.Tensor>;
  /** Releases host memory held by the dataset (no tensors are held). */
  dispose(): void;
}

/** True for image datasets (`[h, w, c]` samples). */
export function isImageDataset(d: Dataset): boolean {
  return d.sampleShape.length === 3;
}

/**
 * A finite dataset held in host memory as bytes (0..255, scaled to [0, 1]) or floats.
 * Batches are assembled on the host and uploaded once per batch.
 */
export class ArrayDataset implements Dataset {
  readonly name: string;
  readonly sampleShape: readonly number[];
  readonly size: number;
  /** Optional integer labels, one per sample. */
  readonly labels: Uint8Array | undefined;
  private data: Uint8Array | Float32Array;
  private readonly sampleSize: number;

  /**
   * @param data - `size · prod(sampleShape)` values: bytes (scaled by 1/255) or floats (as is)
   */
  constructor(name: string, data: Uint8Array | Float32Array, sampleShape: readonly number[], labels?: Uint8Array) {
    this.name = name;
    this.sampleShape = [...sampleShape];
    this.sampleSize = sampleShape.reduce((a, b) => a * b, 1);
    if (this.sampleSize <= 0 || data.length % this.sampleSize !== 0) {
      throw new OTError('INVALID_SHAPE', `${name}: ${data.length} values do not divide into samples of shape [${sampleShape}]`);
    }
    this.size = data.length / this.sampleSize;
    if (this.size === 0) throw new OTError('EMPTY_INPUT', `${name}: the dataset has no samples`);
    if (labels !== undefined && labels.length !== this.size) {
      throw new OTError('SHAPE_MISMATCH', `${name}: ${labels.length} labels for ${this.size} samples`);
    }
    this.data = data;
    this.labels = labels;
  }

  /** The samples at `indices` as `[k, ...sampleShape]` float32. */
  gather(indices: ArrayLike<number>): tf.Tensor {
    const s = this.sampleSize;
    const out = new Float32Array(indices.length * s);
    const scale = this.data instanceof Uint8Array ? 1 / 255 : 1;
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r] as number;
      if (!(i >= 0 && i < this.size)) throw new OTError('INVALID_ARGUMENT', `${this.name}: index ${i} out of range [0, ${this.size})`);
      const base = i * s;
      const o = r * s;
      for (let j = 0; j < s; j++) out[o + j] = (this.data[base + j] as number) * scale;
    }
    return tf.tensor(out, [indices.length, ...this.sampleShape], 'float32');
  }

  /** The first `n` samples (or all). */
  head(n = this.size): tf.Tensor {
    const k = Math.min(n, this.size);
    return this.gather(Int32Array.from({ length: k }, (_, i) => i));
  }

  sample(batchSize: number, seed?: Seed): tf.Tensor {
    checkInteger(batchSize, 'batchSize');
    const rng = toRng(seed);
    const idx = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) idx[i] = rng.int(this.size);
    return this.gather(idx);
  }

  batches(options: BatchOptions): AsyncIterable<tf.Tensor> {
    const batchSize = checkInteger(options.batchSize, 'batchSize');
    const epochs = checkInteger(options.epochs ?? 1, 'epochs');
    const rng = toRng(options.seed);
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (let e = 0; e < epochs; e++) {
          const perm = permutation(self.size, rng);
          for (let start = 0; start < self.size; start += batchSize) {
            const end = Math.min(start + batchSize, self.size);
            if (end - start < batchSize && options.dropLast === true) break;
            yield self.gather(perm.subarray(start, end));
          }
        }
      },
    };
  }

  dispose(): void {
    this.data = new Uint8Array(0);
  }
}

/** An infinite dataset defined by a sampling function of a seeded generator. */
export class SamplerDataset implements Dataset {
  readonly size = undefined;
  constructor(
    readonly name: string,
    readonly sampleShape: readonly number[],
    private readonly draw: (batchSize: number, rng: ReturnType<typeof toRng>) => Float32Array,
  ) {}

  sample(batchSize: number, seed?: Seed): tf.Tensor {
    checkInteger(batchSize, 'batchSize');
    const values = this.draw(batchSize, toRng(seed));
    return tf.tensor(values, [batchSize, ...this.sampleShape], 'float32');
  }

  batches(options: BatchOptions): AsyncIterable<tf.Tensor> {
    const batchSize = checkInteger(options.batchSize, 'batchSize');
    const count = checkInteger(options.batches ?? 1, 'batches');
    const rng = toRng(options.seed);
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < count; i++) yield self.sample(batchSize, rng);
      },
    };
  }

  dispose(): void {}
}
