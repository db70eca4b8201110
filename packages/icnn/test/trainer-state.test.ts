/**
 * Trainer checkpoints: NeuralDual and W2GN resumed from getState() (through JSON) take the same
 * steps as the uninterrupted trainer, bit for bit; bad states throw and change nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, isOTError, type OTErrorCode } from '@ot/core';
import { expectNoLeakedTensors, testBackends } from '@ot/test-utils';
import { MlpPotential, NeuralDual, W2GN, type TrainerState } from '../src/index.js';

const backend = testBackends().includes('wasm') ? 'wasm' : (testBackends()[0] ?? 'cpu');
const adam = { lr: 5e-3, beta1: 0.5, beta2: 0.5, weightDecay: 1e-4, decaySteps: 20, decayAlpha: 0.1 };

/** A state through JSON, as a checkpoint file carries it. */
const viaJson = (s: TrainerState): TrainerState =>
  JSON.parse(JSON.stringify(s, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))) as TrainerState;
const values = (vs: readonly tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));
async function expectCode(fn: () => Promise<unknown>, code: OTErrorCode): Promise<void> {
  const err = await fn().then(() => undefined, (e: unknown) => e);
  expect(isOTError(err) ? err.code : err).toBe(code);
}

describe(`trainer state [${backend}]`, () => {
  let x: tf.Tensor2D;
  let y: tf.Tensor2D;
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
    x = tf.randomNormal([32, 2], 0, 1, 'float32', 1) as tf.Tensor2D;
    y = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([32, 2], 0, 1, 'float32', 2), 2), 1)) as tf.Tensor2D;
  });
  afterAll(() => tf.dispose([x, y]));
  const batches = (i: number): [tf.Tensor2D, tf.Tensor2D] =>
    tf.tidy(() => [tf.add(x, tf.randomNormal([32, 2], 0, 0.1, 'float32', 10 + i)), tf.add(y, tf.randomNormal([32, 2], 0, 0.1, 'float32', 50 + i))] as [tf.Tensor2D, tf.Tensor2D]);

  it('NeuralDual (MLP, AdamW + cosine, L-BFGS): resumed = uninterrupted', async () => {
    await initBackend({ backend, quiet: true });
    const make = (seed: number) => {
      const f = new MlpPotential({ dim: 2, hidden: [16, 16], outputActivation: true, learnQuadratic: true, seed });
      return { f, nd: new NeuralDual({ potential: f, amortizerHidden: [8], optimizer: adam, amortizerOptimizer: adam, finetune: { solver: 'lbfgs', maxIter: 10, gtol: 1e-2 }, seed }) };
    };
    const a = make(0);
    const b = make(5); // other initial weights: everything must come from the state
    for (let i = 0; i < 8; i++) a.nd.step(...batches(i));
    const state = viaJson(await a.nd.getState());
    expect(Object.keys(state.variables)).toEqual(['potential', 'amortizer']);
    expect(state.optimizers['optimizer']!.scheduleStep).toBe(8);
    await b.nd.setState(state);
    expect(values(b.f.trainableVariables)).toEqual(values(a.f.trainableVariables));
    for (let i = 8; i < 14; i++) {
      const [xb, yb] = batches(i);
      const la = a.nd.step(xb, yb);
      const lb = b.nd.step(xb, yb);
      expect(lb).toEqual(la);
      tf.dispose([xb, yb]);
    }
    expect(values(b.f.trainableVariables)).toEqual(values(a.f.trainableVariables));
    expect(values(b.nd.amortizer.trainableVariables)).toEqual(values(a.nd.amortizer.trainableVariables));
    // a trainer restored without the optimizer moments (fresh Adam) drifts away
    const c = make(5);
    const fresh = viaJson(await c.nd.getState());
    await c.nd.setState({ ...state, optimizers: fresh.optimizers });
    for (let i = 8; i < 14; i++) c.nd.step(...batches(i));
    expect(values(c.f.trainableVariables)).not.toEqual(values(a.f.trainableVariables));
    for (const t of [a, b, c]) {
      t.nd.dispose();
      t.f.dispose();
    }
  });

  it('W2GN (reference objective): resumed = uninterrupted', async () => {
    await initBackend({ backend, quiet: true });
    const make = (seed: number) => new W2GN({ icnn: { dim: 2, hidden: [8, 8], strongConvexity: 0.1 }, lambda: 2, objective: 'reference', optimizer: adam, seed });
    const a = make(0);
    const b = make(3);
    for (let i = 0; i < 5; i++) a.step(...batches(i));
    await b.setState(viaJson(await a.getState()));
    for (let i = 5; i < 10; i++) expect(b.step(...batches(i))).toEqual(a.step(...batches(i)));
    expect(values(b.conjugatePotential.trainableVariables)).toEqual(values(a.conjugatePotential.trainableVariables));
    a.dispose();
    b.dispose();
  });

  it('bad states throw OTError and leave the trainer as it was; no leaked tensors', async () => {
    await initBackend({ backend, quiet: true });
    const nd = new NeuralDual({ icnn: { dim: 2, hidden: [4] }, amortizerHidden: [4], seed: 0 });
    nd.step(x, y);
    const good = await nd.getState();
    const before = values(nd.potential.trainableVariables);
    const w2gnState = await (async () => {
      const w = new W2GN({ icnn: { dim: 2, hidden: [4] }, seed: 0 });
      const s = await w.getState();
      w.dispose();
      return s;
    })();
    const vars = good.variables;
    const badShape = { ...good, variables: { ...vars, potential: vars['potential']!.map((v, i) => (i === 0 ? { shape: [9], values: new Float32Array(9) } : v)) } };
    const nan = { ...good, variables: { ...vars, amortizer: vars['amortizer']!.map((v, i) => (i === 0 ? { ...v, values: Float32Array.from(v.values, () => Number.NaN) } : v)) } };
    const badMoments = { ...good, optimizers: { ...good.optimizers, amortizerOptimizer: { ...good.optimizers['amortizerOptimizer']!, adam: good.optimizers['amortizerOptimizer']!.adam.slice(0, 2) } } };
    const badStep = { ...good, optimizers: { ...good.optimizers, optimizer: { ...good.optimizers['optimizer']!, scheduleStep: -1 } } };
    await expectCode(() => nd.setState({} as never), 'INVALID_ARGUMENT');
    await expectCode(() => nd.setState(w2gnState), 'INVALID_ARGUMENT');
    await expectCode(() => nd.setState(badShape), 'SHAPE_MISMATCH');
    await expectCode(() => nd.setState(nan), 'NON_FINITE');
    await expectCode(() => nd.setState(badMoments), 'SHAPE_MISMATCH');
    await expectCode(() => nd.setState(badStep), 'INVALID_ARGUMENT');
    expect(values(nd.potential.trainableVariables)).toEqual(before);
    await expectNoLeakedTensors(async () => {
      for (let i = 0; i < 3; i++) await nd.setState(await nd.getState());
      nd.step(x, y);
    });
    nd.dispose();
  });
});
