import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
import { stockKernel } from '@ot/core';
// @ot/core's Transpose / TopK (registered by initBackend) against the stock wasm kernels.
await initBackend({ backend: 'wasm', quiet: true });
const fastT = tf.getKernel('Transpose', 'wasm')!; const fastK = tf.getKernel('TopK', 'wasm')!;
const stockT = stockKernel('Transpose', 'wasm')!; const stockK = stockKernel('TopK', 'wasm')!;
const use = (t: tf.KernelConfig, k: tf.KernelConfig) => { tf.unregisterKernel('Transpose', 'wasm'); tf.registerKernel(t); tf.unregisterKernel('TopK', 'wasm'); tf.registerKernel(k); };
const P = tf.randomNormal([4096, 1000]); const Pt = tf.transpose(P);
const ts: Record<string, number[]> = {};
for (let r = 0; r < 5; r++) for (const mode of ['stock', 'fast']) {
  if (mode === 'stock') use(stockT, stockK); else use(fastT, fastK);
  let t0 = performance.now(); let o: tf.Tensor | tf.Tensor[] = tf.transpose(P); (o as tf.Tensor).dataSync(); (ts[mode + ' transpose'] ??= []).push(performance.now() - t0); tf.dispose(o);
  t0 = performance.now(); const k = tf.topk(Pt, 4096); k.values.dataSync(); (ts[mode + ' topk'] ??= []).push(performance.now() - t0); tf.dispose([k.values, k.indices]);
}
for (const [k, v] of Object.entries(ts)) console.log(k.padEnd(20), Math.min(...v).toFixed(0), 'ms (min of 5)');
