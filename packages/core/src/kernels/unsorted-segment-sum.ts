/**
 * UnsortedSegmentSum (the gradient of `gather`) as one linear pass:
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …], ids outside [0, numSegments) dropped (as TensorFlow does).
 * The wasm backend has no such kernel; the cpu one builds a mask per segment (O(segments × size)
 * time and memory, tens of GB for the gradient of a large gather). When segments receive more
 * than a few terms on average, sums are accumulated in float64 and rounded once; otherwise (the
 * gather-gradient case, about one term per segment, where the loop is memory bound) directly in
 * the output precision.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fillOutput, sizeOf, type KernelArgs, type KernelFactory } from './kernel-util.js';

/**
 * The segment sum of `x` (flat, `[n, inner]`) by `ids` (`[n]`) into `acc` (`[numSegments, inner]`,
 * zero-filled; a Float64Array for extra precision, or the output array itself).
 */
export function segmentSumInto(
  acc: Float64Array | Float32Array | Int32Array,
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  inner: number,
): void {
  const n = ids.length;
  if (inner === 1) {
    for (let i = 0; i < n; i++) {
      const s = ids[i] as number;
      if (s >= 0 && s < numSegments) acc[s] = (acc[s] as number) + (x[i] as number);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) acc[dst + j] = (acc[dst + j] as number) + (x[src + j] as number);
  }
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
    const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
    const size = numSegments * inner;
    const nIds = sizeOf(segmentIds.shape);
    // Many terms per segment: accumulate in float64 (allocated before views of the wasm heap).
    const acc = dtype === 'float32' && nIds > 4 * numSegments ? new Float64Array(size) : undefined;
    return fillOutput(backend, outShape, dtype, (out, view) => {
      const ids = view(segmentIds);
      if (acc !== undefined) {
        segmentSumInto(acc, view(x), ids, numSegments, inner);
        out.set(acc);
      } else {
        segmentSumInto(out as Float32Array | Int32Array, view(x), ids, numSegments, inner);
      }
    });
  };
  return kernel as unknown as KernelFunc;
};
