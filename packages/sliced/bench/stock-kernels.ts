/**
 * Bench helper: puts tfjs's stock kernels back in place of the replacements `@ot/core` registers
 * (`initBackend` → `registerBackendKernels`), to time a run without them (`--stock`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isReplacedKernel, stockKernel } from '@ot/core';

/** The sort-path kernels `@ot/core` replaces (on cpu and/or wasm). */
export const SORT_KERNELS = ['TopK', 'ScatterNd', 'Tile', 'Transpose'] as const;

/** Registers the stock kernel for each replaced `names` on `backend`; returns the names restored. */
export function useStockKernels(backend: string, names: readonly string[] = SORT_KERNELS): string[] {
  const done: string[] = [];
  for (const name of names) {
    if (!isReplacedKernel(name, backend)) continue;
    const stock = stockKernel(name, backend);
    if (stock === undefined) continue;
    tf.unregisterKernel(name, backend);
    tf.registerKernel(stock);
    done.push(name);
  }
  return done;
}
