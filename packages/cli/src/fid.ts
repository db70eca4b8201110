/**
 * FID with the MNIST extractor of `@ot/metrics`, when that build provides it (`MnistExtractor`
 * and `fid`); otherwise an explanation of why it was skipped.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@ot/gen';

export interface FidResult {
  value: number | undefined;
  extractor: string | undefined;
  samples: number;
  reference: string;
  ms: number;
  skipped?: string;
}

async function* batches(make: (b: number, i: number) => tf.Tensor, n: number, b: number): AsyncGenerator<tf.Tensor4D> {
  for (let i = 0, k = 0; i < n; i += b, k++) {
    yield make(Math.min(b, n - i), k) as tf.Tensor4D;
  }
}

/**
 * FID between `n` generated images (`makeFake(b, i)` → `[b, h, w, c]` in [0, 1]) and `n` images of
 * `reference` (MNIST test by default).
 */
export async function mnistFid(makeFake: (b: number, i: number) => tf.Tensor, reference: Dataset & { head?: (n: number) => tf.Tensor }, n: number): Promise<FidResult> {
  const t0 = performance.now();
  const metrics = (await import('@ot/metrics')) as Record<string, unknown>;
  const Extractor = metrics['MnistExtractor'] as { load(path?: string): Promise<{ dispose(): void; name: string }> } | undefined;
  const fid = metrics['fid'] as ((real: AsyncIterable<tf.Tensor4D>, fake: AsyncIterable<tf.Tensor4D>, o: Record<string, unknown>) => Promise<number | { value: number }>) | undefined;
  const base = { samples: n, reference: reference.name, ms: 0 };
  if (Extractor === undefined || fid === undefined) {
    return { ...base, value: undefined, extractor: undefined, skipped: '@ot/metrics does not provide MnistExtractor and fid in this build' };
  }
  let extractor: { dispose(): void; name: string };
  try {
    extractor = await Extractor.load();
  } catch (e) {
    return { ...base, value: undefined, extractor: undefined, skipped: `the MNIST extractor could not be loaded: ${(e as Error).message}` };
  }
  try {
    const size = reference.size ?? n;
    const count = Math.min(n, size);
    const b = 500;
    const real = batches(
      (k, i) =>
        tf.tidy(() => {
          const start = i * b;
          const idx = Int32Array.from({ length: k }, (_, j) => (start + j) % size);
          const ds = reference as unknown as { gather?: (idx: Int32Array) => tf.Tensor };
          return ds.gather !== undefined ? ds.gather(idx) : reference.sample(k, 1000 + i);
        }),
      count,
      b,
    );
    const fake = batches(makeFake, count, b);
    const r = await fid(real, fake, { extractor, batchSize: b });
    const value = typeof r === 'number' ? r : r.value;
    return { ...base, samples: count, value, extractor: extractor.name, ms: performance.now() - t0 };
  } finally {
    extractor.dispose();
  }
}
