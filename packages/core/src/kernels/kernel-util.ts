/**
 * Helpers shared by the replacement kernels: running another kernel registered for the same
 * backend, disposing intermediates, reading values and writing outputs on the cpu and wasm
 * backends (`makeTensorInfo` on cpu, `makeOutput` on wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of a tfjs `KernelBackend` (cpu or wasm) the replacement kernels use. */
export interface KernelBackendLike {
  readSync(dataId: object): unknown;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef?(dataId: object): void;
  makeOutput?(shape: number[], dtype: DataType, memoryOffset?: number, values?: ArrayLike<number>): TensorInfo;
  makeTensorInfo?(shape: number[], dtype: DataType, values?: ArrayLike<number>): TensorInfo;
  typedArrayFromHeap?(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Values = Float32Array | Int32Array | Uint8Array;

/** Arguments a kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: KernelBackendLike;
  attrs?: NamedAttrMap;
}

/** A replacement kernel: built once per backend from the stock config (undefined when missing). */
export type KernelFactory = (backendName: string, stock: KernelConfig | undefined) => KernelFunc;

/** Runs the kernel `kernelName` currently registered for `backendName` and returns its single output. */
export function runKernel(
  backendName: string,
  kernelName: string,
  backend: KernelBackendLike,
  inputs: Record<string, TensorInfo>,
  attrs: object = {},
): TensorInfo {
  const config = tf.getKernel(kernelName, backendName);
  if (config === undefined) throw new Error(`@ot/core kernels: '${kernelName}' is not registered for '${backendName}'`);
  return callKernel(config.kernelFunc, backend, inputs, attrs);
}

/** Calls a kernel function and returns its single output. */
export function callKernel(
  fn: KernelFunc,
  backend: KernelBackendLike,
  inputs: Record<string, TensorInfo>,
  attrs: object = {},
): TensorInfo {
  const out = fn({ inputs, backend, attrs: attrs as NamedAttrMap });
  if (Array.isArray(out)) throw new Error('@ot/core kernels: expected a single output');
  return out;
}

/** Releases an intermediate produced inside a kernel. */
export function disposeInfo(backend: KernelBackendLike, ...infos: Array<TensorInfo | undefined>): void {
  for (const info of infos) if (info !== undefined) backend.disposeData(info.dataId);
}

/** A view of the tensor's values (a copy on wasm, the stored array on cpu: do not mutate). */
export function readValues(backend: KernelBackendLike, info: TensorInfo): Float32Array | Int32Array | Uint8Array {
  return backend.readSync(info.dataId) as Float32Array | Int32Array | Uint8Array;
}

function newArray(dtype: DataType, size: number): Values {
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float32Array(size);
}

/**
 * Creates an output of `shape` and lets `fill` write its values without extra copies: on wasm
 * `out` is a zeroed view of the output in the heap and `view(t)` a view of an input in the heap
 * (valid during `fill`, which must not allocate tensors); on cpu `out` is a fresh array and
 * `view(t)` the stored values (read only).
 */
export function fillOutput(
  backend: KernelBackendLike,
  shape: number[],
  dtype: DataType,
  fill: (out: Values, view: (t: TensorInfo) => Values) => void,
): TensorInfo {
  if (typeof backend.makeTensorInfo !== 'function' && typeof backend.typedArrayFromHeap === 'function' && typeof backend.makeOutput === 'function') {
    const info = backend.makeOutput(shape, dtype);
    const heap = backend.typedArrayFromHeap.bind(backend);
    const out = heap(info);
    out.fill(0);
    try {
      fill(out, (t) => heap(t));
    } catch (e) {
      backend.disposeData(info.dataId);
      throw e;
    }
    return info;
  }
  const out = newArray(dtype, sizeOf(shape));
  fill(out, (t) => readValues(backend, t));
  return writeOutput(backend, shape, dtype, out);
}

/**
 * {@link fillOutput} for several outputs: on wasm every output is allocated first (an allocation
 * may grow the heap and detach earlier views), then `fill` gets zeroed heap views of all of them.
 */
export function fillOutputs(
  backend: KernelBackendLike,
  specs: ReadonlyArray<{ shape: number[]; dtype: DataType }>,
  fill: (outs: Values[], view: (t: TensorInfo) => Values) => void,
): TensorInfo[] {
  if (typeof backend.makeTensorInfo !== 'function' && typeof backend.typedArrayFromHeap === 'function' && typeof backend.makeOutput === 'function') {
    const make = backend.makeOutput.bind(backend);
    const infos = specs.map((s) => make(s.shape, s.dtype));
    const heap = backend.typedArrayFromHeap.bind(backend);
    const outs = infos.map((i) => heap(i));
    for (const o of outs) o.fill(0);
    try {
      fill(outs, (t) => heap(t));
    } catch (e) {
      for (const i of infos) backend.disposeData(i.dataId);
      throw e;
    }
    return infos;
  }
  const outs = specs.map((s) => newArray(s.dtype, sizeOf(s.shape)));
  fill(outs, (t) => readValues(backend, t));
  return specs.map((s, k) => writeOutput(backend, s.shape, s.dtype, outs[k] as Values));
}

/**
 * The tensor's values without a copy where possible: a view of the wasm heap (valid until the
 * next tensor allocation: use it at once) or the cpu backend's stored array. Read only.
 */
export function viewValues(backend: KernelBackendLike, info: TensorInfo): Values {
  if (typeof backend.makeTensorInfo !== 'function' && typeof backend.typedArrayFromHeap === 'function') {
    return backend.typedArrayFromHeap(info);
  }
  return readValues(backend, info);
}

/** Writes a new output from values on the cpu (`makeTensorInfo`) or wasm (`makeOutput`) backend. */
export function writeOutput(
  backend: KernelBackendLike,
  shape: number[],
  dtype: DataType,
  values: Float32Array | Int32Array | Uint8Array,
): TensorInfo {
  // Order matters: the cpu backend also has a `makeOutput(values, shape, dtype)` returning a Tensor.
  if (typeof backend.makeTensorInfo === 'function') return backend.makeTensorInfo(shape, dtype, values);
  if (typeof backend.makeOutput === 'function') return backend.makeOutput(shape, dtype, undefined, values);
  throw new Error('@ot/core kernels: the backend can neither makeOutput nor makeTensorInfo');
}

/** A tensor with the same data and a new shape (shares the data: dispose it like any output). */
export function reshapeInfo(backendName: string, backend: KernelBackendLike, x: TensorInfo, shape: number[]): TensorInfo {
  return runKernel(backendName, 'Reshape', backend, { x }, { shape });
}

/** Transposes `x` by `perm` with the backend's Transpose kernel. */
export function transposeInfo(backendName: string, backend: KernelBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return runKernel(backendName, 'Transpose', backend, { x }, { perm });
}

/** Slices `x` with the backend's Slice kernel; returns `x` itself (not a copy) when the slice is whole. */
export function sliceInfo(
  backendName: string,
  backend: KernelBackendLike,
  x: TensorInfo,
  begin: number[],
  size: number[],
): { info: TensorInfo; owned: boolean } {
  const whole = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
  if (whole) return { info: x, owned: false };
  return { info: runKernel(backendName, 'Slice', backend, { x }, { begin, size }), owned: true };
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
