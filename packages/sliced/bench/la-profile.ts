import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setValidationLevel } from '@ot/core';
import { LinearAmortizedSlicer, slicedWasserstein } from '../src/index.js';
await initBackend({ backend: 'wasm', quiet: true }); // registers @ot/core's sort kernels
setValidationLevel('shapes');
const m = 128, d = 64;
const fake = tf.randomNormal([m, d]) as tf.Tensor2D; const data = tf.randomNormal([m, d]) as tf.Tensor2D;
const slicer = new LinearAmortizedSlicer(m, d, { seed: 0 });
const parts: Record<string, () => void> = {
  'slicer.step': () => slicer.step(fake, data).dispose(),
  'grad loss detached': () => tf.grad((x: tf.Tensor) => slicer.loss(x, data, { detachDirections: true }))(fake).dispose(),
  'grad SW L=1': () => tf.grad((x: tf.Tensor) => slicedWasserstein(x, data, { nProjections: 1, seed: 1 }))(fake).dispose(),
};
for (const [k, f] of Object.entries(parts)) {
  for (let i = 0; i < 5; i++) f();
  const prof = await tf.profile(f);
  const ts: number[] = []; for (let i = 0; i < 30; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  const names = new Map<string, number>(); for (const kk of prof.kernels) names.set(kk.name, (names.get(kk.name) ?? 0) + 1);
  console.log(k.padEnd(20), 'median', ts[15]!.toFixed(2), 'ms; kernels', prof.kernels.length, [...names.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, c]) => `${n}:${c}`).join(' '));
}
const vars = slicer.trainableVariables as tf.Variable[];
const opt = tf.train.adam(1e-3, 0, 0.9);
const f1 = () => { const { value, grads } = tf.variableGrads(() => tf.neg(slicer.loss(fake, data)) as tf.Scalar, vars); value.dispose(); tf.dispose(Object.values(grads)); };
const f2 = () => { const { value, grads } = tf.variableGrads(() => tf.neg(slicer.loss(fake, data)) as tf.Scalar, vars); value.dispose(); opt.applyGradients(grads as tf.NamedTensorMap as never); tf.dispose(Object.values(grads)); };
for (const [k, f] of [['variableGrads', f1], ['variableGrads+adam', f2]] as const) {
  for (let i = 0; i < 5; i++) f();
  const ts: number[] = []; for (let i = 0; i < 30; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b); console.log(k, ts[15]!.toFixed(2));
}
{
  const prof = await tf.profile(f1);
  const agg = new Map<string, number>();
  for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  console.log([...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, t]) => `${n}:${t.toFixed(2)}`).join(' '));
  const big = prof.kernels.filter((k) => (k.kernelTimeMs as number) > 1).map((k) => `${k.name} ${JSON.stringify(k.inputShapes)} ${(k.kernelTimeMs as number).toFixed(1)}`);
  console.log(big.join('\n'));
}
