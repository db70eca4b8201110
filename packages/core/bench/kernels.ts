/**
 * Benchmark (not a test) of the kernels `@ot/core` registers: stock tfjs 4.22 kernel vs the
 * replacement, medians over a few runs, on cpu and wasm at realistic sizes.
 *
 *   node --conditions=source --import tsx packages/core/bench/kernels.ts [cpu|wasm ...] [--quick] [--only=Name]
 *
 * `--only=Name[,Name…]` keeps the rows whose kernel name contains one of the names.
 *
 * Prints a markdown table (the one in the package README, "Registered kernels").
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index.js';
import { isReplacedKernel, stockKernel } from '../src/kernels/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const backends = args.filter((a) => !a.startsWith('--'));
if (backends.length === 0) backends.push('wasm', 'cpu');

/** Runs `fn` with the stock kernel registered in place of the replacement; null when there is none. */
function withStock<T>(kernelName: string, backendName: string, fn: () => T): T | null {
  if (!isReplacedKernel(kernelName, backendName)) return fn();
  const stock = stockKernel(kernelName, backendName);
  if (stock === undefined) return null;
  const ours = tf.getKernel(kernelName, backendName)!;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(stock);
  try {
    return fn();
  } finally {
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(ours);
  }
}

/** Wall time (ms) of one call of `fn` (which returns tensors; their data are read, then disposed). */
function timeOnce(fn: () => tf.Tensor | tf.Tensor[]): number {
  const t0 = performance.now();
  const out = fn();
  const list = Array.isArray(out) ? out : [out];
  for (const t of list) t.dataSync();
  tf.dispose(list);
  return performance.now() - t0;
}

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

interface Row {
  backend: string;
  kernel: string;
  work: string;
  stock: number | string;
  patched: number;
}

const rows: Row[] = [];
const runs = quick ? 3 : 7;
/** A variant slower than this (first call) is timed once. */
const slowMs = quick ? 3_000 : 15_000;

/**
 * Times `fn` with the replacement and with the stock kernel, alternating runs so that both see
 * the same machine load; `stockNote` replaces the stock timing (e.g. 'missing').
 */
function bench(backend: string, kernel: string, work: string, fn: () => tf.Tensor | tf.Tensor[], stockNote?: string): void {
  if (only !== undefined && !only.split(',').some((o) => kernel.includes(o))) return;
  // Kernels not replaced on this backend: nothing to compare.
  if (tf.getKernel(kernel, backend) !== undefined && !isReplacedKernel(kernel, backend)) return;
  const hasStock = stockNote === undefined && withStock(kernel, backend, () => true) !== null;
  const tp: number[] = [];
  const ts: number[] = [];
  const first = timeOnce(fn); // warm-up
  const firstStock = hasStock ? (withStock(kernel, backend, () => timeOnce(fn)) as number) : 0;
  if (first > slowMs) tp.push(first);
  if (hasStock && firstStock > slowMs) ts.push(firstStock);
  for (let i = 0; i < runs; i++) {
    if (first <= slowMs) tp.push(timeOnce(fn));
    if (hasStock && firstStock <= slowMs) ts.push(withStock(kernel, backend, () => timeOnce(fn)) as number);
  }
  const patched = medianOf(tp);
  const stock: number | string = stockNote ?? (hasStock ? medianOf(ts) : 'missing');
  rows.push({ backend, kernel, work, stock, patched });
  const st = typeof stock === 'number' ? `${stock.toFixed(1)} ms` : stock;
  console.error(`${backend} ${kernel} ${work}: stock ${st}, patched ${patched.toFixed(1)} ms`);
}

