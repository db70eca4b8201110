/**
 * Conv2DBackpropInput (the input gradient of `conv2d`, i.e. the forward pass of
 * `conv2dTranspose`) as one stride-1 Conv2D followed by a depth-to-space shuffle: the
 * "sub-pixel convolution" form of a transposed convolution (Shi et al., "Real-Time Single Image
 * and Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network",
 * CVPR 2016; Dumoulin & Visin 2016, §4).
 *
 * With P = p + top split as P = u·sh + a (phase a ∈ [0, sh)), filter row r = a + k·sh and
 * dy row y = u − k:
 *
 *   dx[b, u·sh + a − top, v·sw + a' − left, i]
 *     = Σ_{k, k', o} dy[b, u − k, v − k', o] · W[a + k·sh, a' + k'·sw, i, o],
 *
 * a stride-1 correlation of dy with a `[⌈fh/sh⌉, ⌈fw/sw⌉, Cout, sh·sw·Cin]` filter G built from W
 * (flipped, phases moved to the output channels, zero where a + k·sh ≥ fh). The output
 * `[B, U, V, sh·sw·Cin]` is shuffled to `[B, U·sh, V·sw, Cin]` and cropped. No multiplication by
 * the zeros of a dilated dy is done, unlike the textbook "dilate, pad, convolve" form, and the
 * convolution runs in the backend's fast Conv2D (XNNPACK on wasm) instead of its scalar loop.
 * `conv2dBackpropInputFactory` (./conv2d-backprop-input.ts) uses it at stride 1, where it is a
 * single Conv2D with the flipped filter; at larger strides the GEMM form measured faster.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  disposeInfo,
  readValues,
  reshapeInfo,
  runKernel,
  sizeOf,
  sliceInfo,
  transposeInfo,
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

/**
 * The sub-pixel filter G `[kh, kw, Cout, sh·sw·Cin]` from W `[fh, fw, Cin, Cout]`:
 * G[j, j', o, (a·sw + a')·Cin + i] = W[a + (kh − 1 − j)·sh, a' + (kw − 1 − j')·sw, i, o].
 */
export function subPixelFilter(
  w: ArrayLike<number>,
  fh: number,
  fw: number,
  cin: number,
  cout: number,
  sh: number,
  sw: number,
): { values: Float32Array; shape: [number, number, number, number] } {
  const kh = Math.ceil(fh / sh);
  const kw = Math.ceil(fw / sw);
  const cg = sh * sw * cin;
  const g = new Float32Array(kh * kw * cout * cg);
  for (let r = 0; r < fh; r++) {
    const a = r % sh;
    const j = kh - 1 - (r - a) / sh;
    for (let c = 0; c < fw; c++) {
      const a2 = c % sw;
      const j2 = kw - 1 - (c - a2) / sw;
      const phase = (a * sw + a2) * cin;
      const gBase = (j * kw + j2) * cout * cg;
      const wBase = (r * fw + c) * cin * cout;
      for (let i = 0; i < cin; i++) {
        const wRow = wBase + i * cout;
        const gCol = gBase + phase + i;
        for (let o = 0; o < cout; o++) g[gCol + o * cg] = w[wRow + o] as number;
      }
    }
  }
  return { values: g, shape: [kh, kw, cout, cg] };
}

