/**
 * Host-side float64 vectors and matrices for the small exact solvers of `@ot/core` (exact OT,
 * 1D plans, symmetric eigendecomposition, matrix square roots, Gaussian closed forms). tfjs has
 * no float64 on most backends, so these routines read their inputs to the host once, compute in
 * float64, and hand results back both as float64 arrays and (where asked) as float32 tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import type { TensorLike } from './types.js';
import { toFloatTensor } from './validate.js';

/** A dense row-major float64 matrix held on the host: entry (i, j) is `data[i * cols + j]`. */
export interface Float64Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A matrix given as a float32 tensor `[r, c]`, nested arrays, or a {@link Float64Matrix}. */
export type MatrixInput = TensorLike | Float64Matrix | readonly (readonly number[])[];

/** A vector given as a float32 tensor `[n]`, an array, a `Float32Array` or a `Float64Array`. */
export type VectorInput = TensorLike | Float64Array | readonly number[];

function isFloat64Matrix(x: unknown): x is Float64Matrix {
  return (
    x !== null &&
    typeof x === 'object' &&
    !(x instanceof tf.Tensor) &&
    (x as Float64Matrix).data instanceof Float64Array &&
    typeof (x as Float64Matrix).rows === 'number' &&
    typeof (x as Float64Matrix).cols === 'number'
  );
}

function checkAllFinite(data: Float64Array, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) throw new OTError('NON_FINITE', `${name} contains NaN or Infinity (entry ${i})`, { name });
  }
}

/**
 * Reads a vector to the host as float64, checking rank 1, non-emptiness and finiteness. Arrays
 * and `Float64Array`s keep their full float64 precision (they never pass through a float32 tensor).
 */
export function toFloat64Vector(x: VectorInput | undefined | null, name: string): Float64Array {
  if (x === undefined || x === null) throw new OTError('INVALID_ARGUMENT', `${name} is required`, { name });
  if (typeof x === 'number') throw new OTError('INVALID_SHAPE', `${name} must be a vector [n], got a scalar`, { name });
  let out: Float64Array;
  if (x instanceof Float64Array || x instanceof Float32Array) {
    out = Float64Array.from(x);
  } else if (Array.isArray(x)) {
    out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v !== 'number') {
        throw new OTError('INVALID_SHAPE', `${name} must be a flat array of numbers [n], entry ${i} is ${Array.isArray(v) ? 'an array' : typeof v}`, {
          name,
        });
      }
      out[i] = v;
    }
  } else if (x instanceof tf.Tensor) {
    const t = toFloatTensor(x, name, 1);
    out = Float64Array.from(t.dataSync());
  } else {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a tensor [n], an array or a Float64Array`, { name });
  }
  if (out.length === 0) throw new OTError('EMPTY_INPUT', `${name} is empty`, { name });
  checkAllFinite(out, name);
  return out;
}

/**
 * Reads a matrix to the host as float64, checking rank 2, non-emptiness and finiteness. Nested
 * arrays and {@link Float64Matrix} inputs keep their full float64 precision.
 */
export function toFloat64Matrix(x: MatrixInput | undefined | null, name: string): Float64Matrix {
  if (x === undefined || x === null) throw new OTError('INVALID_ARGUMENT', `${name} is required`, { name });
  if (typeof x === 'number') throw new OTError('INVALID_SHAPE', `${name} must be a matrix [r, c], got a scalar`, { name });
  let out: Float64Matrix;
  if (isFloat64Matrix(x)) {
    if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0 || x.data.length !== x.rows * x.cols) {
      throw new OTError('INVALID_SHAPE', `${name}: a Float64Matrix needs data.length = rows·cols, got ${x.data.length} for ${x.rows}×${x.cols}`, { name });
    }
    out = { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) };
  } else if (Array.isArray(x)) {
    const rows = x.length;
    const first: unknown = x[0];
    if (rows > 0 && !Array.isArray(first)) {
      throw new OTError('INVALID_SHAPE', `${name} must be a matrix (an array of rows), got a flat array`, { name });
    }
    const cols = rows === 0 ? 0 : (first as unknown[]).length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row: unknown = x[i];
      if (!Array.isArray(row) || row.length !== cols) {
        throw new OTError('INVALID_SHAPE', `${name} must be rectangular: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${cols}`, {
          name,
        });
      }
      for (let j = 0; j < cols; j++) {
        const v: unknown = row[j];
        if (typeof v !== 'number') throw new OTError('INVALID_SHAPE', `${name}[${i}][${j}] is not a number`, { name });
        data[i * cols + j] = v;
      }
    }
    out = { rows, cols, data };
  } else if (x instanceof tf.Tensor) {
    const t = toFloatTensor(x, name, 2);
    out = { rows: t.shape[0] as number, cols: t.shape[1] as number, data: Float64Array.from(t.dataSync()) };
  } else {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a tensor [r, c], nested arrays or a Float64Matrix`, { name });
  }
  if (out.data.length === 0) throw new OTError('EMPTY_INPUT', `${name} is empty (${out.rows}×${out.cols})`, { name });
  checkAllFinite(out.data, name);
  return out;
}

/** Checks that a host matrix is square; returns its size. */
export function checkSquare(m: Float64Matrix, name: string): number {
  if (m.rows !== m.cols) {
    throw new OTError('INVALID_SHAPE', `${name} must be square, got ${m.rows}×${m.cols}`, { name, rows: m.rows, cols: m.cols });
  }
  return m.rows;
}

/** A float32 tensor `[rows, cols]` holding a host matrix (the caller owns it). */
export function matrixToTensor(m: Float64Matrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

/** The host matrix as nested arrays of float64 numbers. */
export function matrixToArray(m: Float64Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