/** Conv2DBackpropFilter is not exported as an op by tfjs-core: run the kernel. */
function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], strides: number, pad: 'same' | 'valid'): tf.Tensor {
  const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

const rnd = (shape: number[], seed: number): tf.Tensor => tf.randomNormal(shape, 0, 1, 'float32', seed);

for (const backend of backends) {
  await initBackend({ backend, quiet: true });

  // DCGAN-28 discriminator conv 2 (64 → 128 channels, 5×5, stride 2, 'same'), batch 64.
  {
    const x = rnd([64, 14, 14, 64], 1) as tf.Tensor4D;
    const dy = rnd([64, 7, 7, 128], 2) as tf.Tensor4D;
    const w = rnd([5, 5, 64, 128], 3) as tf.Tensor4D;
    bench(backend, 'Conv2DBackpropFilter', 'DCGAN-28 conv 64→128 5×5/2, batch 64', () =>
      convFilterGrad(x, dy, [5, 5, 64, 128], 2, 'same'),
    );
    const x1 = rnd([64, 28, 28, 1], 4) as tf.Tensor4D;
    const dy1 = rnd([64, 14, 14, 64], 5) as tf.Tensor4D;
    bench(backend, 'Conv2DBackpropFilter', 'DCGAN-28 conv 1→64 5×5/2, batch 64', () =>
      convFilterGrad(x1, dy1, [5, 5, 1, 64], 2, 'same'),
    );
    // Generator: conv2dTranspose [64, 7, 7, 128] → [64, 14, 14, 64] (= Conv2DBackpropInput).
    bench(backend, 'Conv2DBackpropInput', 'DCGAN-28 convT 128→64 5×5/2, batch 64', () =>
      tf.conv2dTranspose(dy, w, [64, 14, 14, 64], 2, 'same'),
    );
    const w2 = rnd([5, 5, 1, 64], 6) as tf.Tensor4D;
    bench(backend, 'Conv2DBackpropInput', 'DCGAN-28 convT 64→1 5×5/2, batch 64', () =>
      tf.conv2dTranspose(dy1, w2, [64, 28, 28, 1], 2, 'same'),
    );
    // A whole conv2d gradient (both kernels) for the 64 → 128 layer.
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'));
    bench(backend, 'conv2d gradient (x and filter)', 'DCGAN-28 conv 64→128, batch 64', () => g([x, w], dy), '—');
    tf.dispose([x, dy, w, x1, dy1, w2]);
  }

  // matMul 1024³ with transpose flags.
  {
    const a = rnd([1024, 1024], 7);
    const b = rnd([1024, 1024], 8);
    bench(backend, 'BatchMatMul', '1024³, transposeB', () => tf.matMul(a, b, false, true));
    bench(backend, 'BatchMatMul', '1024³, transposeA', () => tf.matMul(a, b, true, false));
    bench(backend, 'BatchMatMul', '1024³, both', () => tf.matMul(a, b, true, true));
    bench(backend, 'BatchMatMul', '1024³, no flags (unchanged path)', () => tf.matMul(a, b));
    tf.dispose([a, b]);
  }

  // Gather gradient = UnsortedSegmentSum: the sliced-Wasserstein case, [n·L] = [4096·1000].
  {
    const size = 4096 * 1000;
    const x = rnd([size], 9);
    const perm = tf.tensor1d(Int32Array.from(tf.util.createShuffledIndices(size)), 'int32');
    const dy = rnd([size], 10);
    const grad = tf.grad((v: tf.Tensor) => tf.gather(v, perm));
    const stockNote = backend === 'cpu' ? 'not run: O(segments × size) = 1.7·10¹³' : undefined;
    bench(backend, 'UnsortedSegmentSum', 'gather gradient, [4096·1000]', () => grad(x, dy), stockNote);
    bench(backend, 'GatherV2', 'gather [4096·1000] by a permutation', () => tf.gather(x, perm));
    const small = 8192;
    const xs = rnd([small], 11);
    const ps = tf.tensor1d(Int32Array.from(tf.util.createShuffledIndices(small)), 'int32');
    const dys = rnd([small], 12);
    const gradSmall = tf.grad((v: tf.Tensor) => tf.gather(v, ps));
    bench(backend, 'UnsortedSegmentSum', 'gather gradient, [8192]', () => gradSmall(xs, dys));
    tf.dispose([x, perm, dy, xs, ps, dys]);
  }

  // Batched gather (sorting rows): [1000, 4096] with batchDims 1 (stock is wrong on wasm).
  if (backend === 'wasm') {
    const x = rnd([1000, 4096], 13);
    const idx = tf.tensor2d(Int32Array.from({ length: 1000 * 4096 }, (_, i) => 4095 - (i % 4096)), [1000, 4096], 'int32');
    bench(backend, 'GatherV2', 'batchDims 1, [1000, 4096] (stock: wrong values)', () => tf.gather(x, idx, 1, 1));
    tf.dispose([x, idx]);
    const xd = rnd([64, 14, 14, 64], 14) as tf.Tensor4D;
    const fd = rnd([5, 5, 64, 1], 15) as tf.Tensor4D;
    const gd = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    const dyd = rnd([64, 14, 14, 64], 16);
    bench(backend, 'DepthwiseConv2dNative gradients', 'x [64, 14, 14, 64], 5×5', () => gd([xd, fd], dyd), 'missing');
    tf.dispose([xd, fd, dyd]);
  }

  // The sort behind sortRows / every sliced Wasserstein gradient, and the ops around it.
  {
    const x = rnd([1000, 4096], 20);
    bench(backend, 'TopK', 'full sort of [1000, 4096] rows', () => {
      const { values, indices } = tf.topk(x, 4096);
      return [values, indices];
    });
    const xt = rnd([4096, 1000], 21);
    bench(backend, 'Transpose', '[4096, 1000] → [1000, 4096]', () => tf.transpose(xt));
    // The matMul gradients of an MLP layer on a batch of 1024 (dW = xᵀ·dy), and the flat case
    // the wasm kernel leaves to the stock one.
    const xm = rnd([1024, 64], 22);
    bench(backend, 'Transpose', '[1024, 64] → [64, 1024]', () => tf.transpose(xm));
    const xw = rnd([64, 1024], 23);
    bench(backend, 'Transpose', '[64, 1024] → [1024, 64]', () => tf.transpose(xw));
    tf.dispose([xm, xw]);
    const perm = tf.tidy(() => tf.reshape(tf.topk(tf.reshape(x, [4096000]), 4096000).indices, [4096000, 1]));
    const upd = tf.reshape(x, [4096000]);
    bench(backend, 'ScatterNd', 'scatter [4096·1000] by a permutation', () => tf.scatterND(perm, upd, [4096000]));
    const col = tf.tidy(() => tf.reshape(tf.mul(tf.range(0, 1000, 1, 'int32'), tf.scalar(4096, 'int32')), [1000, 1]));
    bench(backend, 'Tile', 'int32 [1000, 1] → [1000, 4096]', () => tf.tile(col, [1, 4096]));
    tf.dispose([x, xt, perm, upd, col]);
  }
}

const fmt = (v: number | string): string => (typeof v === 'number' ? v.toFixed(v >= 100 ? 0 : v >= 1 ? 1 : 2) : v);
console.log('| backend | kernel | work | stock (ms) | @ot/core (ms) | speed-up |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  const speed = typeof r.stock === 'number' ? `${(r.stock / r.patched).toFixed(1)}×` : '—';
  console.log(`| ${r.backend} | ${r.kernel} | ${r.work} | ${fmt(r.stock)} | ${fmt(r.patched)} | ${speed} |`);
}
