/**
 * Test helper for the replacement kernels: a second, unpatched tfjs cpu backend ('cpu-stock')
 * computes the reference for every kernel @ot/core registers, and each check also asserts that
 * running the patched kernels leaves no tensor and no backend data behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import { expectTensorsClose } from '@ot/test-utils';
import { KERNEL_REPLACEMENTS, stockKernel } from '../src/kernels/index.js';

export const STOCK = 'cpu-stock';

/** Registers 'cpu-stock': a MathBackendCPU with tfjs's own cpu kernels (never @ot/core's). */
export function ensureStockCpu(): void {
  if (tf.findBackendFactory(STOCK) !== null) return;
  tf.registerBackend(STOCK, () => new MathBackendCPU(), -100);
  tf.copyRegisteredKernels('cpu', STOCK);
  for (const [name] of KERNEL_REPLACEMENTS['cpu'] ?? []) {
    const stock = stockKernel(name, 'cpu');
    if (stock !== undefined) {
      tf.unregisterKernel(name, STOCK);
      tf.registerKernel({ ...stock, backendName: STOCK });
    }
  }
}

interface Result {
  shape: number[];
  dtype: tf.DataType;
  values: Float32Array | Int32Array | Uint8Array;
}

/** Backend data ids alive on the active backend. */
function liveData(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

function run(build: () => tf.Tensor | tf.Tensor[]): Result[] {
  const out = tf.tidy(build);
  const list = Array.isArray(out) ? out : [out];
  const res = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.dataSync() as Result['values'] }));
  tf.dispose(list);
  return res;
}

/**
 * Runs `build` on the active backend `backend` (twice: the second run must not change the
 * number of tensors, bytes or backend data ids) and on the stock cpu backend, and compares the
 * outputs (shape, dtype, values).
 */
export async function expectMatchesStockCpu(
  backend: string,
  build: () => tf.Tensor | tf.Tensor[],
  tol: { rtol?: number; atol?: number } = {},
): Promise<void> {
  ensureStockCpu();
  expect(tf.getBackend()).toBe(backend);
  run(build); // warm-up: lazily created backend state is not a leak
  const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, data: liveData() };
  const got = run(build);
  expect(tf.memory().numTensors, 'leaked tensors').toBe(before.tensors);
  expect(tf.memory().numBytes, 'leaked bytes').toBe(before.bytes);
  expect(liveData(), 'leaked backend data').toBe(before.data);
  await tf.setBackend(STOCK);
  let want: Result[];
  try {
    want = run(build);
  } finally {
    await tf.setBackend(backend);
  }
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i] as Result;
    expect(g.shape, `output ${i} shape`).toEqual(w.shape);
    expect(g.dtype, `output ${i} dtype`).toBe(w.dtype);
    expectTensorsClose(Array.from(g.values), Array.from(w.values), { rtol: tol.rtol ?? 2e-4, atol: tol.atol ?? 2e-4 });
  });
}

/** Seeded standard normal tensor (generated in tfjs-core: the same values on every backend). */
export function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Runs a kernel by name (for kernels tfjs-core does not export as ops). */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}
