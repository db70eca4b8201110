/**
 * GatherV2 with `batchDims > 0` for wasm, whose kernel returns wrong values there (tfjs issue
 * 8658): the batched gather is rewritten as a plain gather along axis 0 of x viewed as
 * `[batch·outer·dim, slice]` with flat indices (b·outer + o)·dim + indices[b, n].
 * `batchDims = 0` goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  callKernel,
  disposeInfo,
  readValues,
  reshapeInfo,
  writeOutput,
  type KernelArgs,
  type KernelFactory,
} from './kernel-util.js';

/** Builds the GatherV2 kernel for `backendName`, delegating `batchDims = 0` to the stock one. */
export const gatherV2Factory: KernelFactory = (backendName, stock) => {
  if (stock === undefined) throw new Error(`@ot/core kernels: no stock GatherV2 for '${backendName}'`);
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const indices = args.inputs['indices'] as TensorInfo;
    const attrs = args.attrs as { axis: number; batchDims?: number };
    let batchDims = attrs.batchDims ?? 0;
    if (batchDims < 0) batchDims += indices.shape.length;
    if (batchDims === 0) {
      return callKernel(stock.kernelFunc, backend, { x, indices }, attrs);
    }
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0] as number;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.Tensor,
      indices as tf.Tensor,
      axis,
      batchDims,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
    const idx = readValues(backend, indices);
    const perBatch = idx.length / batchSize;
    const flat = new Int32Array(batchSize * outerSize * perBatch);
    let k = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const base = (b * outerSize + o) * dimSize;
        const src = b * perBatch;
        for (let n = 0; n < perBatch; n++) {
          const v = idx[src + n] as number;
          if (!(v >= 0 && v < dimSize)) {
            throw new Error(`GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
          }
          flat[k++] = base + v;
        }
      }
    }
    const flatIdx = writeOutput(backend, [flat.length], 'int32', flat);
    const x2 = reshapeInfo(backendName, backend, x, [batchSize * outerSize * dimSize, sliceSize]);
    let gathered: TensorInfo | undefined;
    try {
      gathered = callKernel(stock.kernelFunc, backend, { x: x2, indices: flatIdx }, { axis: 0, batchDims: 0 });
      return reshapeInfo(backendName, backend, gathered, outputShape);
    } finally {
      disposeInfo(backend, flatIdx, x2, gathered);
    }
  };
  return kernel as unknown as KernelFunc;
};
