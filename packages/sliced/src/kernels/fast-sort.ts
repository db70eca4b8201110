/**
 * Faster kernels for the two operations that dominate a sliced Wasserstein gradient after the
 * projection matmul: the full row sort (`TopK` with k = n) and the scatter of the sort gradient
 * (`ScatterNd`). The stock tfjs 4.22 kernels are generic (a comparison sort and an index-walking
 * scatter); these are an LSD radix argsort on the float bits (stable, O(n) per row) and a linear
 * scatter-add, written in TypeScript over the backend's own memory (no copies on wasm).
 *
 * They replace the stock kernels only when {@link registerSlicedKernels} is called (core owns the
 * default kernel registry); every case they do not handle (k < n, non-float32 TopK) falls back to
 * the stock kernel. Both are tested against the stock kernels on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';

type Backendish = {
  typedArrayFromHeap?: (t: tf.TensorInfo) => tf.backend_util.TypedArray;
  makeOutput?: (shape: number[], dtype: tf.DataType) => tf.TensorInfo;
  readSync?: (dataId: object) => tf.backend_util.BackendValues;
  makeTensorInfo?: (shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues) => tf.TensorInfo;
};

/** Ascending order key of a float32 bit pattern (IEEE total order for non-NaN values). */
function ascKey(bits: number): number {
  return (bits & 0x80000000) !== 0 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const MASK = RADIX - 1;

/** Reusable scratch buffers (grown on demand). */
let keysA = new Uint32Array(0);
let keysB = new Uint32Array(0);
let idxA = new Int32Array(0);
let idxB = new Int32Array(0);
const counts = new Uint32Array(RADIX);

function ensureScratch(n: number): void {
  if (keysA.length >= n) return;
  keysA = new Uint32Array(n);
  keysB = new Uint32Array(n);
  idxA = new Int32Array(n);
  idxB = new Int32Array(n);
}

/**
 * Sorts each of the `rows` rows of `x` (length n) in DEScending order (the order of `TopK`),
 * ties by increasing index, writing values and indices. `bits` is a Uint32 view of `x`.
 */
export function sortRowsDescending(
  x: Float32Array,
  bits: Uint32Array,
  rows: number,
  n: number,
  outValues: Float32Array,
  outIndices: Int32Array,
): void {
  ensureScratch(n);
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    let keys = keysA;
    let idx = idxA;
    // Descending order = ascending order of the complemented key; stable passes keep ties by index.
    for (let i = 0; i < n; i++) {
      keys[i] = ~ascKey(bits[off + i] as number) >>> 0;
      idx[i] = i;
    }
    if (n <= 32) {
      for (let i = 1; i < n; i++) {
        const k = keys[i] as number;
        const id = idx[i] as number;
        let j = i - 1;
        while (j >= 0 && (keys[j] as number) > k) {
          keys[j + 1] = keys[j] as number;
          idx[j + 1] = idx[j] as number;
          j--;
        }
        keys[j + 1] = k;
        idx[j + 1] = id;
      }
    } else {
      let keys2 = keysB;
      let idx2 = idxB;
      for (let shift = 0; shift < 32; shift += RADIX_BITS) {
        counts.fill(0);
        for (let i = 0; i < n; i++) {
          const b = ((keys[i] as number) >>> shift) & MASK;
          counts[b] = (counts[b] as number) + 1;
        }
        // A digit shared by every key leaves the order unchanged: skip the pass.
        if (counts[((keys[0] as number) >>> shift) & MASK] === n) continue;
        let sum = 0;
        for (let b = 0; b < RADIX; b++) {
          const c = counts[b] as number;
          counts[b] = sum;
          sum += c;
        }
        for (let i = 0; i < n; i++) {
          const k = keys[i] as number;
          const bucket = (k >>> shift) & MASK;
          const pos = counts[bucket] as number;
          counts[bucket] = pos + 1;
          keys2[pos] = k;
          idx2[pos] = idx[i] as number;
        }
        const tk = keys;
        keys = keys2;
        keys2 = tk;
        const ti = idx;
        idx = idx2;
        idx2 = ti;
      }
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i] as number;
      outIndices[off + i] = j;
      outValues[off + i] = x[off + j] as number;
    }
  }
}

/** Scatter-add: `out[flat(indices[i]) * slice + j] += updates[i * slice + j]`. */
export function scatterAdd(
  indices: Int32Array | Float32Array | Uint8Array,
  rank: number,
  updates: tf.backend_util.TypedArray,
  sliceSize: number,
  strides: number[],
  out: tf.backend_util.TypedArray,
): void {
  const count = indices.length / rank;
  if (rank === 1 && sliceSize === 1) {
    for (let i = 0; i < count; i++) out[indices[i] as number] = (out[indices[i] as number] as number) + (updates[i] as number);
    return;
  }
  for (let i = 0; i < count; i++) {
    let flat = 0;
    for (let k = 0; k < rank; k++) flat += (indices[i * rank + k] as number) * (strides[k] as number);
    const o = flat * sliceSize;
    const u = i * sliceSize;
    for (let j = 0; j < sliceSize; j++) out[o + j] = (out[o + j] as number) + (updates[u + j] as number);
  }
}

