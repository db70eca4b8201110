/**
 * Seeded randomness (determinism, state round-trip, forks) and backend selection (forced
 * backends, OT_BACKEND, unknown and unavailable backends).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectNoLeakedTensors } from '@ot/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng, currentBackend, initBackend, permutation, randomNormal, randomUniform, setGlobalSeed, toRng } from '@ot/core';
import { expectOTErrorAsync } from './helpers.js';

describe('createRng', () => {
  it('same seed, same stream; different seeds differ', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 20 }, () => r.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    // Seeds above 2^32 use their high bits too.
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('getState round-trips: a generator recreated from a state continues the same stream', () => {
    const r = createRng(7);
    for (let i = 0; i < 13; i++) r.next();
    const state = r.getState();
    const json = JSON.parse(JSON.stringify(state));
    const a = Array.from({ length: 10 }, () => r.normal());
    const r2 = createRng(json);
    const b = Array.from({ length: 10 }, () => r2.normal());
    expect(b).toEqual(a);
  });

  it('next in [0, 1), int in [0, n), normal has mean ≈ 0 and variance ≈ 1', () => {
    const r = createRng(1);
    let s = 0;
    let s2 = 0;
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.03);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.05);
  });

  it('fork gives an independent, reproducible stream', () => {
    const a = createRng(3);
    const fa = a.fork();
    const b = createRng(3);
    const fb = b.fork();
    const xs = Array.from({ length: 5 }, () => fa.nextUint32());
    expect(Array.from({ length: 5 }, () => fb.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => a.nextUint32())).not.toEqual(xs);
  });

  it('nextSeed is a positive integer below 2^31', () => {
    const r = createRng(5);
    for (let i = 0; i < 1000; i++) {
      const s = r.nextSeed();
      expect(Number.isInteger(s) && s >= 1 && s < 2 ** 31).toBe(true);
    }
  });

  it('permutation is a reproducible permutation', () => {
    const p = permutation(50, 8);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(permutation(50, 8))).toEqual(Array.from(p));
    expect(Array.from(permutation(50, 9))).not.toEqual(Array.from(p));
  });

  it('toRng: a number makes a new generator, an Rng is used as is, undefined is the global one', () => {
    const r = createRng(1);
    expect(toRng(r)).toBe(r);
    expect(toRng(5).nextUint32()).toBe(createRng(5).nextUint32());
    setGlobalSeed(99);
    const a = toRng(undefined).nextUint32();
    setGlobalSeed(99);
    expect(toRng(undefined).nextUint32()).toBe(a);
  });
});

describeWithBackends('seeded tensors', () => {
  it('randomNormal / randomUniform: same seed → same tensor on this backend', async () => {
    await expectNoLeakedTensors(() => {
      const a = randomNormal([4, 3], 17);
      const b = randomNormal([4, 3], 17);
      const c = randomNormal([4, 3], 18);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
      const u = randomUniform([100], 3, -2, 5);
      const v = randomUniform([100], 3, -2, 5);
      expect(Array.from(u.dataSync())).toEqual(Array.from(v.dataSync()));
      expect(Math.min(...u.dataSync())).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...u.dataSync())).toBeLessThan(5);
      tf.dispose([a, b, c, u, v]);
    });
  });
  it('a restored generator state reproduces the next tensors', () => {
    const r = createRng(123);
    randomNormal([2], r).dispose();
    const state = r.getState();
    const a = randomNormal([5], r);
    const b = randomNormal([5], createRng(state));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });
});

describe('initBackend', () => {
  const saved = process.env['OT_BACKEND'];
  afterEach(() => {
    if (saved === undefined) delete process.env['OT_BACKEND'];
    else process.env['OT_BACKEND'] = saved;
  });

  it("forced 'cpu' and 'wasm' load and become active", async () => {
    expect(await initBackend({ backend: 'cpu', quiet: true })).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    expect(await initBackend({ backend: 'wasm', quiet: true })).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    // The backend computes.
    const t = tf.add(tf.tensor1d([1, 2]), 1);
    expect(Array.from(t.dataSync())).toEqual([2, 3]);
    t.dispose();
  });

  it('OT_BACKEND is honoured, and the backend option overrides it', async () => {
    process.env['OT_BACKEND'] = 'cpu';
    expect(await initBackend({ quiet: true })).toBe('cpu');
    process.env['OT_BACKEND'] = 'wasm';
    expect(await initBackend({ quiet: true })).toBe('wasm');
    expect(await initBackend({ backend: 'cpu', quiet: true })).toBe('cpu');
  });

  it('an unknown backend throws BACKEND_UNAVAILABLE (option or OT_BACKEND)', async () => {
    await expectOTErrorAsync(() => initBackend({ backend: 'quantum', quiet: true }), 'BACKEND_UNAVAILABLE');
    process.env['OT_BACKEND'] = 'gpu-please';
    await expectOTErrorAsync(() => initBackend({ quiet: true }), 'BACKEND_UNAVAILABLE');
  });

  it("forced 'tensorflow' throws BACKEND_UNAVAILABLE here (tfjs-node is not installed), no silent fallback", async () => {
    const before = currentBackend();
    await expectOTErrorAsync(() => initBackend({ backend: 'tensorflow', quiet: true }), 'BACKEND_UNAVAILABLE');
    expect(currentBackend()).toBe(before);
  });

  it('without a preference it picks the first loadable backend: tensorflow if installed, else wasm', async () => {
    delete process.env['OT_BACKEND'];
    expect(['tensorflow', 'wasm']).toContain(await initBackend({ quiet: true }));
  });
});
