/**
 * Tile by run copies: the innermost dimension is copied with `set` (or `fill` for a single
 * column), with an odometer over the outer output indices. The stock wasm Tile walks every output
 * element with index arithmetic (it took ≈18 % of a sliced Wasserstein gradient when `sortRows`
 * built its flat indices with a tile). String and complex tensors go to the stock kernel.
 */
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, fillOutput, type KernelArgs, type KernelFactory } from './kernel-util.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** `out[i] = x[i mod shape]` for `reps` along each axis (any rank). */
export function tileValues(x: Values, shape: readonly number[], reps: readonly number[], out: Values): void {
  const rank = shape.length;
  const outShape = shape.map((s, k) => s * (reps[k] as number));
  if (rank === 0) {
    out[0] = x[0] as number;
    return;
  }
  const inner = shape[rank - 1] as number;
  const innerOut = outShape[rank - 1] as number;
  if (innerOut === 0) return;
  const inStrides: number[] = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) inStrides[k] = (inStrides[k + 1] as number) * (shape[k + 1] as number);
  const outer = out.length / innerOut;
  const pos: number[] = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let o = 0; o < outer; o++) {
    let src = 0;
    for (let k = 0; k < rank - 1; k++) src += ((pos[k] as number) % (shape[k] as number)) * (inStrides[k] as number);
    const dst = o * innerOut;
    if (inner === 1) out.fill(x[src] as number, dst, dst + innerOut);
    else for (let j = 0; j < innerOut; j += inner) out.set(x.subarray(src, src + inner), dst + j);
    for (let k = rank - 2; k >= 0; k--) {
      pos[k] = (pos[k] as number) + 1;
      if ((pos[k] as number) < (outShape[k] as number)) break;
      pos[k] = 0;
    }
  }
}

/** Builds the Tile kernel for `backendName`. */
export const tileFactory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      if (stock === undefined) throw new Error(`@ot/core kernels: Tile of ${x.dtype} on '${backendName}'`);
      return callKernel(stock.kernelFunc, backend, { x }, { reps });
    }
    const outShape = x.shape.map((s, k) => s * (reps[k] as number));
    return fillOutput(backend, outShape, x.dtype as DataType, (out, view) => tileValues(view(x), x.shape, reps, out));
  };
  return kernel as unknown as KernelFunc;
};
