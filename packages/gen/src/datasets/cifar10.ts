/**
 * CIFAR-10 (Krizhevsky, 2009) from its binary batch files (`cifar-10-batches-bin/data_batch_{1..5}.bin`
 * and `test_batch.bin`): records of 1 label byte then 3072 pixel bytes (the 1024 red, then green,
 * then blue values of a 32×32 image, row-major). The data must be on disk: nothing is downloaded.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OTError, checkInteger } from '@ot/core';
import { ArrayDataset } from './dataset.js';
import { checkDirectory, readMaybeGzip } from './files.js';

const RECORD = 1 + 3072;

export interface Cifar10Options {
  /** `'train'` (the five data batches, default) or `'test'` (`test_batch.bin`). */
  split?: 'train' | 'test';
  /** Keep only the first `limit` images. */
  limit?: number;
}

/** Decodes one binary batch file into HWC bytes and labels. */
export function parseCifarBatch(bytes: Uint8Array, name: string): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new OTError('INVALID_FILE', `'${name}' is not a CIFAR-10 binary batch: ${bytes.length} bytes is not a multiple of ${RECORD}`, {
      path: name,
    });
  }
  const n = bytes.length / RECORD;
  const images = new Uint8Array(n * 3072);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * RECORD;
    const label = bytes[r] as number;
    if (label > 9) throw new OTError('INVALID_FILE', `'${name}': record ${i} has label ${label} (expected 0..9)`, { path: name });
    labels[i] = label;
    const o = i * 3072;
    for (let p = 0; p < 1024; p++) {
      images[o + 3 * p] = bytes[r + 1 + p] as number;
      images[o + 3 * p + 1] = bytes[r + 1 + 1024 + p] as number;
      images[o + 3 * p + 2] = bytes[r + 1 + 2048 + p] as number;
    }
  }
  return { images, labels };
}

/**
 * CIFAR-10 as `[32, 32, 3]` images in [0, 1] with labels.
 *
 * @param path - the `cifar-10-batches-bin` directory, or one `.bin` batch file
 * @throws OTError `INVALID_FILE` naming the file or directory when it is missing, empty or malformed
 * @example
 * ```ts
 * const cifar = loadCifar10('/data/cifar-10-batches-bin');
 * ```
 */
export function loadCifar10(path: string, options: Cifar10Options = {}): ArrayDataset {
  const split = options.split ?? 'train';
  let files: string[];
  if (path.endsWith('.bin') || path.endsWith('.bin.gz')) {
    files = [path];
  } else {
    checkDirectory(path);
    const names = readdirSync(path);
    const wanted = split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
    files = wanted.filter((f) => names.includes(f)).map((f) => join(path, f));
    if (files.length === 0) {
      throw new OTError('INVALID_FILE', `'${path}' holds none of ${wanted.join(', ')} (the CIFAR-10 binary version)`, { path });
    }
  }
  const parts = files.map((f) => parseCifarBatch(readMaybeGzip(f), f));
  const n = parts.reduce((a, p) => a + p.labels.length, 0);
  const limit = options.limit === undefined ? n : Math.min(n, checkInteger(options.limit, 'limit'));
  const images = new Uint8Array(limit * 3072);
  const labels = new Uint8Array(limit);
  let at = 0;
  for (const p of parts) {
    const k = Math.min(p.labels.length, limit - at);
    if (k <= 0) break;
    images.set(p.images.subarray(0, k * 3072), at * 3072);
    labels.set(p.labels.subarray(0, k), at);
    at += k;
  }
  return new ArrayDataset(`cifar10-${split}`, images, [32, 32, 3], labels);
}
