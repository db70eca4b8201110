/**
 * Image metrics of a generator with the MNIST extractor of `@ot/metrics` (a small classifier trained
 * on MNIST, 64 features and 10 class logits): FID (Heusel et al. 2017), KID (Bińkowski et al. 2018)
 * and IS (Salimans et al. 2016) — the usual "MNIST FID / KID / IS" of generative-model papers on
 * 28×28 grayscale data.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@ot/gen';
import { fid, inceptionScore, kid, MnistExtractor } from '@ot/metrics';

export type ImageMetric = 'fid' | 'kid' | 'is';

export interface FidResult {
  value: number | undefined;
  /** Standard deviation over KID subsets / IS splits (absent for FID). */
  std?: number;
  extractor: string | undefined;
  samples: number;
  reference: string;
  ms: number;
  skipped?: string;
}

/** Batches `make(b, i)` of `b` images until `n` have been produced. */
async function* batches(make: (b: number, i: number) => tf.Tensor, n: number, b: number): AsyncGenerator<tf.Tensor4D> {
  for (let i = 0, k = 0; i < n; i += b, k++) yield make(Math.min(b, n - i), k) as tf.Tensor4D;
}

/**
 * `metric` of `n` generated images (`makeFake(b, i)` → `[b, 28, 28, 1]` in the dataset's range)
 * against the first `n` images of `reference` (MNIST test by default); IS ignores `reference`.
 * KID uses 100 subsets of min(1000, n) samples, IS 10 splits.
 */
export async function mnistMetric(
  metric: ImageMetric,
  makeFake: (b: number, i: number) => tf.Tensor,
  reference: Dataset,
  n: number,
): Promise<FidResult> {
  const t0 = performance.now();
  const base = { samples: n, reference: reference.name, ms: 0 };
  let extractor: MnistExtractor;
  try {
    extractor = await MnistExtractor.load();
  } catch (e) {
    return { ...base, value: undefined, extractor: undefined, skipped: `the MNIST extractor could not be loaded: ${(e as Error).message}` };
  }
  try {
    const size = reference.size ?? n;
    const count = metric === 'is' ? n : Math.min(n, size);
    const b = 500;
    const ds = reference as unknown as { gather?: (idx: Int32Array) => tf.Tensor };
    const real = () =>
      batches(
        (k, i) =>
          tf.tidy(() => {
            const idx = Int32Array.from({ length: k }, (_, j) => (i * b + j) % size);
            return ds.gather !== undefined ? ds.gather(idx) : reference.sample(k, 1000 + i);
          }),
        count,
        b,
      );
    const fake = batches(makeFake, count, b);
    const options = { extractor, batchSize: b };
    let value: number;
    let std: number | undefined;
    if (metric === 'fid') {
      value = await fid(real(), fake, options);
    } else if (metric === 'kid') {
      const r = await kid(real(), fake, { ...options, subsets: 100, subsetSize: Math.min(1000, count), seed: 0 });
      value = r.mean;
      std = r.std;
    } else {
      const r = await inceptionScore(fake, { ...options, splits: 10 });
      value = r.mean;
      std = r.std;
    }
    return { ...base, samples: count, value, ...(std === undefined ? {} : { std }), extractor: extractor.name, ms: performance.now() - t0 };
  } finally {
    extractor.dispose();
  }
}

/** FID with the MNIST extractor: {@link mnistMetric} with `'fid'`. */
export function mnistFid(makeFake: (b: number, i: number) => tf.Tensor, reference: Dataset, n: number): Promise<FidResult> {
  return mnistMetric('fid', makeFake, reference, n);
}
