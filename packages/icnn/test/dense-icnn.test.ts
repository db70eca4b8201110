import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, finiteDifferenceGradient, loadFixture } from '@ot/test-utils';
import { DenseICNN, MlpPotential, W2GN, type Activation, type Potential } from '../src/index.js';
import { activate, backpropActivation } from '../src/potential.js';

interface RefCase {
  activation: Activation;
  dim: number;
  hidden: number[];
  rank: number;
  strongConvexity: number;
  weights: Record<string, unknown>;
  x: number[][];
  c: number[][];
  value: number[];
  grad: number[][];
  paramGradOfPushDotC: Record<string, unknown>;
}

const refs = await loadFixture<{ cases: RefCase[] }>(import.meta.url, './fixtures/icnn_refs.json');

/** Midpoint convexity gap min over random pairs: (ψ(a)+ψ(b))/2 − ψ((a+b)/2) (≥ 0 for convex ψ). */
function midpointGap(p: Potential, a: tf.Tensor2D, b: tf.Tensor2D): number {
  return tf.tidy(() => {
    const m = tf.div(tf.add(a, b), 2) as tf.Tensor2D;
    const gap = tf.sub(tf.div(tf.add(p.value(a), p.value(b)), 2), p.value(m));
    return tf.min(gap).dataSync()[0] as number;
  });
}

/** min over pairs of ⟨∇ψ(a) − ∇ψ(b), a − b⟩ (≥ 0 for a monotone gradient). */
function monotonicityMin(p: Potential, a: tf.Tensor2D, b: tf.Tensor2D): number {
  return tf.tidy(() => tf.min(tf.sum(tf.mul(tf.sub(p.push(a), p.push(b)), tf.sub(a, b)), 1)).dataSync()[0] as number);
}

