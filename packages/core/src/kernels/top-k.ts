/**
 * TopK for the full descending sort of each row (k = n, `sorted`), the sort behind `sortRows`,
 * `argsortRows` and every sliced Wasserstein distance. The stock wasm kernel is ≈2.7× slower on
 * `[1000, 4096]`. Here each row gets a stable argsort: n linear buckets between the row's min and
 * max, a stable scatter, then an insertion pass that moves elements only within their bucket; rows
 * that are non-finite, constant or too concentrated (a bucket above 64 elements), and rows of at
 * most 32 elements, go to an LSD radix sort on the float bits (insertion sort for n ≤ 32). Ties
 * (including +0 / -0) keep increasing index order, as in tfjs's cpu kernel. Values and indices are
 * written in place in the wasm heap. Everything else (k < n, `sorted: false`, int32 inputs, empty
 * rows) goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fillOutputs, type KernelArgs, type KernelFactory } from './kernel-util.js';

/** -0 as +0 (they compare equal, so ties between them keep index order, as in the stock kernels). */
function canonicalZero(bits: number): number {
  return bits === 0x80000000 ? 0 : bits;
}

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
      keys[i] = ~ascKey(canonicalZero(bits[off + i] as number)) >>> 0;
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

/** Builds the TopK kernel for `backendName` (full float32 sorts here, the rest to the stock kernel). */
export const topKFactory: KernelFactory = (backendName, stock) => {
  const kernel = (args: KernelArgs): TensorInfo[] => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const { k, sorted } = args.attrs as unknown as { k: number; sorted: boolean };
    const n = x.shape.length === 0 ? 0 : (x.shape[x.shape.length - 1] as number);
    if (x.dtype !== 'float32' || k !== n || sorted === false || n === 0) {
      if (stock === undefined) throw new Error(`@ot/core kernels: no stock TopK on '${backendName}'`);
      return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo[];
    }
    const rows = tf.util.sizeFromShape(x.shape) / n;
    return fillOutputs(
      backend,
      [
        { shape: x.shape.slice(), dtype: 'float32' },
        { shape: x.shape.slice(), dtype: 'int32' },
      ],
      ([values, indices], view) => {
        const xv = view(x) as Float32Array;
        const bits = new Uint32Array(xv.buffer, xv.byteOffset, xv.length);
        sortRowsDescending(xv, bits, rows, n, values as Float32Array, indices as Int32Array);
      },
    );
  };
  return kernel as unknown as KernelFunc;
};
