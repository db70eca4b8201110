/**
 * BatchMatMul and _FusedMatMul with `transposeA`/`transposeB` for wasm: its kernel is 12–50×
 * slower with transpose flags (1024³: 56 ms plain, 689 ms transposeB, 2905 ms transposeA), and
 * every matMul gradient uses them. The flagged operands are transposed explicitly (a memory-bound
 * copy) and the stock kernel runs without flags.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, disposeInfo, transposeInfo, type KernelArgs, type KernelFactory } from './kernel-util.js';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Builds the BatchMatMul (or _FusedMatMul) kernel for `backendName` around the stock one. */
export const batchMatMulFactory: KernelFactory = (backendName, stock) => {
  if (stock === undefined) throw new Error(`@ot/core kernels: no stock matMul kernel for '${backendName}'`);
  const kernel = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const a = args.inputs['a'] as TensorInfo;
    const b = args.inputs['b'] as TensorInfo;
    if (attrs.transposeA !== true && attrs.transposeB !== true) {
      return callKernel(stock.kernelFunc, backend, args.inputs as Record<string, TensorInfo>, attrs);
    }
    const aT = attrs.transposeA === true ? transposeInfo(backendName, backend, a, swapLast(a.shape.length)) : undefined;
    const bT = attrs.transposeB === true ? transposeInfo(backendName, backend, b, swapLast(b.shape.length)) : undefined;
    try {
      const inputs: Record<string, TensorInfo> = {};
      for (const [name, t] of Object.entries(args.inputs)) if (t !== undefined) inputs[name] = t;
      inputs['a'] = aT ?? a;
      inputs['b'] = bT ?? b;
      return callKernel(stock.kernelFunc, backend, inputs, { ...attrs, transposeA: false, transposeB: false });
    } finally {
      disposeInfo(backend, aT, bT);
    }
  };
  return kernel as unknown as KernelFunc;
};