/** Builds the sub-pixel Conv2DBackpropInput kernel for `backendName`. */
export const conv2dBackpropInputSubPixelFactory: KernelFactory = (backendName) => {
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
    const outShapeNHWC = [nb, h, wd, cin];
    if (sizeOf(outShapeNHWC) === 0 || sizeOf(dyIn.shape) === 0) {
      return writeOutput(backend, [...attrs.inputShape], 'float32', new Float32Array(sizeOf(outShapeNHWC)));
    }
    const owned: TensorInfo[] = [];
    try {
      const dy = channelsLast ? dyIn : transposeInfo(backendName, backend, dyIn, [0, 2, 3, 1]);
      if (!channelsLast) owned.push(dy);
      const oh = dy.shape[1] as number;
      const ow = dy.shape[2] as number;
      const g = subPixelFilter(readValues(backend, filter), fh, fw, cin, cout, sh, sw);
      const gInfo = writeOutput(backend, g.shape, 'float32', g.values);
      owned.push(gInfo);
      const [kh, kw] = g.shape;

      // Output rows u ∈ [u0, u0 + U): the phases covering p + top for p ∈ [0, h).
      const u0 = Math.floor(top / sh);
      const v0 = Math.floor(left / sw);
      const uh = Math.floor((h - 1 + top) / sh) - u0 + 1;
      const uw = Math.floor((wd - 1 + left) / sw) - v0 + 1;
      // Conv output row t reads dy rows t + j − (kh − 1 − u0); pad or crop dy to match.
      let padTop = kh - 1 - u0;
      let padLeft = kw - 1 - v0;
      const dyTop = Math.max(0, -padTop);
      const dyLeft = Math.max(0, -padLeft);
      padTop = Math.max(0, padTop);
      padLeft = Math.max(0, padLeft);
      let dyRows = oh - dyTop;
      let dyCols = ow - dyLeft;
      let padBottom = uh + kh - 1 - padTop - dyRows;
      let padRight = uw + kw - 1 - padLeft - dyCols;
      if (padBottom < 0) {
        dyRows += padBottom;
        padBottom = 0;
      }
      if (padRight < 0) {
        dyCols += padRight;
        padRight = 0;
      }
      if (dyRows <= 0 || dyCols <= 0) {
        // Only padding is read back: every input gradient is zero.
        return writeOutput(backend, [...attrs.inputShape], 'float32', new Float32Array(sizeOf(outShapeNHWC)));
      }
      const dyUsed = sliceInfo(backendName, backend, dy, [0, dyTop, dyLeft, 0], [nb, dyRows, dyCols, cout]);
      if (dyUsed.owned) owned.push(dyUsed.info);
      const conv = runKernel(
        backendName,
        'Conv2D',
        backend,
        { x: dyUsed.info, filter: gInfo },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [padTop, padBottom],
            [padLeft, padRight],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        },
      );
      owned.push(conv);
      // Depth to space: [B, U, V, sh, sw, Cin] → [B, U·sh, V·sw, Cin].
      let full = conv;
      if (sh > 1 || sw > 1) {
        if (sh === sw) {
          full = runKernel(backendName, 'DepthToSpace', backend, { x: conv }, { blockSize: sh, dataFormat: 'NHWC' });
        } else {
          const six = reshapeInfo(backendName, backend, conv, [nb, uh, uw, sh, sw, cin]);
          owned.push(six);
          const shuffled = transposeInfo(backendName, backend, six, [0, 1, 3, 2, 4, 5]);
          owned.push(shuffled);
          full = reshapeInfo(backendName, backend, shuffled, [nb, uh * sh, uw * sw, cin]);
        }
        owned.push(full);
      }
      const dx = sliceInfo(backendName, backend, full, [0, top - u0 * sh, left - v0 * sw, 0], [nb, h, wd, cin]);
      if (!dx.owned) {
        // The whole tensor: hand out a reference that the caller owns.
        const ref = reshapeInfo(backendName, backend, full, [nb, h, wd, cin]);
        return channelsLast ? ref : finishNCHW(backendName, backend, ref);
      }
      return channelsLast ? dx.info : finishNCHW(backendName, backend, dx.info);
    } finally {
      disposeInfo(backend, ...owned);
    }
  };
  return kernel as unknown as KernelFunc;
};

function finishNCHW(backendName: string, backend: KernelArgs['backend'], nhwc: TensorInfo): TensorInfo {
  const out = transposeInfo(backendName, backend, nhwc, [0, 3, 1, 2]);
  disposeInfo(backend, nhwc);
  return out;
}
