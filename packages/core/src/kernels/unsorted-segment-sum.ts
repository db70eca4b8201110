/**
 * UnsortedSegmentSum (the gradient of `gather`) as one linear pass:
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …], ids outside [0, numSegments) dropped (as TensorFlow does).
 * The wasm backend has no such kernel; the cpu one builds a mask per segment (O(segments × size)
 * time and memory, tens of GB for the gradient of a large gather). Sums are accumulated in
 * float64 and rounded once.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { readValues, sizeOf, writeOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

/** The segment sum of `x` (flat, `[n, inner]`) by `ids` (`[n]`) into `[numSegments, inner]`. */
export function segmentSumValues(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  inner: number,
): Float64Array {
  const acc = new Float64Array(numSegments * inner);
  const n = ids.length;
  if (inner === 1) {
    for (let i = 0; i < n; i++) {
      const s = ids[i] as number;
      if (s >= 0 && s < numSegments) acc[s] = (acc[s] as number) + (x[i] as number);
    }
    return acc;
  }
  for (let i = 0; i < n; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) acc[dst + j] = (acc[dst + j] as number) + (x[src + j] as number);
  }
  return acc;
}

/** Builds the UnsortedSegmentSum kernel (cpu and wasm). */
export const unsortedSegmentSumFactory: KernelFactory = () => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const segmentIds = args.inputs['segmentIds'] as TensorInfo;
    const numSegments = (args.attrs as { numSegments: number }).numSegments;
    const idsRank = segmentIds.shape.length;
    const outShape = [numSegments, ...x.shape.slice(idsRank)];
    const inner = sizeOf(x.shape.slice(idsRank));
    const acc = segmentSumValues(readValues(backend, x), readValues(backend, segmentIds), numSegments, inner);
    const values = x.dtype === 'int32' ? Int32Array.from(acc) : Float32Array.from(acc);
    return writeOutput(backend, outShape, x.dtype === 'int32' ? 'int32' : 'float32', values);
  };
  return kernel as unknown as KernelFunc;
};
