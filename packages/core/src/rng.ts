/**
 * Seeded randomness. Every random choice in `@ot/*` takes a {@link Seed}: a number or an
 * {@link Rng}. The same seed gives the same tensors on the same backend. Without a seed, draws
 * come from a global generator that {@link setGlobalSeed} makes reproducible.
 *
 * The generator is sfc32 (Doty-Humphrey's small fast counter, 128-bit state, passes PractRand);
 * tensors are drawn by tfjs's own seeded samplers with seeds taken from it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';

/** Serializable generator state (for checkpoints). */
export interface RngState {
  readonly kind: 'sfc32';
  readonly s: readonly [number, number, number, number];
}

/** A seeded pseudo-random generator. */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A fresh seed for a tfjs sampler (a positive integer below 2^31). */
  nextSeed(): number;
  /** The current state; `createRng(state)` resumes from it. */
  getState(): RngState;
  /** An independent generator derived from this one (advances this one). */
  fork(): Rng;
}

/** A seed: a number, a generator, or undefined for the global generator. */
export type Seed = number | Rng | undefined;

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(s: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = [s[0] >>> 0, s[1] >>> 0, s[2] >>> 0, s[3] >>> 0];
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new OTError('INVALID_ARGUMENT', `int(n) needs an integer n ≥ 1, got ${n}`);
    return Math.floor(this.next() * n);
  }

  nextSeed(): number {
    return (this.nextUint32() >>> 1) || 1;
  }

  getState(): RngState {
    return { kind: 'sfc32', s: [this.a, this.b, this.c, this.d] };
  }

  fork(): Rng {
    return new Sfc32([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()]);
  }
}

/** Creates a generator from an integer seed (any safe integer) or a saved state. */
export function createRng(seed: number | RngState): Rng {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new OTError('INVALID_ARGUMENT', `seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const r = new Sfc32([0x9e3779b9, lo, hi, 1]);
    for (let i = 0; i < 15; i++) r.nextUint32();
    return r;
  }
  if (seed === null || typeof seed !== 'object' || seed.kind !== 'sfc32' || !Array.isArray(seed.s) || seed.s.length !== 4) {
    throw new OTError('INVALID_ARGUMENT', 'RNG state must be { kind: "sfc32", s: [4 uint32] }');
  }
  return new Sfc32(seed.s);
}

let globalRng: Rng = createRng(Math.floor(Math.random() * 2 ** 32));

/** Reseeds the global generator used when no seed is given. */
export function setGlobalSeed(seed: number): void {
  globalRng = createRng(seed);
}

/** The generator for a {@link Seed}: a new one for a number, the same object for an Rng, the global one for undefined. */
export function toRng(seed: Seed): Rng {
  if (seed === undefined) return globalRng;
  if (typeof seed === 'number') return createRng(seed);
  if (seed !== null && typeof seed === 'object' && typeof (seed as Rng).nextUint32 === 'function') return seed;
  throw new OTError('INVALID_ARGUMENT', `seed must be a number or an Rng, got ${String(seed)}`);
}

/** Standard normal float32 tensor of `shape`, reproducible from `seed`. */
export function randomNormal(shape: number[], seed?: Seed): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', toRng(seed).nextSeed());
}

/** Uniform [lo, hi) float32 tensor of `shape`, reproducible from `seed`. */
export function randomUniform(shape: number[], seed?: Seed, lo = 0, hi = 1): tf.Tensor {
  return tf.randomUniform(shape, lo, hi, 'float32', toRng(seed).nextSeed());
}

/** A permutation of 0..n-1 (Fisher–Yates), reproducible from `seed`. */
export function permutation(n: number, seed?: Seed): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new OTError('INVALID_ARGUMENT', `permutation(n) needs an integer n ≥ 0, got ${n}`, { n });
  const rng = toRng(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}
