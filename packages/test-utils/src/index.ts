/**
 * Shared test helpers for the `@ot/*` packages (private).
 *
 * - {@link describeWithBackends}: run a suite once per available backend (`cpu`, `wasm`, and
 *   `tensorflow` when tfjs-node is installed); `OT_TEST_BACKENDS=cpu,wasm` restricts the list.
 * - {@link expectTensorsClose}: shape, dtype and values within a precision-aware tolerance.
 * - {@link expectNoLeakedTensors}: the number of live tensors is unchanged by a block.
 * - The committed fixtures' shapes ({@link W1dCase}, {@link SwCase}, …) and {@link maxRelErr}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';

export type BackendActivator = (name: string) => Promise<void>;

let activator: BackendActivator = async (name) => {
  await tf.setBackend(name);
  await tf.ready();
};

/** Installs the function that switches the global backend (set once by the vitest setup file). */
export function setBackendActivator(fn: BackendActivator): void {
  activator = fn;
}

/** Backends the suites run on: `OT_TEST_BACKENDS` (comma separated) or cpu and wasm. */
export function testBackends(): string[] {
  const env = process.env['OT_TEST_BACKENDS'];
  if (env !== undefined && env.trim() !== '') {
    return env.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }
  return ['cpu', 'wasm'];
}

/** Runs `fn` inside a `describe` block once for each test backend, with that backend active. */
export function describeWithBackends(name: string, fn: (backend: string) => void): void {
  for (const backend of testBackends()) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await activator(backend);
      });
      fn(backend);
    });
  }
}

/** Machine epsilon-aware default tolerances: float32 backends get 1e-4 relative, float64 1e-9. */
export function defaultTolerance(): { rtol: number; atol: number } {
  const eps = tf.backend().floatPrecision() === 32 ? 1e-4 : 1e-9;
  return { rtol: eps, atol: eps };
}

export interface CloseOptions {
  rtol?: number;
  atol?: number;
}

type Numeric = number | number[] | number[][] | number[][][] | Float32Array | Float64Array | Int32Array;

function flatten(x: Numeric): number[] {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x as Float32Array);
  return (x as unknown[]).flatMap((v) => flatten(v as Numeric));
}

function shapeOf(x: Numeric): number[] {
  if (typeof x === 'number') return [];
  if (ArrayBuffer.isView(x)) return [(x as Float32Array).length];
  const arr = x as unknown[];
  return arr.length === 0 ? [0] : [arr.length, ...shapeOf(arr[0] as Numeric)];
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, and equal shapes
 * (and dtypes when both are tensors).
 */
export function expectTensorsClose(actual: tf.Tensor | Numeric, expected: tf.Tensor | Numeric, opts: CloseOptions = {}): void {
  const tol = defaultTolerance();
  const rtol = opts.rtol ?? tol.rtol;
  const atol = opts.atol ?? tol.atol;
  const aShape = actual instanceof tf.Tensor ? actual.shape : shapeOf(actual);
  const eShape = expected instanceof tf.Tensor ? expected.shape : shapeOf(expected);
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) {
    expect(actual.dtype, 'dtype').toBe(expected.dtype);
  }
  const a = actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : flatten(actual);
  const e = expected instanceof tf.Tensor ? Array.from(expected.dataSync()) : flatten(expected);
  // Treat a vector given as a plain array as matching a tensor of any shape with the same size.
  if (actual instanceof tf.Tensor === expected instanceof tf.Tensor) {
    expect(aShape, 'shape').toEqual(eShape);
  } else {
    expect(a.length, 'size').toBe(e.length);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const ai = a[i] as number;
    const ei = e[i] as number;
    const excess = Math.abs(ai - ei) - (atol + rtol * Math.abs(ei));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `values differ at flat index ${worst}: got ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol})`,
    );
  }
}

/** Runs `fn` and asserts the number of live tensors is the same before and after. */
export async function expectNoLeakedTensors<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  expect(after - before, 'leaked tensors').toBe(0);
  return result;
}

/** Central finite-difference gradient of a scalar function of a flat float64 vector. */
export function finiteDifferenceGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-3): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const orig = x[i] as number;
    x[i] = orig + h;
    const fp = f(x);
    x[i] = orig - h;
    const fm = f(x);
    x[i] = orig;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Reads a JSON fixture relative to a test file's URL. */
export async function loadFixture<T = unknown>(relativeTo: string, path: string): Promise<T> {
  const { readFile } = await import('node:fs/promises');
  const url = new URL(path, relativeTo);
  return JSON.parse(await readFile(url, 'utf8')) as T;
}

export { afterAll };
export * from './fixtures.js';
