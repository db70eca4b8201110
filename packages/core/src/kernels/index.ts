/**
 * Kernels that `@ot/core` registers for backends where the stock tfjs 4.22 kernel is missing,
 * wrong or pathologically slow (measured figures in the package README, "Registered kernels"):
 *
 * | backend | kernel | stock problem | replacement |
 * | --- | --- | --- | --- |
 * | wasm | Conv2DBackpropFilter | missing (every conv filter gradient) | transpose + dilated Conv2D + transpose |
 * | wasm | Conv2DBackpropInput | scalar loop (≈4 GFLOP/s) | BatchMatMul + col2im (strides > 1), flipped-filter Conv2D (stride 1) |
 * | wasm | UnsortedSegmentSum | missing (every gather gradient) | linear loop |
 * | wasm | GatherV2 | wrong with `batchDims > 0` (tfjs #8658); slow on large index tensors | typed-array loop in the heap |
 * | wasm | BatchMatMul, _FusedMatMul | 12–50× slower with transpose flags | explicit Transpose |
 * | wasm | DepthwiseConv2dNativeBackpropFilter/Input | missing | direct loops |
 * | wasm | TopK (k = n, float32) | ≈3× slower full sorts | stable bucket argsort, radix fallback |
 * | wasm | Tile, Transpose (last two axes, tall matrices) | per-element index arithmetic; cache-missing strided writes | run copies, cache-blocked copy |
 * | cpu | Conv2DBackpropFilter | scalar loop ≈90× slower | transpose + dilated Conv2D + transpose |
 * | cpu | UnsortedSegmentSum | O(segments × size) time and memory | linear loop |
 * | cpu | TopK, ScatterNd, Tile, Transpose | generic JS (comparator sort, per-element index math) | as on wasm; ScatterNd: linear scatter-add |
 *
 * {@link registerBackendKernels} is called by `initBackend` and is idempotent. Each replacement
 * keeps the stock config (its `setupFunc`, and for delegating kernels its `kernelFunc`), so the
 * backend can be re-initialized, and {@link stockKernel} returns it (tests use it as reference).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulFactory } from './batch-mat-mul.js';
import { conv2dBackpropFilterFactory } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputFactory } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterFactory, depthwiseBackpropInputFactory } from './depthwise-backprop.js';
import { gatherV2Factory } from './gather-v2.js';
import type { KernelFactory } from './kernel-util.js';
import { scatterNdFactory } from './scatter-nd.js';
import { tileFactory } from './tile.js';
import { topKFactory } from './top-k.js';
import { transposeFactory } from './transpose.js';
import { unsortedSegmentSumFactory } from './unsorted-segment-sum.js';

/** Replacement kernels per backend name. */
export const KERNEL_REPLACEMENTS: Readonly<Record<string, ReadonlyArray<readonly [string, KernelFactory]>>> = {
  wasm: [
    ['Conv2DBackpropFilter', conv2dBackpropFilterFactory],
    ['Conv2DBackpropInput', conv2dBackpropInputFactory],
    ['UnsortedSegmentSum', unsortedSegmentSumFactory],
    ['GatherV2', gatherV2Factory],
    ['BatchMatMul', batchMatMulFactory],
    ['_FusedMatMul', batchMatMulFactory],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterFactory],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputFactory],
    ['TopK', topKFactory],
    ['Tile', tileFactory],
    ['Transpose', transposeFactory],
  ],
  cpu: [
    ['Conv2DBackpropFilter', conv2dBackpropFilterFactory],
    ['UnsortedSegmentSum', unsortedSegmentSumFactory],
    ['TopK', topKFactory],
    ['ScatterNd', scatterNdFactory],
    ['Tile', tileFactory],
    ['Transpose', transposeFactory],
  ],
};

/** Marker stored on our configs (the kernel registry is global: survives duplicate module copies). */
const MARK = '__otReplacement';

interface ReplacementConfig extends KernelConfig {
  [MARK]: { stock: KernelConfig | undefined };
}

function isReplacement(config: KernelConfig | undefined): config is ReplacementConfig {
  return config !== undefined && MARK in config;
}

/**
 * Registers the replacement kernels for `backendName` (nothing for backends without any);
 * returns the kernel names registered by this call (empty when already done).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { registerBackendKernels } from '@ot/core';
 * await tf.setBackend('wasm');
 * registerBackendKernels('wasm'); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', …]
 * ```
 */
export function registerBackendKernels(backendName: string): string[] {
  const table = KERNEL_REPLACEMENTS[backendName];
  if (table === undefined) return [];
  const done: string[] = [];
  for (const [kernelName, factory] of table) {
    const current = tf.getKernel(kernelName, backendName);
    if (isReplacement(current)) continue;
    const config: ReplacementConfig = {
      kernelName,
      backendName,
      kernelFunc: factory(backendName, current),
      [MARK]: { stock: current },
    };
    if (current?.setupFunc !== undefined) config.setupFunc = current.setupFunc;
    if (current?.disposeFunc !== undefined) config.disposeFunc = current.disposeFunc;
    if (current !== undefined) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
    done.push(kernelName);
  }
  return done;
}

/**
 * The stock tfjs kernel that a replacement registered for `backendName` wraps (undefined when
 * the stock backend has none, or when `kernelName` is not replaced: then the registered kernel
 * is the stock one).
 */
export function stockKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  const current = tf.getKernel(kernelName, backendName);
  return isReplacement(current) ? current[MARK].stock : undefined;
}

/** Whether the kernel registered for `backendName` is an `@ot/core` replacement. */
export function isReplacedKernel(kernelName: string, backendName: string): boolean {
  return isReplacement(tf.getKernel(kernelName, backendName));
}
