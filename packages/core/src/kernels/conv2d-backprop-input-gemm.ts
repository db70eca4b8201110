/**
 * Conv2DBackpropInput as one matrix product and a col2im scatter (the way Caffe and most CPU
 * libraries compute the input gradient, Jia et al., "Caffe: Convolutional Architecture for Fast
 * Feature Embedding", 2014):
 *
 *   cols[(b, y, z), (r, c, i)] = Σ_o dy[b, y, z, o] · W[r, c, i, o]      (BatchMatMul)
 *   dx[b, y·sh + r − top, z·sw + c − left, i] += cols[(b, y, z), (r, c, i)]  (typed-array loop)
 *
 * Exactly the multiply-adds of the transposed convolution, in the backend's fast matMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  disposeInfo,
  reshapeInfo,
  runKernel,
  sizeOf,
  sliceInfo,
  transposeInfo,
  viewValues,
  writeOutput,
  type KernelArgs,
  type KernelFactory,
} from './kernel-util.js';

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Largest columns matrix (floats) of one batch chunk: 64 MB. */
const MAX_COLS = 16 * 1024 * 1024;

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** dx[b0 + b, y·sh + r − top, z·sw + c − left, i] += cols[(b, y, z), (r, c, i)] for nc batches. */
function col2im(cols: ArrayLike<number>, out: Float32Array, b0: number, nc: number, info: ConvInfo): void {
  const { inHeight: h, inWidth: wd, inChannels: cin, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const taps = fh * fw * cin;
  let src = 0;
  for (let bi = b0; bi < b0 + nc; bi++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++, src += taps) {
        for (let r = 0; r < fh; r++) {
          const xr = y * sh + r - top;
          if (xr < 0 || xr >= h) continue;
          for (let q = 0; q < fw; q++) {
            const xc = z * sw + q - left;
            if (xc < 0 || xc >= wd) continue;
            const o = ((bi * h + xr) * wd + xc) * cin;
            const s = src + (r * fw + q) * cin;
            for (let i = 0; i < cin; i++) out[o + i] = (out[o + i] as number) + (cols[s + i] as number);
          }
        }
      }
    }
  }
}

/**
 * The GEMM + col2im Conv2DBackpropInput kernel factory, with batch chunks whose columns matrix
 * holds at most `maxCols` floats (at least one batch element per chunk).
 */
export function makeConv2dBackpropInputGemm(maxCols = MAX_COLS): KernelFactory {
  return (backendName) => gemmKernel(backendName, maxCols);
}

/** Builds the GEMM + col2im Conv2DBackpropInput kernel for `backendName`. */
export const conv2dBackpropInputGemmFactory: KernelFactory = makeConv2dBackpropInputGemm();

function gemmKernel(backendName: string, maxCols: number): KernelFunc {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const dyIn = args.inputs['dy'] as TensorInfo;
    const filter = args.inputs['filter'] as TensorInfo;
    const attrs = args.attrs as unknown as BackpropInputAttrs;
    const channelsLast = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      channelsLast ? 'channelsLast' : 'channelsFirst',
    );
    const { batchSize: nb, inHeight: h, inWidth: wd, inChannels: cin, outChannels: cout } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    const nhwc = [nb, h, wd, cin];
    if (sizeOf(nhwc) === 0 || sizeOf(dyIn.shape) === 0) {
      return writeOutput(backend, [...attrs.inputShape], 'float32', new Float32Array(sizeOf(nhwc)));
    }
    const dy = channelsLast ? dyIn : transposeInfo(backendName, backend, dyIn, [0, 2, 3, 1]);
    const oh = dy.shape[1] as number;
    const ow = dy.shape[2] as number;
    const taps = fh * fw * cin;
    const out = new Float32Array(sizeOf(nhwc));
    // Batch chunks keep the columns matrix under MAX_COLS floats.
    const chunk = Math.max(1, Math.min(nb, Math.floor(maxCols / Math.max(1, oh * ow * taps))));
    const b = reshapeInfo(backendName, backend, filter, [1, taps, cout]);
    try {
      for (let b0 = 0; b0 < nb; b0 += chunk) {
        const nc = Math.min(chunk, nb - b0);
        const part = sliceInfo(backendName, backend, dy, [b0, 0, 0, 0], [nc, oh, ow, cout]);
        const a = reshapeInfo(backendName, backend, part.info, [1, nc * oh * ow, cout]);
        let cols: TensorInfo | undefined;
        try {
          cols = runKernel(backendName, 'BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: true });
          col2im(viewValues(backend, cols), out, b0, nc, info);
        } finally {
          disposeInfo(backend, a, cols, part.owned ? part.info : undefined);
        }
      }
    } finally {
      disposeInfo(backend, b, channelsLast ? undefined : dy);
    }
    const dx = writeOutput(backend, nhwc, 'float32', out);
    if (channelsLast) return dx;
    const t = transposeInfo(backendName, backend, dx, [0, 3, 1, 2]);
    disposeInfo(backend, dx);
    return t;
  };
  return kernel as unknown as KernelFunc;
}
