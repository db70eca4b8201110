/**
 * Conv2DBackpropInput (the input gradient of `conv2d`, and the forward pass of
 * `conv2dTranspose`) for wasm, whose stock kernel is a scalar loop (≈4 GFLOP/s). Two forms, chosen
 * by stride after measuring both on DCGAN-sized layers (package README, "Registered kernels"):
 * - stride 1: the sub-pixel form (./conv2d-backprop-input-subpixel.ts), which is then one Conv2D
 *   with the flipped filter (XNNPACK; ≈3.5× faster than the GEMM form at 3×3, 16×16×32);
 * - strides > 1: the GEMM + col2im form (./conv2d-backprop-input-gemm.ts): exactly the
 *   transposed convolution's multiply-adds in one matMul (2–5× faster than the sub-pixel form
 *   at 5×5/2 and 4×4/2, where the latter multiplies by zero taps and runs a narrow convolution).
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { conv2dBackpropInputGemmFactory } from './conv2d-backprop-input-gemm.js';
import { conv2dBackpropInputSubPixelFactory } from './conv2d-backprop-input-subpixel.js';
import type { KernelArgs, KernelFactory } from './kernel-util.js';

/** Builds the Conv2DBackpropInput kernel for `backendName`: sub-pixel at stride 1, GEMM otherwise. */
export const conv2dBackpropInputFactory: KernelFactory = (backendName, stock) => {
  const subPixel = conv2dBackpropInputSubPixelFactory(backendName, stock);
  const gemm = conv2dBackpropInputGemmFactory(backendName, stock);
  const kernel = (args: KernelArgs): ReturnType<KernelFunc> => {
    const s = (args.attrs as { strides: number | [number, number] }).strides;
    const [sh, sw] = typeof s === 'number' ? [s, s] : s;
    return (sh === 1 && sw === 1 ? subPixel : gemm)(args as Parameters<KernelFunc>[0]);
  };
  return kernel as unknown as KernelFunc;
};
