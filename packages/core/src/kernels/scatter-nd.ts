/**
 * ScatterNd (the gradient of `sortRows` / `gatherRows`, and of every sliced Wasserstein distance):
 * one linear scatter-add, `out[flat(indices[i]) · slice + j] += updates[i · slice + j]`, written in
 * place in the wasm heap. Duplicate indices accumulate, as in TensorFlow. String and complex
 * updates go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, fillOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

/** Scatter-add: `out[flat(indices[i]) * slice + j] += updates[i * slice + j]` (`strides` in slices). */
export function scatterAdd(
  indices: ArrayLike<number>,
  rank: number,
  updates: ArrayLike<number>,
  sliceSize: number,
  strides: readonly number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const count = indices.length / rank;
  if (rank === 1 && sliceSize === 1) {
    for (let i = 0; i < count; i++) out[indices[i] as number] = (out[indices[i] as number] as number) + (updates[i] as number);
    return;
  }
  for (let i = 0; i < count; i++) {
    let flat = 0;
    for (let k = 0; k < rank; k++) flat += (indices[i * rank + k] as number) * (strides[k] as number);
    const o = flat * sliceSize;
    const u = i * sliceSize;
    for (let j = 0; j < sliceSize; j++) out[o + j] = (out[o + j] as number) + (updates[u + j] as number);
  }
}

/** Builds the ScatterNd kernel for `backendName`. */
export const scatterNdFactory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const indices = args.inputs['indices'] as TensorInfo;
    const updates = args.inputs['updates'] as TensorInfo;
    const shape = (args.attrs as unknown as { shape: number[] }).shape;
    if (updates.dtype === 'string' || updates.dtype === 'complex64') {
      if (stock === undefined) throw new Error(`@ot/core kernels: ScatterNd of ${updates.dtype} on '${backendName}'`);
      return callKernel(stock.kernelFunc, backend, { indices, updates }, { shape });
    }
    const rank = indices.shape.length > 1 ? (indices.shape[indices.shape.length - 1] as number) : 1;
    const sliceSize = tf.util.sizeFromShape(shape.slice(rank));
    const strides: number[] = [];
    let s = 1;
    for (let k = rank - 1; k >= 0; k--) {
      strides[k] = s;
      s *= shape[k] as number;
    }
    return fillOutput(backend, shape.slice(), updates.dtype as DataType, (out, view) => {
      scatterAdd(view(indices), rank, view(updates), sliceSize, strides, out);
    });
  };
  return kernel as unknown as KernelFunc;
};
