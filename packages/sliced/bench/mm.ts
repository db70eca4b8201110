import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
await initBackend({ backend: 'wasm', quiet: true });
if (process.argv.includes('--stock')) { const { useStockKernels } = await import('./stock-kernels.js'); console.log('stock kernels:', useStockKernels('wasm')); }
const [n, d, L] = (process.argv[2] ?? '4096,784,1000').split(',').map(Number) as [number, number, number];
const X = tf.randomNormal([n, d]); const D = tf.randomNormal([d, L]);
const Xt = tf.transpose(X); const Dt = tf.transpose(D); const dPt = tf.randomNormal([L, n]); const dP = tf.transpose(dPt);
const fs: Record<string, () => tf.Tensor> = {
  'fwd X@D (+T)': () => tf.transpose(tf.matMul(X, D)),
  'fwd Dt@Xt (+T X)': () => tf.matMul(Dt, tf.transpose(X)),
  'fwd X@D only': () => tf.matMul(X, D),
  'fwd Dt@Xt only': () => tf.matMul(Dt, Xt),
  'bwd D@dPt (+T)': () => tf.transpose(tf.matMul(D, dPt)),
  'bwd T(dPt)@Dt': () => tf.matMul(tf.transpose(dPt), Dt),
  'transpose P': () => tf.transpose(dP),
};
const ts: Record<string, number[]> = {};
for (let r = 0; r < 4; r++) for (const [k, f] of Object.entries(fs)) { const t0 = performance.now(); const o = f(); o.dataSync(); o.dispose(); if (r > 0) (ts[k] ??= []).push(performance.now() - t0); }
for (const [k, v] of Object.entries(ts)) console.log(k.padEnd(20), Math.min(...v).toFixed(0), 'ms (min of 3)');
