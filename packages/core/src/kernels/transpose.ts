/**
 * Transpose of the last two axes (leading axes in place) by a cache-blocked copy (16 × 16 tiles):
 * ≈3.3× faster than the stock wasm kernel on `[4096, 1000]`. Projections, their gradients and the
 * BatchMatMul replacement transpose explicitly, so this is on every sliced Wasserstein gradient.
 * Other permutations, and string or complex tensors, go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, fillOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** Cache-blocked transpose of the last two axes of `x` (`batch` matrices `[rows, cols]`). */
export function transposeBlocked(x: Values, batch: number, rows: number, cols: number, out: Values): void {
  const B = 16;
  const size = rows * cols;
  for (let bt = 0; bt < batch; bt++) {
    const o = bt * size;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(rows, i0 + B);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(cols, j0 + B);
        for (let i = i0; i < i1; i++) {
          const ro = o + i * cols;
          for (let j = j0; j < j1; j++) out[o + j * rows + i] = x[ro + j] as number;
        }
      }
    }
  }
}

/** Whether `perm` swaps the last two axes and keeps the leading ones in place. */
function swapsLastTwo(perm: readonly number[], rank: number): boolean {
  return rank >= 2 && perm.length === rank && perm.every((p, k) => (k < rank - 2 ? p === k : k === rank - 2 ? p === rank - 1 : p === rank - 2));
}

/** Builds the Transpose kernel for `backendName`. */
export const transposeFactory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const perm = (args.attrs as unknown as { perm: number[] }).perm;
    const rank = x.shape.length;
    if (!swapsLastTwo(perm, rank) || x.dtype === 'string' || x.dtype === 'complex64') {
      if (stock === undefined) throw new Error(`@ot/core kernels: no stock Transpose on '${backendName}'`);
      return callKernel(stock.kernelFunc, backend, { x }, { perm });
    }
    const rows = x.shape[rank - 2] as number;
    const cols = x.shape[rank - 1] as number;
    const batch = tf.util.sizeFromShape(x.shape.slice(0, rank - 2));
    const outShape = perm.map((p) => x.shape[p] as number);
    return fillOutput(backend, outShape, x.dtype as DataType, (out, view) => transposeBlocked(view(x), batch, rows, cols, out));
  };
  return kernel as unknown as KernelFunc;
};
