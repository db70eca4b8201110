import * as tf from '@tensorflow/tfjs-core';
import { isOTError, type OTErrorCode } from '@ot/core';
import { describeWithBackends } from '@ot/test-utils';
import { expect, it } from 'vitest';
import {
  GeneralizedLinearAmortizedSlicer,
  LinearAmortizedSlicer,
  NonLinearAmortizedSlicer,
  generalizedSlicedWasserstein,
  maxGeneralizedSlicedWasserstein,
  maxSlicedWasserstein,
  slicedWasserstein,
} from '../src/index.js';

function expectCode(f: () => unknown, code: OTErrorCode): void {
  let caught: unknown;
  try {
    const r = f();
    if (r instanceof tf.Tensor) r.dispose();
  } catch (e) {
    caught = e;
  }
  expect(isOTError(caught, code), `expected OTError ${code}, got ${String(caught)}`).toBe(true);
}

describeWithBackends('bad inputs throw OTError', () => {
  const X = [[0, 1], [2, 3], [4, 5]];
  const Y = [[1, 1], [0, 2]];
  const cases: Array<[string, () => unknown, OTErrorCode]> = [
    ['SW: X of rank 1', () => slicedWasserstein([1, 2, 3], Y), 'INVALID_SHAPE'],
    ['SW: mismatched d', () => slicedWasserstein(X, [[1, 2, 3]]), 'SHAPE_MISMATCH'],
    ['SW: empty X', () => slicedWasserstein(tf.zeros([0, 2]), Y), 'EMPTY_INPUT'],
    ['SW: NaN in Y', () => slicedWasserstein(X, [[NaN, 1], [0, 2]]), 'NON_FINITE'],
    ['SW: int32 X', () => slicedWasserstein(tf.tensor2d(X, undefined, 'int32'), Y), 'INVALID_DTYPE'],
    ['SW: p < 1', () => slicedWasserstein(X, Y, { p: 0.5 }), 'INVALID_ARGUMENT'],
    ['SW: nProjections = 0', () => slicedWasserstein(X, Y, { nProjections: 0 }), 'INVALID_ARGUMENT'],
    ['SW: nProjections not an integer', () => slicedWasserstein(X, Y, { nProjections: 2.5 }), 'INVALID_ARGUMENT'],
    ['SW: projections with the wrong d', () => slicedWasserstein(X, Y, { projections: [[1], [0], [0]] }), 'SHAPE_MISMATCH'],
    ['SW: non-unit given directions', () => slicedWasserstein(X, Y, { projections: [[2, 0], [0, 1]] }), 'INVALID_ARGUMENT'],
    ['SW: projections and orthogonal together', () => slicedWasserstein(X, Y, { projections: [[1], [0]], orthogonal: true }), 'INVALID_ARGUMENT'],
    ['SW: weights of the wrong length', () => slicedWasserstein(X, Y, { a: [0.5, 0.5] }), 'SHAPE_MISMATCH'],
    ['SW: negative weights', () => slicedWasserstein(X, Y, { b: [1.5, -0.5] }), 'INVALID_WEIGHTS'],
    ['SW: weights not summing to 1', () => slicedWasserstein(X, Y, { a: [0.2, 0.2, 0.2] }), 'INVALID_WEIGHTS'],
    ['SW: bad seed', () => slicedWasserstein(X, Y, { seed: 'x' as unknown as number }), 'INVALID_ARGUMENT'],
    ['Max-SW: T2 < 0', () => maxSlicedWasserstein(X, Y, { iterations: -1 }), 'INVALID_ARGUMENT'],
    ['Max-SW: lr ≤ 0', () => maxSlicedWasserstein(X, Y, { lr: 0 }), 'INVALID_ARGUMENT'],
    ['Max-SW: unknown optimizer', () => maxSlicedWasserstein(X, Y, { optimizer: 'rmsprop' as 'sgd' }), 'INVALID_ARGUMENT'],
    ['Max-SW: init of the wrong length', () => maxSlicedWasserstein(X, Y, { init: [1, 0, 0] }), 'SHAPE_MISMATCH'],
    ['Max-SW: zero init', () => maxSlicedWasserstein(X, Y, { init: [0, 0] }), 'INVALID_ARGUMENT'],
    ['Max-SW: betas out of range', () => maxSlicedWasserstein(X, Y, { betas: [1, 0.9] }), 'INVALID_ARGUMENT'],
    ['Max-SW: mismatched d', () => maxSlicedWasserstein(X, [[1, 2, 3]]), 'SHAPE_MISMATCH'],
    ['A-SW: m not an integer', () => new LinearAmortizedSlicer(2.5, 2), 'INVALID_ARGUMENT'],
    ['A-SW: K > d', () => new NonLinearAmortizedSlicer(3, 2, { directions: 3 }), 'INVALID_ARGUMENT'],
    ['A-SW: lr ≤ 0', () => new GeneralizedLinearAmortizedSlicer(3, 2, { lr: -1 }), 'INVALID_ARGUMENT'],
    ['A-SW: hidden = 0', () => new GeneralizedLinearAmortizedSlicer(3, 2, { hidden: 0 }), 'INVALID_ARGUMENT'],
    ['GSW: unknown kind', () => generalizedSlicedWasserstein(X, Y, { kind: 'spherical' as 'circular' }), 'INVALID_ARGUMENT'],
    ['GSW: even polynomial degree', () => generalizedSlicedWasserstein(X, Y, { kind: 'polynomial', degree: 2 }), 'INVALID_ARGUMENT'],
    ['GSW: radius ≤ 0', () => generalizedSlicedWasserstein(X, Y, { kind: 'circular', radius: 0 }), 'INVALID_ARGUMENT'],
    ['GSW: projections of the wrong dimension q', () => generalizedSlicedWasserstein(X, Y, { kind: 'polynomial', degree: 3, projections: [[1], [0]] }), 'SHAPE_MISMATCH'],
    ['max-GSW: T2 < 0', () => maxGeneralizedSlicedWasserstein(X, Y, { kind: 'circular', iterations: -2 }), 'INVALID_ARGUMENT'],
    ['max-GSW: init of the wrong length for polynomials', () => maxGeneralizedSlicedWasserstein(X, Y, { kind: 'polynomial', init: [1, 0] }), 'SHAPE_MISMATCH'],
  ];
  for (const [name, f, code] of cases) {
    it(`${name} → ${code}`, () => expectCode(f, code));
  }

  it('A-SW: a batch of the wrong size m, or the wrong d → SHAPE_MISMATCH; use after dispose → DISPOSED', () => {
    const slicer = new LinearAmortizedSlicer(3, 2, { seed: 0 });
    expectCode(() => slicer.loss(X, Y), 'SHAPE_MISMATCH');
    expectCode(() => slicer.direction([[1, 2, 3], [1, 2, 3], [1, 2, 3]], [[1, 2, 3], [1, 2, 3], [1, 2, 3]]), 'SHAPE_MISMATCH');
    expectCode(() => slicer.step(X, [[0, 1], [1, 0], [1, 1], [2, 2]]), 'SHAPE_MISMATCH');
    slicer.dispose();
    expectCode(() => slicer.loss(X, X), 'DISPOSED');
    expectCode(() => slicer.step(X, X), 'DISPOSED');
  });

  it('counts at least 20 distinct bad-input cases', () => {
    expect(cases.length + 5).toBeGreaterThanOrEqual(20);
  });
});