describeWithBackends('DenseICNN', () => {
  for (const ref of refs.cases) {
    describe(`${ref.activation}, d = ${ref.dim}, hidden ${ref.hidden}, rank ${ref.rank}`, () => {
      for (const positivity of ['clamp', 'softplus'] as const) {
        it(`matches torch float64 values and gradients (${positivity})`, () => {
          const net = DenseICNN.fromStateDict(ref.weights, { activation: ref.activation, strongConvexity: ref.strongConvexity, positivity });
          const { value, grad } = net.valueAndGrad(ref.x);
          expectTensorsClose(value, ref.value, { rtol: 1e-4, atol: 1e-4 });
          expectTensorsClose(grad, ref.grad, { rtol: 1e-4, atol: 1e-4 });
          expectTensorsClose(net.push(ref.x), ref.grad, { rtol: 1e-4, atol: 1e-4 });
          tf.dispose([value, grad]);
          net.dispose();
        });
      }

      it('push is differentiable w.r.t. the weights (torch second-order reference)', () => {
        const net = DenseICNN.fromStateDict(ref.weights, { activation: ref.activation, strongConvexity: ref.strongConvexity });
        const x = tf.tensor2d(ref.x);
        const c = tf.tensor2d(ref.c);
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(net.push(x), c)) as tf.Scalar, net.trainableVariables);
        // Map variables back to state-dict names through a weight round trip: perturb-free comparison
        // of the gradient tensors in the PyTorch layout.
        const names = Object.keys(ref.paramGradOfPushDotC);
        const vars = net.trainableVariables;
        const layout = stateDictOrder(ref.hidden.length);
        for (const name of names) {
          const idx = layout.indexOf(name);
          const v = vars[idx]!;
          let g = grads[v.name];
          expect(g, name).toBeDefined();
          const ref2 = ref.paramGradOfPushDotC[name] as number[] | number[][] | number[][][];
          if (name.endsWith('.weight') && !name.startsWith('final')) g = tf.transpose(g!); // ours are [in, out]
          expectTensorsClose(tf.reshape(g!, [-1]), (ref2 as unknown[]).flat(3) as number[], { rtol: 2e-4, atol: 2e-4 });
        }
        tf.dispose([value, x, c, ...Object.values(grads)]);
        net.dispose();
      });
    });
  }

  it('push matches central finite differences of value (random init, each activation)', () => {
    for (const activation of ['celu', 'softplus', 'relu'] as const) {
      const net = new DenseICNN({ dim: 3, hidden: [16, 16, 8], rank: 2, activation, strongConvexity: 0.1, seed: 3 });
      const x0 = Float64Array.from([0.3, -0.7, 1.1]);
      const f = (v: Float64Array): number => tf.tidy(() => net.value(tf.tensor2d(Float32Array.from(v), [1, 3])).dataSync()[0] as number);
      const fd = finiteDifferenceGradient(f, x0, 1e-2);
      const g = net.push(tf.tensor2d(Float32Array.from(x0), [1, 3]));
      expectTensorsClose(g, [Array.from(fd)], { rtol: 2e-2, atol: 2e-3 });
      g.dispose();
      net.dispose();
    }
  });

  it('MlpPotential: push matches finite differences and starts at the identity', () => {
    const net = new MlpPotential({ dim: 2, hidden: [16, 16], seed: 1 });
    const x = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    expectTensorsClose(net.push(x), x);
    // perturb the output layer so the MLP part is non-trivial
    const w = net.getWeights();
    w['layers.2.weight'] = [Array.from({ length: 16 }, (_, i) => Math.sin(i))];
    net.setWeights(w);
    const x0 = Float64Array.from([0.4, -0.2]);
    const f = (v: Float64Array): number => tf.tidy(() => net.value(tf.tensor2d(Float32Array.from(v), [1, 2])).dataSync()[0] as number);
    const fd = finiteDifferenceGradient(f, x0, 1e-2);
    expectTensorsClose(net.push(tf.tensor2d(Float32Array.from(x0), [1, 2])), [Array.from(fd)], { rtol: 2e-2, atol: 2e-3 });
    x.dispose();
    net.dispose();
  });

  it("MlpPotential init 'lecun' (flax lecun_normal): variance 1/fan-in, truncated at 2σ, every layer", () => {
    const net = new MlpPotential({ dim: 64, hidden: [256], init: 'lecun', seed: 3 });
    const w = net.getWeights();
    for (const [key, fanIn] of [
      ['layers.0.weight', 64],
      ['layers.1.weight', 256],
    ] as const) {
      const v = (w[key] as number[][]).flat();
      const std = Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
      expect(Math.abs(std * Math.sqrt(fanIn) - 1)).toBeLessThan(key === 'layers.0.weight' ? 0.03 : 0.15);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(1 / fanIn)) / 0.8796256610342398 + 1e-6);
    }
    expect((w['layers.0.bias'] as number[]).every((b) => b === 0)).toBe(true);
    // the default 'identity' init keeps the output layer at 0
    const idNet = new MlpPotential({ dim: 64, hidden: [256], seed: 3 });
    expect((idNet.getWeights()['layers.1.weight'] as number[][]).flat().every((b) => b === 0)).toBe(true);
    net.dispose();
    idNet.dispose();
  });

  it('MlpPotential with outputActivation and learnQuadratic (w2ot PotentialNN): push and weight-gradients match finite differences', () => {
    const net = new MlpPotential({ dim: 2, hidden: [8, 8], outputActivation: true, learnQuadratic: true, quadratic: 0.5, seed: 2 });
    const x = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    expectTensorsClose(net.push(x), tf.mul(x, 0.5)); // zero output layer: ∇ψ = q·x
    const w = net.getWeights();
    expect(w['log_alpha']).toBeCloseTo(Math.log(0.5), 6);
    w['layers.2.weight'] = [Array.from({ length: 8 }, (_, i) => Math.sin(i + 1))];
    w['layers.2.bias'] = [-0.3]; // celu's curved branch on part of the inputs
    w['log_alpha'] = 0.2;
    net.setWeights(w);
    expect(net.getWeights()['log_alpha']).toBeCloseTo(0.2, 6);
    const x0 = Float64Array.from([0.4, -0.2]);
    const f = (v: Float64Array): number => tf.tidy(() => net.value(tf.tensor2d(Float32Array.from(v), [1, 2])).dataSync()[0] as number);
    const fd = finiteDifferenceGradient(f, x0, 1e-2);
    expectTensorsClose(net.push(tf.tensor2d(Float32Array.from(x0), [1, 2])), [Array.from(fd)], { rtol: 2e-2, atol: 2e-3 });
    // the trainable log α receives the gradient of Σ ∇ψ(x)·c: ∂/∂logα of exp(logα)·Σ x·c
    const c = tf.tensor2d([[1, 2], [-1, 0.5]]);
    const la = net.trainableVariables[net.trainableVariables.length - 1]!;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(net.push(x), c)) as tf.Scalar, [la]);
    const expected = Math.exp(0.2) * (0.5 * 1 + -1 * 2 + 2 * -1 + 0.25 * 0.5);
    expect(grads[la.name]!.dataSync()[0]).toBeCloseTo(expected, 4);
    tf.dispose([x, c, Object.values(grads)]);
    net.dispose();
  });

  it('backpropActivation (fused EluGrad for celu): g·σ\'(z) and its gradients equal the plain formula', () => {
    const z = tf.tensor2d([[-2, -0.5, 0.3], [1.5, -1e-3, -4]]);
    const g = tf.tensor2d([[0.7, -1.2, 2], [0.1, 3, -0.4]]);
    const c = tf.tensor2d([[1, -2, 0.5], [2, 1, -1]]);
    const fused = (gg: tf.Tensor, zz: tf.Tensor) => tf.sum(tf.mul(backpropActivation('celu', gg, zz, activate('celu', zz)), c)) as tf.Scalar;
    const plain = (gg: tf.Tensor, zz: tf.Tensor) => tf.sum(tf.mul(tf.mul(gg, tf.exp(tf.minimum(zz, 0))), c)) as tf.Scalar;
    expectTensorsClose(fused(g, z), plain(g, z).dataSync()[0]!, { rtol: 1e-6 });
    const [dgF, dzF] = tf.grads(fused)([g, z]);
    const [dgP, dzP] = tf.grads(plain)([g, z]);
    expectTensorsClose(dgF!, dgP!, { rtol: 1e-6, atol: 1e-7 });
    expectTensorsClose(dzF!, dzP!, { rtol: 1e-5, atol: 1e-7 }); // g·c·e^z where z < 0, 0 elsewhere
    tf.dispose([z, g, c, dgF, dzF, dgP, dzP]);
  });

  it('MlpPotential (celu): the weight-gradient of Σ ∇ψ(x)·c matches finite differences', () => {
    const net = new MlpPotential({ dim: 2, hidden: [6, 5], outputActivation: true, seed: 4 });
    const w = net.getWeights();
    w['layers.2.weight'] = [Array.from({ length: 5 }, (_, i) => Math.cos(i + 0.5))];
    net.setWeights(w);
    const x = tf.tensor2d([[0.5, -1], [2, 0.25], [-1.5, 0.75]]);
    const c = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -0.7]]);
    const loss = () => tf.sum(tf.mul(net.push(x), c)) as tf.Scalar;
    const W0 = net.trainableVariables[0]!; // the first hidden layer [2, 6]
    const { grads } = tf.variableGrads(loss, [W0]);
    const w0 = Float64Array.from(W0.dataSync());
    const f = (v: Float64Array): number => {
      W0.assign(tf.tensor(Float32Array.from(v), W0.shape));
      return tf.tidy(() => loss().dataSync()[0] as number);
    };
    const fd = finiteDifferenceGradient(f, w0, 1e-2);
    W0.assign(tf.tensor(Float32Array.from(w0), W0.shape));
    expectTensorsClose(tf.reshape(grads[W0.name]!, [-1]), Array.from(fd), { rtol: 2e-2, atol: 2e-3 });
    tf.dispose([x, c, Object.values(grads)]);
    net.dispose();
  });

  it('getWeights / setWeights round-trip (both positivity modes)', () => {
    const a = new DenseICNN({ dim: 2, hidden: [8, 4], rank: 2, seed: 0 });
    const b = new DenseICNN({ dim: 2, hidden: [8, 4], rank: 2, positivity: 'softplus', seed: 9 });
    b.setWeights(a.getWeights());
    const x = tf.tensor2d([[0.1, 0.2], [-1, 3]]);
    expectTensorsClose(b.value(x), a.value(x), { rtol: 1e-4, atol: 1e-5 });
    expectTensorsClose(b.push(x), a.push(x), { rtol: 1e-4, atol: 1e-5 });
    const c = DenseICNN.fromStateDict(b.getWeights());
    expect(c.hidden).toEqual([8, 4]);
    expect(c.rank).toBe(2);
    expectTensorsClose(c.push(x), a.push(x), { rtol: 1e-4, atol: 1e-5 });
    [a, b, c].forEach((n) => n.dispose());
    x.dispose();
  });

  it('stays convex after training steps: midpoint inequality and monotone ∇ψ', () => {
    const rng = createRng(4);
    for (const positivity of ['clamp', 'softplus'] as const) {
      const w2gn = new W2GN({ icnn: { dim: 2, hidden: [16, 16, 8], strongConvexity: 0, positivity }, lambda: 5, optimizer: { lr: 1e-2 }, seed: 1 });
      for (let i = 0; i < 8; i++) {
        const x = tf.randomNormal([64, 2], 0, 1, 'float32', rng.nextSeed()) as tf.Tensor2D;
        const y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([64, 2], 0, 1, 'float32', rng.nextSeed()), [2, 0.5]), [3, -1])) as tf.Tensor2D;
        w2gn.step(x, y);
        tf.dispose([x, y]);
      }
      const a = tf.mul(tf.randomNormal([500, 2], 0, 1, 'float32', 11), 3) as tf.Tensor2D;
      const b = tf.mul(tf.randomNormal([500, 2], 0, 1, 'float32', 12), 3) as tf.Tensor2D;
      for (const p of [w2gn.potential, w2gn.conjugatePotential]) {
        expect(midpointGap(p, a, b)).toBeGreaterThanOrEqual(-1e-4);
        expect(monotonicityMin(p, a, b)).toBeGreaterThanOrEqual(-1e-4);
      }
      tf.dispose([a, b]);
      w2gn.dispose();
    }
  });

  it('value, push and valueAndGrad leak no tensors', async () => {
    const net = new DenseICNN({ dim: 2, hidden: [8, 8], seed: 0 });
    const x = tf.randomNormal([5, 2]);
    await expectNoLeakedTensors(() => {
      tf.dispose([net.value(x), net.push(x)]);
      const r = net.valueAndGrad(x);
      tf.dispose([r.value, r.grad]);
      net.convexify();
      net.setWeights(net.getWeights());
    });
    x.dispose();
    net.dispose();
  });
});

/** The order of DenseICNN.trainableVariables, in state-dict names. */
function stateDictOrder(layers: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < layers; i++) names.push(`quadratic_layers.${i}.quadratic_decomposed`);
  for (let i = 0; i < layers; i++) names.push(`quadratic_layers.${i}.weight`);
  for (let i = 0; i < layers; i++) names.push(`quadratic_layers.${i}.bias`);
  for (let i = 0; i + 1 < layers; i++) names.push(`convex_layers.${i}.weight`);
  names.push('final_layer.weight');
  return names;
}
