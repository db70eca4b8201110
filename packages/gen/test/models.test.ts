import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { OTError } from '@ot/core';
import { Autoencoder, DcganDiscriminator, DcganGenerator, MlpCritic, MlpGenerator, SnganDiscriminator, SnganGenerator } from '../src/index.js';

/** Largest singular value of a row-major [r, c] matrix by 300 float64 power iterations. */
function topSingularValue(w: Float32Array, r: number, c: number): number {
  let v = new Float64Array(c).fill(1);
  let s = 0;
  for (let it = 0; it < 300; it++) {
    const u = new Float64Array(r);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) u[i] = (u[i] as number) + (w[i * c + j] as number) * (v[j] as number);
    const nv = new Float64Array(c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) nv[j] = (nv[j] as number) + (w[i * c + j] as number) * (u[i] as number);
    const n = Math.hypot(...nv);
    s = Math.sqrt(n);
    v = nv.map((x) => x / n);
  }
  return s;
}

describeWithBackends('models', () => {
  it('generators map [b, latent] to the sample shape; discriminators give scores and features', () => {
    const z = tf.randomNormal([2, 16]);
    const cases = [
      new MlpGenerator({ latentDim: 16, outputShape: [28, 28, 1], hidden: [32], output: 'tanh' }),
      new DcganGenerator({ imageSize: 28, channels: 1, latentDim: 16, widths: [16, 8] }),
      new DcganGenerator({ imageSize: 32, channels: 3, latentDim: 16, widths: [16, 8, 8] }),
      new SnganGenerator({ imageSize: 32, channels: 3, latentDim: 16, ch: 8 }),
      new SnganGenerator({ imageSize: 28, channels: 1, latentDim: 16, ch: 8 }),
    ];
    for (const g of cases) {
      const x = g.forward(z, { training: true });
      g.commitUpdates();
      expect(x.shape).toEqual([2, ...g.outputShape]);
      const vals = x.dataSync();
      expect(Math.max(...Array.from(vals, Math.abs))).toBeLessThanOrEqual(1);
      x.dispose();
      g.dispose();
    }
    const imgs = tf.randomUniform([2, 32, 32, 3], -1, 1);
    for (const d of [new DcganDiscriminator({ imageSize: 32, channels: 3, widths: [16, 8, 8], spectralNorm: true }), new SnganDiscriminator({ imageSize: 32, channels: 3, ch: 8 })]) {
      const { score, features } = d.forwardWithFeatures(imgs);
      expect(score.shape).toEqual([2, 1]);
      expect(features.shape[0]).toBe(2);
      // The last feature column is the score itself.
      expect(Array.from(tf.slice(features, [0, (features.shape[1] as number) - 1], [2, 1]).dataSync())).toEqual(Array.from(score.dataSync()));
      tf.dispose([score, features]);
      d.dispose();
    }
    tf.dispose([z, imgs]);
  });

  it('gradients reach every generator and discriminator parameter', () => {
    const g = new DcganGenerator({ imageSize: 28, channels: 1, latentDim: 8, widths: [8, 4] });
    const d = new SnganDiscriminator({ imageSize: 28, channels: 1, ch: 4 });
    const z = tf.randomNormal([2, 8]);
    const { grads } = tf.variableGrads(() => tf.mean(d.forwardWithFeatures(g.forward(z, { training: true }), { training: true }).score) as tf.Scalar, [
      ...g.trainableVariables(),
      ...d.trainableVariables(),
    ]);
    g.discardUpdates();
    expect(Object.keys(grads).length).toBe(g.trainableVariables().length + d.trainableVariables().length);
    for (const t of Object.values(grads)) expect(Number.isFinite(tf.sum(tf.abs(t)).dataSync()[0])).toBe(true);
    tf.dispose([z, ...Object.values(grads)]);
    g.dispose();
    d.dispose();
  });

  it('spectral normalization: power iteration converges to the top singular value', () => {
    const c = new MlpCritic({ inputShape: [6], hidden: [5], spectralNorm: true, seed: 3 });
    for (let i = 0; i < 60; i++) c.prepareStep();
    const w = new Map(c.getWeights().map((x) => [x.name, x]));
    const W = w.get('fc0.w')!.values;
    const u = w.get('fc0.sn_u')!.values;
    const v = w.get('fc0.sn_v')!.values;
    let est = 0;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) est += (v[i] as number) * (W[i * 5 + j] as number) * (u[j] as number);
    expect(est).toBeCloseTo(topSingularValue(W, 6, 5), 3);
    c.dispose();
  });

  it('weights round-trip by name, EMA-style copies, dispose and leaks', async () => {
    const a = new Autoencoder({ inputShape: [28, 28, 1], latentDim: 4, kind: 'conv', seed: 1 });
    const b = new Autoencoder({ inputShape: [28, 28, 1], latentDim: 4, kind: 'conv', seed: 2 });
    a.copyTo(b);
    const x = tf.randomUniform([2, 28, 28, 1], -1, 1);
    await expectNoLeakedTensors(() => {
      const ya = tf.tidy(() => a.decode(a.encode(x)));
      const yb = tf.tidy(() => b.decode(b.encode(x)));
      expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
      expect(ya.shape).toEqual([2, 28, 28, 1]);
      tf.dispose([ya, yb]);
    });
    const bad = a.getWeights().map((w, i) => (i === 0 ? { ...w, shape: [1] } : w));
    expect(() => b.setWeights(bad)).toThrow(OTError);
    a.dispose();
    expect(() => a.encode(x)).toThrow(/disposed/);
    b.dispose();
    x.dispose();
  });
});
