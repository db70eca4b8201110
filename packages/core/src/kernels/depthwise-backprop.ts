/**
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput (the gradients of
 * `depthwiseConv2d`, hence of `separableConv2d`), missing on wasm: direct loops over dy, in
 * float64, for NHWC inputs. With d2 = d1·chMul + m, a filter `[fh, fw, Cin, chMul]` is indexed
 * like the `[fh, fw, Cout]` channels of dy, so both gradients are one pass:
 *
 *   dW[r, c, d2] += x[b, y·sh + r·dh − top, z·sw + c·dw − left, d1] · dy[b, y, z, d2]
 *   dx[b, y·sh + r·dh − top, z·sw + c·dw − left, d1] += W[r, c, d2] · dy[b, y, z, d2]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { readValues, writeOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

interface DepthwiseAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** Calls `visit(xOffset, dyOffset, wOffset)` for every (b, y, z, r, c) with x inside the image. */
function forEachTap(info: ConvInfo, visit: (xOff: number, dyOff: number, wOff: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let z = 0; z < outWidth; z++) {
        const dyOff = ((b * outHeight + y) * outWidth + z) * outChannels;
        for (let r = 0; r < filterHeight; r++) {
          const xr = y * strideHeight + r * dilationHeight - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let c = 0; c < filterWidth; c++) {
            const xc = z * strideWidth + c * dilationWidth - left;
            if (xc < 0 || xc >= inWidth) continue;
            visit(((b * inHeight + xr) * inWidth + xc) * inChannels, dyOff, (r * filterWidth + c) * outChannels);
          }
        }
      }
    }
  }
}

/** Builds DepthwiseConv2dNativeBackpropFilter (NHWC). */
export const depthwiseBackpropFilterFactory: KernelFactory = () => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const dy = args.inputs['dy'] as TensorInfo;
    const attrs = args.attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    const xv = readValues(backend, x);
    const dyv = readValues(backend, dy);
    const outC = info.outChannels;
    const chMul = outC / info.inChannels;
    const acc = new Float64Array(info.filterHeight * info.filterWidth * outC);
    const inC = info.inChannels;
    forEachTap(info, (xOff, dyOff, wOff) => {
      for (let d1 = 0, d2 = 0; d1 < inC; d1++) {
        const xval = xv[xOff + d1] as number;
        for (let m = 0; m < chMul; m++, d2++) acc[wOff + d2] = (acc[wOff + d2] as number) + xval * (dyv[dyOff + d2] as number);
      }
    });
    return writeOutput(backend, [...attrs.filterShape], 'float32', new Float32Array(acc));
  };
  return kernel as unknown as KernelFunc;
};

/** Builds DepthwiseConv2dNativeBackpropInput (NHWC). */
export const depthwiseBackpropInputFactory: KernelFactory = () => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const dy = args.inputs['dy'] as TensorInfo;
    const filter = args.inputs['filter'] as TensorInfo;
    const attrs = args.attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    const wv = readValues(backend, filter);
    const dyv = readValues(backend, dy);
    const outC = info.outChannels;
    const chMul = outC / info.inChannels;
    const acc = new Float64Array(info.batchSize * info.inHeight * info.inWidth * info.inChannels);
    const inC = info.inChannels;
    forEachTap(info, (xOff, dyOff, wOff) => {
      for (let d1 = 0, d2 = 0; d1 < inC; d1++) {
        let sum = 0;
        for (let m = 0; m < chMul; m++, d2++) sum += (wv[wOff + d2] as number) * (dyv[dyOff + d2] as number);
        acc[xOff + d1] = (acc[xOff + d1] as number) + sum;
      }
    });
    return writeOutput(backend, [...attrs.inputShape], 'float32', new Float32Array(acc));
  };
  return kernel as unknown as KernelFunc;
};
