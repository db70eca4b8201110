/**
 * Faster kernels for the operations that dominate a sliced Wasserstein gradient after the
 * projection matMuls, written in TypeScript over the backend's own memory (no copies on wasm):
 *
 * - `TopK` with k = n (the full row sort behind `@ot/core`'s `sortRows`): a stable argsort per row —
 *   n linear buckets between the row's min and max, then an insertion pass that moves elements only
 *   within their bucket — with an LSD radix sort on the float bits as the fallback for rows that are
 *   non-finite, constant or too concentrated (a bucket above 64 elements). Ties keep index order.
 * - `ScatterNd` (the sort gradient): a linear scatter-add.
 * - `Tile` (the flat sort indices in `@ot/core`): run copies; the stock wasm Tile walks every output
 *   element with index arithmetic.
 * - `Transpose` of the last two axes: a cache-blocked copy.
 *
 * They replace the stock kernels only when {@link registerSlicedKernels} is called (core owns the
 * default kernel registry); every case they do not handle (k < n, other permutations, string or
 * complex dtypes) goes to the stock kernel. `test/kernels.test.ts` compares them with the stock
 * kernels on cpu and wasm.
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
const counts = new Uint32Array(3 * RADIX);

function ensureScratch(n: number): void {
  if (keysA.length >= n) return;
  keysA = new Uint32Array(n);
  keysB = new Uint32Array(n);
  idxA = new Int32Array(n);
  idxB = new Int32Array(n);
}

let bucketIds = new Int32Array(0);
let bucketStarts = new Int32Array(0);
let tmpValues = new Float32Array(0);
let tmpIndices = new Int32Array(0);
/** Largest bucket the insertion pass accepts before falling back to the radix sort. */
const MAX_BUCKET = 64;

/**
 * Descending sort of one row by n linear buckets over [min, max] (a monotone map, so buckets are
 * ordered), a stable scatter, and an insertion pass that only moves elements within their bucket.
 * Ties keep increasing index order. Returns false (writing nothing) when the row has a non-finite
 * value, is constant, or has a bucket larger than {@link MAX_BUCKET}: the caller then radix-sorts it.
 */
function bucketSortRow(x: Float32Array, off: number, n: number, outValues: Float32Array, outIndices: Int32Array): boolean {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[off + i] as number;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const range = mx - mn;
  if (!(range > 0) || !Number.isFinite(range)) return false;
  if (bucketIds.length < n) {
    bucketIds = new Int32Array(n);
    bucketStarts = new Int32Array(n + 1);
    tmpValues = new Float32Array(n);
    tmpIndices = new Int32Array(n);
  }
  const ids = bucketIds;
  const starts = bucketStarts;
  starts.fill(0, 0, n + 1);
  const scale = n / range;
  for (let i = 0; i < n; i++) {
    // Bucket 0 holds the largest values (descending order); NaN fails the range test above.
    let b = Math.floor((mx - (x[off + i] as number)) * scale);
    if (b >= n) b = n - 1;
    ids[i] = b;
    starts[b + 1] = (starts[b + 1] as number) + 1;
  }
  let biggest = 0;
  for (let b = 0; b < n; b++) {
    const c = starts[b + 1] as number;
    if (c > biggest) biggest = c;
    starts[b + 1] = c + (starts[b] as number);
  }
  if (biggest > MAX_BUCKET) return false;
  const tv = tmpValues;
  const ti = tmpIndices;
  for (let i = 0; i < n; i++) {
    const b = ids[i] as number;
    const pos = starts[b] as number;
    starts[b] = pos + 1;
    tv[pos] = x[off + i] as number;
    ti[pos] = i;
  }
  for (let i = 1; i < n; i++) {
    const v = tv[i] as number;
    if ((tv[i - 1] as number) >= v) continue;
    const id = ti[i] as number;
    let j = i - 1;
    while (j >= 0 && (tv[j] as number) < v) {
      tv[j + 1] = tv[j] as number;
      ti[j + 1] = ti[j] as number;
      j--;
    }
    tv[j + 1] = v;
    ti[j + 1] = id;
  }
  outValues.set(tv.subarray(0, n), off);
  outIndices.set(ti.subarray(0, n), off);
  return true;
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
    if (n > 32 && bucketSortRow(x, off, n, outValues, outIndices)) continue;
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
      // One counting pass for the three digits (11, 11 and 10 bits), then three stable scatters.
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const k = keys[i] as number;
        const b0 = k & MASK;
        const b1 = RADIX + ((k >>> RADIX_BITS) & MASK);
        const b2 = 2 * RADIX + (k >>> (2 * RADIX_BITS));
        counts[b0] = (counts[b0] as number) + 1;
        counts[b1] = (counts[b1] as number) + 1;
        counts[b2] = (counts[b2] as number) + 1;
      }
      let keys2 = keysB;
      let idx2 = idxB;
      for (let pass = 0; pass < 3; pass++) {
        const shift = pass * RADIX_BITS;
        const base = pass * RADIX;
        // A digit shared by every key leaves the order unchanged: skip the pass.
        if (counts[base + (((keys[0] as number) >>> shift) & MASK)] === n) continue;
        let sum = 0;
        for (let b = base; b < base + RADIX; b++) {
          const c = counts[b] as number;
          counts[b] = sum;
          sum += c;
        }
        for (let i = 0; i < n; i++) {
          const k = keys[i] as number;
          const bucket = base + ((k >>> shift) & MASK);
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

/** `out[i] = x[i mod shape]` for `reps` along each axis (any rank, any dtype with a typed array). */
export function tileValues(x: tf.backend_util.TypedArray, shape: number[], reps: number[], out: tf.backend_util.TypedArray): void {
  const rank = shape.length;
  const outShape = shape.map((s, k) => s * (reps[k] as number));
  if (rank === 0) {
    out[0] = x[0] as number;
    return;
  }
  // Copy the innermost dimension in runs, with an odometer over the outer output indices.
  const inner = shape[rank - 1] as number;
  const innerOut = outShape[rank - 1] as number;
  const inStrides: number[] = new Array(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) inStrides[k] = (inStrides[k + 1] as number) * (shape[k + 1] as number);
  const outer = out.length / innerOut;
  const pos: number[] = new Array(Math.max(rank - 1, 0)).fill(0);
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

function tileKernel(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'] as tf.TensorInfo;
    const reps = (attrs as unknown as { reps: number[] }).reps;
    if (x.dtype === 'string' || x.dtype === 'complex64') return stock.kernelFunc(args);
    const outShape = x.shape.map((s, k) => s * (reps[k] as number));
    const b = backend as unknown as Backendish;
    const outs = makeOutputs(b, [{ shape: outShape, dtype: x.dtype, size: tf.util.sizeFromShape(outShape) }]);
    const arrays = outs.arrays();
    tileValues(readInput(b, x), x.shape, reps, arrays[0] as tf.backend_util.TypedArray);
    return outs.finish(arrays)[0] as tf.TensorInfo;
  };
}

/** Cache-blocked transpose of the last two axes of `x` (`batch` matrices `[rows, cols]`). */
export function transposeBlocked(x: tf.backend_util.TypedArray, batch: number, rows: number, cols: number, out: tf.backend_util.TypedArray): void {
  const B = 16;
  const size = rows * cols;
  for (let bt = 0; bt < batch; bt++) {
    const o = bt * size;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(rows, i0 + B);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(cols, j0 + B);
        for (let i = i0; i < i1; i++) {
          const ro = o + i * cols;
          for (let j = j0; j < j1; j++) out[o + j * rows + i] = x[ro + j] as number;
        }
      }
    }
  }
}

