/**
 * Conv2DBackpropFilter (the filter gradient of `conv2d`, and of `conv2dTranspose`) as one
 * dilated convolution: with the batch moved to the channel axis,
 *
 *   dW[r, c, i, o] = Σ_{b, y, z} x[b, y·sh + r − top, z·sw + c − left, i] · dy[b, y, z, o]
 *
 * is the stride-1 convolution of xᵀ = x as `[Cin, H, W, B]` with the filter dyᵀ = dy as
 * `[OH, OW, B, Cout]` dilated by the strides (sh, sw), explicitly padded so that the output is
 * `[Cin, fh, fw, Cout]`; one transpose gives `[fh, fw, Cin, Cout]`. This is the classic
 * "weight gradient as a convolution" identity (e.g. Dumoulin & Visin, "A guide to convolution
 * arithmetic for deep learning", 2016). The backend's own Conv2D does the arithmetic: wasm has no
 * Conv2DBackpropFilter at all, and the cpu one is a scalar loop about 90× slower.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  disposeInfo,
  runKernel,
  sizeOf,
  sliceInfo,
  transposeInfo,
  writeOutput,
  type KernelArgs,
  type KernelFactory,
} from './kernel-util.js';

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Builds the Conv2DBackpropFilter kernel for `backendName` (cpu or wasm). */
export const conv2dBackpropFilterFactory: KernelFactory = (backendName) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const dy = args.inputs['dy'] as TensorInfo;
    const attrs = args.attrs as unknown as BackpropFilterAttrs;
    const channelsLast = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      channelsLast ? 'channelsLast' : 'channelsFirst',
    );
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const { top, left } = info.padInfo;
    const filterShape = [fh, fw, info.inChannels, info.outChannels];
    if (sizeOf(x.shape) === 0 || sizeOf(dy.shape) === 0) {
      return writeOutput(backend, filterShape, 'float32', new Float32Array(sizeOf(filterShape)));
    }
    // Rows of x that some (filter row, output row) pair reads: up to (oh − 1)·sh + fh − 1 − top.
    const needH = (oh - 1) * sh + fh - top;
    const needW = (ow - 1) * sw + fw - left;
    const usedH = Math.min(info.inHeight, needH);
    const usedW = Math.min(info.inWidth, needW);
    const bottom = needH - usedH;
    const right = needW - usedW;

    // xᵀ: [Cin, H, W, B]; dyᵀ: [OH, OW, B, Cout].
    const xT = transposeInfo(backendName, backend, x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
    const dyT = transposeInfo(backendName, backend, dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
    const cropped = sliceInfo(backendName, backend, xT, [0, 0, 0, 0], [info.inChannels, usedH, usedW, info.batchSize]);
    let conv: TensorInfo | undefined;
    try {
      conv = runKernel(
        backendName,
        'Conv2D',
        backend,
        { x: cropped.info, filter: dyT },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [sh, sw],
          dimRoundingMode: undefined,
        },
      );
      // [Cin, fh, fw, Cout] → [fh, fw, Cin, Cout]
      return transposeInfo(backendName, backend, conv, [1, 2, 0, 3]);
    } finally {
      disposeInfo(backend, xT, dyT, conv, cropped.owned ? cropped.info : undefined);
    }
  };
  return kernel as unknown as KernelFunc;
};
