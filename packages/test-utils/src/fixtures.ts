/**
 * The shapes of the committed reference fixtures (written by `scripts/fixtures/*.py`), shared by
 * the packages' Node tests and the browser numerics test of `examples/playground`, and the error
 * measure they are compared with.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** `packages/core/test/fixtures/w1d.json`: POT's `wasserstein_1d`, batched cases have [n, k] columns. */
export interface W1dCase {
  name: string;
  p: number;
  u: number[] | number[][];
  v: number[] | number[][];
  uWeights?: number[] | number[][];
  vWeights?: number[] | number[][];
  value: number | number[];
}

/** `packages/core/test/fixtures/w1d_grad.json`: torch float64 gradient of W_p^p in `u`. */
export interface W1dGradCase {
  p: number;
  u: number[];
  v: number[];
  uWeights?: number[];
  vWeights?: number[];
  value: number;
  grad: number[];
}

/** One sliced-Wasserstein case of `packages/sliced/test/fixtures/sliced_refs.json` (directions P as rows [L, d]). */
export interface SwCase {
  p: number;
  n: number;
  m: number;
  weighted: boolean;
  X: number[][];
  Y: number[][];
  P: number[][];
  a: number[] | null;
  b: number[] | null;
  value: number;
  costs: number[];
}

/** One generalized-SW case of `sliced_refs.json`. */
export interface GswCase {
  kind: 'circular' | 'polynomial';
  degree: number;
  radius: number;
  p: number;
  X: number[][];
  Y: number[][];
  P: number[][];
  value: number;
  costs: number[];
}

/** `packages/sliced/test/fixtures/sliced_refs.json`. */
export interface SlicedRefs {
  pot_version: string;
  sw: SwCase[];
  sw_grad: { X: number[][]; Y: number[][]; P: number[][]; value: number; grad: number[][] };
  gsw: GswCase[];
}

/** One λ of the regularized c-transform in `packages/semidual/test/fixtures/semidual_refs.json`. */
export interface CTransformCase {
  lambda: number;
  values: number[];
  gradX: number[][];
  gradPsi: number[];
  normalizedValues: number[];
}

/** The `ctransform` block of `semidual_refs.json`. */
export interface CTransformRefs {
  X: number[][];
  Y: number[][];
  nu: number[];
  psi: number[];
  w: number[];
  costScale: number;
  cases: CTransformCase[];
}

type Num = number | number[] | number[][] | Float32Array | Float64Array;

/** The entries of a number, nested array, typed array or tensor, flattened. */
export function flat(x: Num | tf.Tensor): number[] {
  if (x instanceof tf.Tensor) return Array.from(x.dataSync());
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x);
  return (x as unknown[]).flatMap((v) => flat(v as Num));
}

/**
 * Max over entries of |a − e| / max(|e|, floor): relative error with a floor for entries near
 * zero (the floor is an absolute scale, e.g. a fraction of the largest entry); ∞ when an entry of
 * `actual` is not finite.
 */
export function maxRelErr(actual: Num | tf.Tensor, expected: Num | tf.Tensor, floor = 0): number {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, 'size').toBe(e.length);
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    const ai = a[i] as number;
    const ei = e[i] as number;
    const err = Math.abs(ai - ei) / Math.max(Math.abs(ei), floor, Number.MIN_VALUE);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}
