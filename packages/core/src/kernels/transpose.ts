/**
 * Transpose of the last two axes (leading axes in place) by a cache-blocked copy (32 × 32 tiles,
 * contiguous writes). Projections, their gradients and the BatchMatMul replacement transpose
 * explicitly, so this is on every sliced Wasserstein and every matMul gradient on wasm.
 *
 * On cpu the copy is 3–20× faster than the stock kernel at every size. On wasm the stock kernel
 * (a plain loop compiled to wasm) is faster when a side is short or the matrix small, and the copy
 * 1.3–3.4× faster on tall matrices ([1024, 64]: 236 vs 815 µs; [4096, 1000]: 29 vs 56 ms), so
 * {@link useBlockedTranspose} picks by shape. Other permutations, and string or complex tensors,
 * go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, fillOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Cache-blocked transpose of the last two axes of `x` (`batch` matrices `[rows, cols]`) into `out`
 * (`batch` matrices `[cols, rows]`). 32 × 32 tiles; within a tile the inner loop runs along an
 * output row, so writes are contiguous and the strided reads stay in the tile's 32 cache lines.
 */
export function transposeBlocked(x: Values, batch: number, rows: number, cols: number, out: Values): void {
  const B = 32;
  const size = rows * cols;
  for (let o = 0; o < batch * size; o += size) {
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(rows, i0 + B);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(cols, j0 + B);
        for (let j = j0; j < j1; j++) {
          let w = o + j * rows + i0;
          let r = o + i0 * cols + j;
          for (let i = i0; i < i1; i++, r += cols) out[w++] = x[r] as number;
        }
      }
    }
  }
}

/** Whether `perm` swaps the last two axes and keeps the leading ones in place. */
function swapsLastTwo(perm: readonly number[], rank: number): boolean {
  return rank >= 2 && perm.length === rank && perm.every((p, k) => (k < rank - 2 ? p === k : k === rank - 2 ? p === rank - 1 : p === rank - 2));
}

/**
 * Whether the Transpose kernel copies `[rows, cols]` matrices itself (true) or leaves them to the
 * backend's stock kernel: always on cpu; on wasm only for matrices with ≥ 256 rows, ≥ 32 columns
 * and ≥ 16 384 elements, where the stock kernel's strided writes miss the cache (measured with
 * `bench/kernels.ts`, README "Registered kernels").
 */
export function useBlockedTranspose(backendName: string, rows: number, cols: number): boolean {
  if (backendName !== 'wasm') return true;
  return rows >= 256 && cols >= 32 && rows * cols >= 16384;
}

/** Builds the Transpose kernel for `backendName`. */
export const transposeFactory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const perm = (args.attrs as unknown as { perm: number[] }).perm;
    const rank = x.shape.length;
    const rows = x.shape[rank - 2] as number;
    const cols = x.shape[rank - 1] as number;
    if (!swapsLastTwo(perm, rank) || x.dtype === 'string' || x.dtype === 'complex64' || !useBlockedTranspose(backendName, rows, cols)) {
      if (stock === undefined) throw new Error(`@ot/core kernels: no stock Transpose on '${backendName}'`);
      return callKernel(stock.kernelFunc, backend, { x }, { perm });
    }
    const batch = tf.util.sizeFromShape(x.shape.slice(0, rank - 2));
    const outShape = perm.map((p) => x.shape[p] as number);
    return fillOutput(backend, outShape, x.dtype as DataType, (out, view) => transposeBlocked(view(x), batch, rows, cols, out));
  };
  return kernel as unknown as KernelFunc;
};
