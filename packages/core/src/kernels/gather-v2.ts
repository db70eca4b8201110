/**
 * GatherV2 for wasm. The stock kernel returns wrong values with `batchDims > 0` (tfjs issue 8658)
 * and is slow on large index tensors (a per-index JS assertion, then a strided C++ loop: ≈4 s
 * for 4·10⁶ indices where a typed-array loop takes a few hundred ms). Here x is viewed as
 * `[batch·outer·dim, slice]` and out[b, o, n, :] = x[(b·outer + o)·dim + indices[b, n], :],
 * read and written in place in the wasm heap. String tensors go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, fillOutput, reshapeInfo, type KernelArgs, type KernelFactory } from './kernel-util.js';

/** Builds the GatherV2 kernel for `backendName`. */
export const gatherV2Factory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const indices = args.inputs['indices'] as TensorInfo;
    const attrs = args.attrs as { axis: number; batchDims?: number };
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      if (stock === undefined) throw new Error(`@ot/core kernels: GatherV2 of ${x.dtype} on '${backendName}'`);
      return callKernel(stock.kernelFunc, backend, { x, indices }, attrs);
    }
    let batchDims = attrs.batchDims ?? 0;
    if (batchDims < 0) batchDims += indices.shape.length;
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0] as number;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.Tensor,
      indices as tf.Tensor,
      axis,
      batchDims,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
    const nIdx = tf.util.sizeFromShape(indices.shape);
    const perBatch = batchSize === 0 ? 0 : nIdx / batchSize;
    const flatShape = [batchSize * outerSize * perBatch * sliceSize];
    const flat = fillOutput(backend, flatShape, x.dtype as DataType, (out, view) => {
      const idx = view(indices);
      for (let i = 0; i < nIdx; i++) {
        const v = idx[i] as number;
        if (!(v >= 0 && v < dimSize)) {
          throw new Error(`GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
        }
      }
      const xv = view(x);
      let dst = 0;
      for (let b = 0; b < batchSize; b++) {
        for (let o = 0; o < outerSize; o++) {
          const base = (b * outerSize + o) * dimSize;
          const src = b * perBatch;
          if (sliceSize === 1) {
            for (let n = 0; n < perBatch; n++) out[dst++] = xv[base + (idx[src + n] as number)] as number;
          } else {
            for (let n = 0; n < perBatch; n++) {
              const from = (base + (idx[src + n] as number)) * sliceSize;
              out.set(xv.subarray(from, from + sliceSize), dst);
              dst += sliceSize;
            }
          }
        }
      }
    });
    const out = reshapeInfo(backendName, backend, flat, outputShape);
    backend.disposeData(flat.dataId);
    return out;
  };
  return kernel as unknown as KernelFunc;
};
