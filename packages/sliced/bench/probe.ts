import * as tf from '@tensorflow/tfjs-core';
import { initBackend, sortRows } from '@ot/core';
import { useStockKernels } from './stock-kernels.js';
const backend = await initBackend({ backend: process.argv[2] ?? 'wasm', quiet: true });
// `stock` as the second argument: time tfjs's stock TopK / ScatterNd / Tile / Transpose instead of @ot/core's.
if (process.argv[3] === 'stock') console.log('stock kernels:', useStockKernels(backend));
function time(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 5) {
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const out = f();
    (Array.isArray(out) ? out : [out]).forEach((o) => o.dataSync());
    ts.push(performance.now() - t0);
    tf.dispose(out);
  }
  ts.sort((a, b) => a - b);
  console.log(name, ts[Math.floor(reps / 2)]!.toFixed(1), 'ms');
}
const [n, d, L] = [4096, 784, 1000];
const X = tf.randomNormal([n, d]); const D = tf.randomNormal([d, L]);
const P = tf.matMul(X, D); const Pt = tf.transpose(P);
time('matMul X@D', () => tf.matMul(X, D));
time('transpose P', () => tf.transpose(P));
time('transpose X', () => tf.transpose(X));
time('topk rows', () => { const r = tf.topk(Pt, n, true); return [r.values, r.indices]; });
const idx = tf.topk(Pt, n, true).indices;
time('scatterND', () => tf.scatterND(tf.reshape(idx, [n * L, 1]), tf.reshape(Pt, [n * L]), [n * L]));
time('sortRows grad', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(sortRows(x as tf.Tensor2D))))(Pt));