function transposeKernel(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'] as tf.TensorInfo;
    const perm = (attrs as unknown as { perm: number[] }).perm;
    const rank = x.shape.length;
    // Only a swap of the last two axes (leading axes in place) is handled here.
    const swapLast = rank >= 2 && perm.every((p, k) => (k < rank - 2 ? p === k : k === rank - 2 ? p === rank - 1 : p === rank - 2));
    if (!swapLast || x.dtype === 'string' || x.dtype === 'complex64') return stock.kernelFunc(args);
    const rows = x.shape[rank - 2] as number;
    const cols = x.shape[rank - 1] as number;
    const batch = tf.util.sizeFromShape(x.shape.slice(0, rank - 2));
    const outShape = perm.map((p) => x.shape[p] as number);
    const b = backend as unknown as Backendish;
    const outs = makeOutputs(b, [{ shape: outShape, dtype: x.dtype, size: tf.util.sizeFromShape(outShape) }]);
    const arrays = outs.arrays();
    transposeBlocked(readInput(b, x), batch, rows, cols, arrays[0] as tf.backend_util.TypedArray);
    return outs.finish(arrays)[0] as tf.TensorInfo;
  };
}

const installed = new Set<string>();

/**
 * Replaces tfjs's `TopK` (full sorts only; other calls go to the stock kernel), `ScatterNd`,
 * `Tile` and `Transpose` (swaps of the last two axes; other permutations go to the stock kernel) kernels on `backends` (default: cpu and wasm, whichever are registered) with the faster ones
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
    const stockTile = tf.getKernel('Tile', backendName);
    const stockTranspose = tf.getKernel('Transpose', backendName);
    if (stockTopK === undefined || stockScatter === undefined || stockTile === undefined || stockTranspose === undefined) continue;
    tf.unregisterKernel('TopK', backendName);
    tf.registerKernel({ kernelName: 'TopK', backendName, kernelFunc: topkKernel(stockTopK), ...(stockTopK.setupFunc ? { setupFunc: stockTopK.setupFunc } : {}) });
    tf.unregisterKernel('ScatterNd', backendName);
    tf.registerKernel({ kernelName: 'ScatterNd', backendName, kernelFunc: scatterKernel(), ...(stockScatter.setupFunc ? { setupFunc: stockScatter.setupFunc } : {}) });
    tf.unregisterKernel('Tile', backendName);
    tf.registerKernel({ kernelName: 'Tile', backendName, kernelFunc: tileKernel(stockTile), ...(stockTile.setupFunc ? { setupFunc: stockTile.setupFunc } : {}) });
    tf.unregisterKernel('Transpose', backendName);
    tf.registerKernel({
      kernelName: 'Transpose',
      backendName,
      kernelFunc: transposeKernel(stockTranspose),
      ...(stockTranspose.setupFunc ? { setupFunc: stockTranspose.setupFunc } : {}),
    });
    installed.add(backendName);
    done.push(backendName);
  }
  return done;
}

/** True when {@link registerSlicedKernels} has patched `backendName`. */
export function slicedKernelsRegistered(backendName: string = tf.getBackend()): boolean {
  return installed.has(backendName);
}