function readInput(backend: Backendish, t: tf.TensorInfo): tf.backend_util.TypedArray {
  if (backend.typedArrayFromHeap !== undefined) return backend.typedArrayFromHeap(t);
  return (backend.readSync as NonNullable<Backendish['readSync']>)(t.dataId) as tf.backend_util.TypedArray;
}

function makeOutputs(
  backend: Backendish,
  specs: Array<{ shape: number[]; dtype: tf.DataType; size: number }>,
): { infos: tf.TensorInfo[]; arrays: () => tf.backend_util.TypedArray[]; finish: (arrays: tf.backend_util.TypedArray[]) => tf.TensorInfo[] } {
  if (backend.makeOutput !== undefined && backend.typedArrayFromHeap !== undefined) {
    // wasm: allocate every output first (allocation may grow and detach the heap), then view them.
    const infos = specs.map((s) => (backend.makeOutput as NonNullable<Backendish['makeOutput']>)(s.shape, s.dtype));
    return {
      infos,
      arrays: () => infos.map((i) => (backend.typedArrayFromHeap as NonNullable<Backendish['typedArrayFromHeap']>)(i)),
      finish: () => infos,
    };
  }
  // cpu: compute into fresh arrays, then hand them to the backend.
  return {
    infos: [],
    arrays: () => specs.map((s) => (s.dtype === 'int32' ? new Int32Array(s.size) : new Float32Array(s.size))),
    finish: (arrays) =>
      specs.map((s, k) => (backend.makeTensorInfo as NonNullable<Backendish['makeTensorInfo']>)(s.shape, s.dtype, arrays[k] as tf.backend_util.BackendValues)),
  };
}

function topkKernel(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'] as tf.TensorInfo;
    const { k, sorted } = attrs as unknown as { k: number; sorted: boolean };
    const n = x.shape[x.shape.length - 1] as number;
    if (x.dtype !== 'float32' || k !== n || sorted === false || n === 0) return stock.kernelFunc(args);
    const rows = tf.util.sizeFromShape(x.shape) / n;
    const b = backend as unknown as Backendish;
    const size = rows * n;
    const outs = makeOutputs(b, [
      { shape: x.shape.slice(), dtype: 'float32', size },
      { shape: x.shape.slice(), dtype: 'int32', size },
    ]);
    const arrays = outs.arrays();
    const xv = readInput(b, x) as Float32Array;
    const bits = new Uint32Array(xv.buffer, xv.byteOffset, xv.length);
    sortRowsDescending(xv, bits, rows, n, arrays[0] as Float32Array, arrays[1] as Int32Array);
    return outs.finish(arrays);
  };
}

function scatterKernel(): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const indices = inputs['indices'] as tf.TensorInfo;
    const updates = inputs['updates'] as tf.TensorInfo;
    const shape = (attrs as unknown as { shape: number[] }).shape;
    const rank = indices.shape.length > 1 ? (indices.shape[indices.shape.length - 1] as number) : 1;
    const size = tf.util.sizeFromShape(shape);
    const sliceSize = tf.util.sizeFromShape(shape.slice(rank));
    const strides: number[] = [];
    let s = sliceSize;
    for (let k = rank - 1; k >= 0; k--) {
      strides[k] = s / sliceSize;
      s *= shape[k] as number;
    }
    const b = backend as unknown as Backendish;
    const outs = makeOutputs(b, [{ shape: shape.slice(), dtype: updates.dtype, size }]);
    const arrays = outs.arrays();
    const out = arrays[0] as tf.backend_util.TypedArray;
    out.fill(0);
    scatterAdd(readInput(b, indices) as Int32Array, rank, readInput(b, updates), sliceSize, strides, out);
    return outs.finish(arrays)[0] as tf.TensorInfo;
  };
}

const installed = new Set<string>();

/**
 * Replaces tfjs's `TopK` (full sorts only; other calls go to the stock kernel) and `ScatterNd`
 * kernels on `backends` (default: cpu and wasm, whichever are registered) with the faster ones
 * of this module. Idempotent; returns the backends patched by this call. Call it once after
 * choosing a backend, e.g. right after `initBackend()`.
 *
 * @example
 * ```ts
 * await initBackend();
 * registerSlicedKernels(); // SW gradients ≈2–3× faster on wasm
 * ```
 */
export function registerSlicedKernels(backends: readonly string[] = ['cpu', 'wasm']): string[] {
  const done: string[] = [];
  for (const backendName of backends) {
    if (installed.has(backendName)) continue;
    const stockTopK = tf.getKernel('TopK', backendName);
    const stockScatter = tf.getKernel('ScatterNd', backendName);
    if (stockTopK === undefined || stockScatter === undefined) continue;
    tf.unregisterKernel('TopK', backendName);
    tf.registerKernel({ kernelName: 'TopK', backendName, kernelFunc: topkKernel(stockTopK), ...(stockTopK.setupFunc ? { setupFunc: stockTopK.setupFunc } : {}) });
    tf.unregisterKernel('ScatterNd', backendName);
    tf.registerKernel({ kernelName: 'ScatterNd', backendName, kernelFunc: scatterKernel(), ...(stockScatter.setupFunc ? { setupFunc: stockScatter.setupFunc } : {}) });
    installed.add(backendName);
    done.push(backendName);
  }
  return done;
}

/** True when {@link registerSlicedKernels} has patched `backendName`. */
export function slicedKernelsRegistered(backendName: string = tf.getBackend()): boolean {
  return installed.has(backendName);
}
