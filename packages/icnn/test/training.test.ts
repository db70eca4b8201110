import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, randomUniform } from '@ot/core';
import { l2Uvp } from '@ot/metrics';
import { expectNoLeakedTensors, expectTensorsClose, testBackends } from '@ot/test-utils';
import { DenseICNN, MlpPotential, NeuralDual, W2GN, loadW2Benchmark, type W2Benchmark } from '../src/index.js';
import { currentLearningRate, makeAdam, optimizerStep } from '../src/trainer.js';

// Training runs are the slow part of the suite: they run on ONE backend (wasm when available, the
// fastest here), while every op they use is checked on cpu and wasm by the other test files.
const backend = testBackends().includes('wasm') ? 'wasm' : (testBackends()[0] ?? 'cpu');
const pairPath = fileURLToPath(new URL('./fixtures/mix3tomix10-d2.json', import.meta.url));

function uvp(pair: W2Benchmark, map: (x: tf.Tensor2D) => tf.Tensor2D): number {
  return l2Uvp(map, (x) => pair.map(x), (n, s) => pair.sample(n, s), { n: 4096, outputVariance: pair.outputVariance, seed: 99 });
}

describe(`training on the d = 2 Mix3→Mix10 pair [${backend}]`, () => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  it('NeuralDual (MLP potential, objective + L-BFGS), 100 steps: L2-UVP well below the linear map', async () => {
    const pair = await loadW2Benchmark(pairPath);
    const rng = createRng(1);
    const potential = new MlpPotential({ dim: 2, hidden: [64, 64, 64], seed: 0 });
    const nd = new NeuralDual({ potential, amortization: 'objective', finetune: { solver: 'lbfgs', maxIter: 20, gtol: 1e-2 }, seed: 0 });
    const start = uvp(pair, (x) => nd.map(x));
    nd.fit({ sampleX: (n, r) => pair.sample(n, r), sampleY: (n, r) => pair.sampleTarget(n, r), iters: 100, batchSize: 256, seed: rng });
    const end = uvp(pair, (x) => nd.map(x));
    // measured here: start ≈ 95 % (identity), after 100 steps ≈ 3.3 %; linear map 14.13 %
    expect(start).toBeGreaterThan(pair.linearUvp);
    expect(end).toBeLessThan(pair.linearUvp / 2);
    nd.dispose();
    potential.dispose();
    pair.dispose();
  });

  it('NeuralDual.pretrain: ∇f → identity on the box, then training starts from it', async () => {
    const box = (n: number, r: ReturnType<typeof createRng>): tf.Tensor2D => randomUniform([n, 2], r, -5, 5) as tf.Tensor2D;
    // an ICNN's gradient is not the identity at init (MlpPotential's is: its last layer starts at 0)
    const potential = new DenseICNN({ dim: 2, hidden: [32, 32], strongConvexity: 0.1, seed: 0 });
    const nd = new NeuralDual({ potential, amortizerHidden: [8], seed: 0 });
    const z = box(512, createRng(7));
    const idError = (): number => tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(nd.map(z), z)), 1)).dataSync()[0]!);
    const before = idError();
    const fVars = potential.trainableVariables.map((v) => v.dataSync().slice());
    const hVars = nd.amortizer.trainableVariables.map((v) => v.dataSync().slice());
    const losses: number[] = [];
    nd.pretrain({ sampleX: box, sampleY: box, iters: 300, batchSize: 128, seed: 3, onProgress: (p) => losses.push(p.losses) });
    const after = idError();
    // measured here: 8.1 before, 1.2e-3 after 300 steps
    expect(losses).toHaveLength(300);
    expect(after).toBeLessThan(before / 10);
    expect(potential.trainableVariables.some((v, i) => v.dataSync().some((a, j) => a !== fVars[i]![j]))).toBe(true);
    // H is left alone (it starts as the identity)
    nd.amortizer.trainableVariables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(hVars[i]!)));
    z.dispose();
    nd.dispose();
    potential.dispose();
  });

  it("NeuralDual init 'lecun' (w2ot): f and H start away from the identity, pretrain brings both to it", async () => {
    const box = (n: number, r: ReturnType<typeof createRng>): tf.Tensor2D => randomUniform([n, 2], r, -5, 5) as tf.Tensor2D;
    const potential = new MlpPotential({ dim: 2, hidden: [32, 32], outputActivation: true, learnQuadratic: true, init: 'lecun', seed: 0 });
    const nd = new NeuralDual({ potential, amortizerHidden: [32, 32], amortizerInit: 'lecun', seed: 0 });
    const z = box(512, createRng(7));
    const err = (t: tf.Tensor2D): number => tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(t, z)), 1)).dataSync()[0]!);
    const fErr = (): number => err(tf.tidy(() => nd.map(z)));
    const hErr = (): number => err(tf.tidy(() => nd.amortizer.predict(z)));
    const [f0, h0] = [fErr(), hErr()];
    nd.pretrain({ sampleX: box, sampleY: box, iters: 300, batchSize: 128, seed: 3 });
    const [f1, h1] = [fErr(), hErr()];
    // measured here: ∇f 0.089 → 3.2e-4, H 3.3 → 3.3e-3
    expect(f0).toBeGreaterThan(0.05);
    expect(h0).toBeGreaterThan(0.5);
    expect(f1).toBeLessThan(f0 / 20);
    expect(h1).toBeLessThan(h0 / 20);
    z.dispose();
    nd.dispose();
    potential.dispose();
  });

  it("NeuralDual update 'simultaneous': H's step sees the step's starting f, f's step is unchanged", async () => {
    const x = tf.randomNormal([64, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
    const y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([64, 2], 0, 1.5, 'float32', 5), 2), 1)) as tf.Tensor2D;
    const build = (update: 'alternating' | 'simultaneous'): NeuralDual => {
      const potential = new MlpPotential({ dim: 2, hidden: [16, 16], outputActivation: true, init: 'lecun', seed: 1 });
      const adam = { lr: 1e-2 };
      return new NeuralDual({ potential, amortizerHidden: [16], amortizerInit: 'lecun', update, optimizer: adam, amortizerOptimizer: adam, finetune: false, seed: 2 });
    };
    const read = (vs: tf.Variable[]): Float32Array[] => vs.map((v) => v.dataSync() as Float32Array);
    const maxDiff = (a: Float32Array[], b: Float32Array[]): number => a.reduce((m, t, i) => Math.max(m, ...Array.from(t, (v, j) => Math.abs(v - b[i]![j]!))), 0);
    const sim = build('simultaneous');
    const alt = build('alternating');
    // by hand: one Adam step of H on its loss against the initial f
    const h = sim.amortizer.trainableVariables;
    const h0 = h.map((v) => tf.clone(v));
    const opt = tf.train.adam(1e-2, 0.9, 0.999);
    const { grads } = tf.variableGrads(() => sim.amortizationLoss(y), h);
    opt.applyGradients(h.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    const hByHand = read(h);
    h.forEach((v, i) => v.assign(h0[i]!));
    sim.step(x, y);
    alt.step(x, y);
    expect(maxDiff(read(h), hByHand)).toBeLessThan(1e-6);
    expect(maxDiff(read(sim.potential.trainableVariables), read(alt.potential.trainableVariables))).toBe(0);
    expect(maxDiff(read(h), read(alt.amortizer.trainableVariables))).toBeGreaterThan(1e-6);
    tf.dispose([...h0, ...Object.values(grads), x, y]);
    opt.dispose();
    for (const nd of [sim, alt]) {
      nd.dispose();
      nd.potential.dispose();
    }
  });

  it('W2GN (DenseICNN, cycle λ = 20), identity pretraining + 150 steps: L2-UVP below the linear map', async () => {
    const pair = await loadW2Benchmark(pairPath);
    const w2gn = new W2GN({ icnn: { dim: 2, hidden: [32, 32, 16], strongConvexity: 1e-2 }, lambda: 20, optimizer: { lr: 3e-3 }, seed: 0 });
    const sampleX = (n: number, r: ReturnType<typeof createRng>): tf.Tensor2D => pair.sample(n, r);
    const sampleY = (n: number, r: ReturnType<typeof createRng>): tf.Tensor2D => pair.sampleTarget(n, r);
    let reports = 0;
    w2gn.pretrain({ sampleX, sampleY, iters: 50, batchSize: 128, seed: 1 });
    const last = w2gn.fit({ sampleX, sampleY, iters: 150, batchSize: 128, seed: 2, progressEvery: 50, onProgress: () => reports++ });
    expect(reports).toBe(3);
    expect(Number.isFinite(last!.total)).toBe(true);
    const end = uvp(pair, (x) => w2gn.map(x));
    // measured here: ≈ 10.5 % after 150 steps (the linear map scores 14.13 %)
    expect(end).toBeLessThan(pair.linearUvp * 0.9);
    w2gn.dispose();
    pair.dispose();
  });

  it("W2GN objective 'reference': ψ̄ learns only from the cycle term (λ = 0 leaves it unchanged)", async () => {
    const x = tf.randomNormal([32, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
    const y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([32, 2], 0, 1, 'float32', 5), 2), 1)) as tf.Tensor2D;
    const changed = (objective: 'joint' | 'reference'): number => {
      const w2gn = new W2GN({ icnn: { dim: 2, hidden: [8, 8], strongConvexity: 0.1 }, lambda: 0, objective, seed: 0 });
      const before = w2gn.conjugatePotential.trainableVariables.map((v) => v.dataSync().slice());
      const psiBefore = w2gn.potential.trainableVariables.map((v) => v.dataSync().slice());
      for (let i = 0; i < 3; i++) w2gn.step(x, y);
      const diff = (vs: tf.Variable[], ref: Float32Array[]): number =>
        vs.reduce((m, v, i) => Math.max(m, ...Array.from(v.dataSync(), (a, j) => Math.abs(a - ref[i]![j]!))), 0);
      const out = diff(w2gn.conjugatePotential.trainableVariables, before as Float32Array[]);
      expect(diff(w2gn.potential.trainableVariables, psiBefore as Float32Array[])).toBeGreaterThan(0);
      w2gn.dispose();
      return out;
    };
    expect(changed('reference')).toBe(0);
    expect(changed('joint')).toBeGreaterThan(0);
    tf.dispose([x, y]);
  });

  it('cosine learning-rate decay: lr → lr·α over decaySteps, then constant', () => {
    const opt = makeAdam({ lr: 1e-2, decaySteps: 4, decayAlpha: 0.1 }, 'optimizer');
    const v = tf.variable(tf.scalar(1));
    const lrs: number[] = [];
    for (let i = 0; i < 6; i++) {
      lrs.push(currentLearningRate(opt));
      optimizerStep(opt, [v], () => ({ total: tf.square(v) as tf.Scalar, parts: [] }));
    }
    expect(lrs[0]).toBeCloseTo(1e-2, 12);
    expect(lrs[2]).toBeCloseTo(1e-2 * (0.9 * 0.5 + 0.1), 12);
    expect(lrs[4]).toBeCloseTo(1e-3, 12);
    expect(lrs[5]).toBeCloseTo(1e-3, 12);
    expect(() => makeAdam({ decaySteps: 0 }, 'optimizer')).toThrow(/decaySteps/);
    opt.dispose();
    v.dispose();
  });

  it('weightDecay: decoupled decay w ← w − lr_t·wd·w after the Adam update (AdamW)', () => {
    const opt = makeAdam({ lr: 0.1, weightDecay: 0.5, decaySteps: 2, decayAlpha: 0 }, 'optimizer');
    const v = tf.variable(tf.tensor1d([2, -4]));
    const u = tf.variable(tf.scalar(1));
    // zero gradient for v: Adam moves it by 0, so only the decay acts: v·(1 − 0.1·0.5)
    optimizerStep(opt, [v, u], () => ({ total: tf.add(tf.mul(tf.sum(v), 0), tf.square(u)) as tf.Scalar, parts: [] }));
    expectTensorsClose(v, [2 * 0.95, -4 * 0.95], { rtol: 1e-6 });
    // u: Adam's first step moves it by lr (sign of the gradient), then the decay with the same lr
    expect(u.dataSync()[0]).toBeCloseTo((1 - 0.1) * 0.95, 5);
    // second step: the cosine schedule gives lr = 0.1·½(1 + cos(π/2)) = 0.05
    optimizerStep(opt, [v, u], () => ({ total: tf.add(tf.mul(tf.sum(v), 0), tf.square(u)) as tf.Scalar, parts: [] }));
    expectTensorsClose(v, [2 * 0.95 * 0.975, -4 * 0.95 * 0.975], { rtol: 1e-6 });
    expect(() => makeAdam({ weightDecay: -1 }, 'optimizer')).toThrow(/weightDecay/);
    opt.dispose();
    tf.dispose([v, u]);
  });

  it('epsilon: the first Adam step is lr·g/(|g| + ε)', () => {
    // loss u², u = 1: g = 2, m̂ = g, v̂ = g², so the step is lr·2/(2 + ε)
    const step = (epsilon?: number): number => {
      const opt = makeAdam({ lr: 0.1, ...(epsilon !== undefined ? { epsilon } : {}) }, 'optimizer');
      const u = tf.variable(tf.scalar(1));
      optimizerStep(opt, [u], () => ({ total: tf.square(u) as tf.Scalar, parts: [] }));
      const moved = 1 - (u.dataSync()[0] as number);
      opt.dispose();
      u.dispose();
      return moved;
    };
    expect(step(2)).toBeCloseTo(0.1 * (2 / 4), 5);
    expect(step(0.5)).toBeCloseTo(0.1 * (2 / 2.5), 5);
    expect(step()).toBeCloseTo(0.1, 5);
    expect(() => makeAdam({ epsilon: 0 }, 'optimizer')).toThrow(/epsilon/);
    expect(() => makeAdam({ epsilon: Number.NaN }, 'optimizer')).toThrow(/epsilon/);
  });

  it('no leaked tensors across 100 W2GN and 100 NeuralDual steps (construction to dispose)', async () => {
    const rng = createRng(3);
    const x = tf.randomNormal([16, 2], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([16, 2], 0, 1, 'float32', 2), 2), 1)) as tf.Tensor2D;
    await expectNoLeakedTensors(() => {
      const w2gn = new W2GN({ icnn: { dim: 2, hidden: [8, 8], positivity: 'softplus' }, seed: rng });
      for (let i = 0; i < 5; i++) w2gn.pretrainStep(x, y);
      for (let i = 0; i < 100; i++) w2gn.step(x, y);
      tf.dispose([w2gn.map(x), w2gn.inverseMap(y)]);
      w2gn.dispose();
      const ref = new W2GN({ icnn: { dim: 2, hidden: [8, 8] }, objective: 'reference', optimizer: { decaySteps: 5 }, seed: rng });
      for (let i = 0; i < 10; i++) ref.step(x, y);
      ref.dispose();
      for (const amortization of ['objective', 'regression', 'cycle'] as const) {
        const f = new DenseICNN({ dim: 2, hidden: [8, 8], strongConvexity: 0.1, seed: rng });
        const nd = new NeuralDual({ potential: f, amortization, finetune: { solver: amortization === 'cycle' ? 'adam' : 'lbfgs', maxIter: 3 }, amortizerHidden: [8], seed: rng });
        if (amortization === 'objective') for (let i = 0; i < 5; i++) nd.pretrainStep(x, y);
        for (let i = 0; i < (amortization === 'objective' ? 100 : 10); i++) nd.step(x, y);
        tf.dispose([nd.map(x), nd.inverseMap(y)]);
        nd.dispose();
        f.dispose();
      }
    });
    tf.dispose([x, y]);
  });
});
