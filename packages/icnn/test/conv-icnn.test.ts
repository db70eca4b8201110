import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, finiteDifferenceGradient } from '@ot/test-utils';
import { ConvICNN, W2GN } from '../src/index.js';

describeWithBackends('ConvICNN', () => {
  const opts = { height: 6, width: 6, channels: 2, filters: [4, 5], strongConvexity: 0.1 };

  it('push matches central finite differences of value; [n, H, W, C] and flat inputs agree', () => {
    const net = new ConvICNN({ ...opts, seed: 1 });
    const x0 = Float64Array.from({ length: net.dim }, (_, i) => Math.sin(i * 0.7));
    const f = (v: Float64Array): number => tf.tidy(() => net.value(tf.tensor2d(Float32Array.from(v), [1, net.dim])).dataSync()[0] as number);
    const fd = finiteDifferenceGradient(f, x0, 1e-2);
    const flat = tf.tensor2d(Float32Array.from(x0), [1, net.dim]);
    const g = net.push(flat);
    expect(g.shape).toEqual([1, net.dim]);
    expectTensorsClose(g, [Array.from(fd)], { rtol: 3e-2, atol: 3e-3 });
    const img = tf.reshape(flat, [1, 6, 6, 2]) as tf.Tensor4D;
    const g4: tf.Tensor4D = net.push(img); // typed as the input's rank
    expect(g4.shape).toEqual([1, 6, 6, 2]);
    expectTensorsClose(tf.reshape(g4, [1, net.dim]), g);
    tf.dispose([flat, g, img, g4]);
    net.dispose();
  });

  it('is convex (midpoint inequality, monotone ∇ψ) and trains in W2GN without leaks', async () => {
    const x = tf.randomUniform([8, 72], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.randomUniform([8, 72], 0, 1, 'float32', 2) as tf.Tensor2D;
    await expectNoLeakedTensors(() => {
      const psi = new ConvICNN({ ...opts, seed: 2 });
      const psiBar = new ConvICNN({ ...opts, seed: 3, positivity: 'softplus' });
      const w2gn = new W2GN({ potential: psi, conjugatePotential: psiBar, lambda: 5, optimizer: { lr: 1e-2 } });
      w2gn.pretrainStep(x, y);
      for (let i = 0; i < 3; i++) w2gn.step(x, y);
      for (const p of [psi, psiBar]) {
        const [gap, mono] = tf.tidy(() => {
          const a = tf.mul(x, 3);
          const b = tf.sub(y, 1);
          const m = tf.div(tf.add(a, b), 2);
          return [
            tf.min(tf.sub(tf.div(tf.add(p.value(a), p.value(b)), 2), p.value(m))),
            tf.min(tf.sum(tf.mul(tf.sub(p.push(a), p.push(b)), tf.sub(a, b)), 1)),
          ];
        });
        expect(gap!.dataSync()[0]).toBeGreaterThanOrEqual(-1e-4);
        expect(mono!.dataSync()[0]).toBeGreaterThanOrEqual(-1e-4);
        tf.dispose([gap!, mono!]);
      }
      const w = psi.getWeights();
      psiBar.setWeights(w);
      const [va, vb] = [psiBar.value(x), psi.value(x)];
      expectTensorsClose(va, vb, { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([va, vb]);
      w2gn.dispose();
      psi.dispose();
      psiBar.dispose();
    });
    tf.dispose([x, y]);
  });
});
