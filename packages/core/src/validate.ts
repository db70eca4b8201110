/**
 * Input validation shared by every `@ot/*` package. Shape and hyper-parameter checks are free;
 * checks that must read tensor data (NaN/Inf, weight sums) cost a device sync, so they run only
 * at validation level `'full'` (the default). Training loops set `'shapes'` globally with
 * {@link setValidationLevel} or per call with a `validate` option.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import type { TensorLike, ValidationLevel } from './types.js';

let globalLevel: ValidationLevel = 'full';

/** Sets the default validation level for every `@ot/*` call (`'full'` by default). */
export function setValidationLevel(level: ValidationLevel): void {
  if (level !== 'full' && level !== 'shapes') {
    throw new OTError('INVALID_ARGUMENT', `validation level must be 'full' or 'shapes', got ${String(level)}`);
  }
  globalLevel = level;
}

/** The validation level in force: the per-call override, else the global default. */
export function validationLevel(override?: ValidationLevel): ValidationLevel {
  return override ?? globalLevel;
}

const FLOAT_DTYPES = new Set(['float32']);

/**
 * Converts `x` to a float32 tensor and checks its rank and that it is non-empty. Tensors of
 * another dtype are rejected (not silently cast). Arrays are converted; the caller owns the result
 * only when `x` was not already a tensor, so call it inside `tf.tidy`.
 */
export function toFloatTensor(x: TensorLike | undefined | null, name: string, rank?: number | readonly number[]): tf.Tensor {
  if (x === undefined || x === null) {
    throw new OTError('INVALID_ARGUMENT', `${name} is required`);
  }
  let t: tf.Tensor;
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new OTError('DISPOSED', `${name} is a disposed tensor`);
    if (!FLOAT_DTYPES.has(x.dtype)) {
      throw new OTError('INVALID_DTYPE', `${name} must be a float32 tensor, got dtype ${x.dtype}`, { name, dtype: x.dtype });
    }
    t = x;
  } else if (typeof x === 'number' || Array.isArray(x) || x instanceof Float32Array) {
    if (Array.isArray(x)) checkRectangular(x, name);
    try {
      t = tf.tensor(x as number[], undefined, 'float32');
    } catch (e) {
      throw new OTError('INVALID_SHAPE', `${name} is not a rectangular numeric array: ${(e as Error).message}`, { name });
    }
  } else {
    throw new OTError('INVALID_ARGUMENT', `${name} must be a tensor or a numeric array`, { name });
  }
  if (rank !== undefined) {
    const ranks = typeof rank === 'number' ? [rank] : rank;
    if (!ranks.includes(t.rank)) {
      throw new OTError(
        'INVALID_SHAPE',
        `${name} must have rank ${ranks.join(' or ')}, got shape [${t.shape.join(', ')}]`,
        { name, shape: t.shape },
      );
    }
  }
  if (t.size === 0) {
    throw new OTError('EMPTY_INPUT', `${name} is empty (shape [${t.shape.join(', ')}])`, { name, shape: t.shape });
  }
  return t;
}

/**
 * Throws `INVALID_SHAPE` unless `x` is a rectangular nested array of numbers. (tfjs in production
 * mode does not check this: a ragged array silently becomes a tensor with missing values.)
 */
function checkRectangular(x: unknown[], name: string): void {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new OTError('INVALID_SHAPE', `${name}${path} must be a number, got ${Array.isArray(v) ? 'an array' : typeof v}`, { name });
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new OTError(
        'INVALID_SHAPE',
        `${name} is not a rectangular numeric array: ${name}${path} has ${Array.isArray(v) ? `${v.length} entries` : 'no entries'}, expected ${shape[depth]} (shape [${shape.join(', ')}])`,
        { name },
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(x, 0, '');
}

/** Throws `NON_FINITE` when `t` holds NaN or ±Inf (reads one boolean from the device). */
export function checkFinite(t: tf.Tensor, name: string, level?: ValidationLevel): void {
  if (validationLevel(level) !== 'full') return;
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)));
  const finite = ok.dataSync()[0] === 1;
  ok.dispose();
  if (!finite) throw new OTError('NON_FINITE', `${name} contains NaN or Infinity`, { name });
}

/** Throws `SHAPE_MISMATCH` unless `a === b`. */
export function checkSameSize(a: number, b: number, what: string): void {
  if (a !== b) throw new OTError('SHAPE_MISMATCH', `${what}: ${a} ≠ ${b}`, { a, b });
}

/**
 * Validates weights for `n` points: a float32 vector `[n]` (or a tensor with `shape`), finite,
 * nonnegative, summing to 1 within `tol` along the first axis. Returns the tensor (converted when
 * given as an array; call inside `tf.tidy`).
 */
export function toWeights(
  w: TensorLike,
  n: number,
  name: string,
  opts: { level?: ValidationLevel; tol?: number; allowBatched?: number } = {},
): tf.Tensor {
  const t = toFloatTensor(w, name, opts.allowBatched === undefined ? 1 : [1, 2]);
  if (t.shape[0] !== n) {
    throw new OTError('SHAPE_MISMATCH', `${name} must have ${n} entries (one per point), got shape [${t.shape.join(', ')}]`, {
      name,
      expected: n,
      shape: t.shape,
    });
  }
  if (t.rank === 2 && t.shape[1] !== opts.allowBatched) {
    throw new OTError('SHAPE_MISMATCH', `${name} must be [${n}] or [${n}, ${opts.allowBatched}], got [${t.shape.join(', ')}]`, {
      name,
      shape: t.shape,
    });
  }
  if (validationLevel(opts.level) !== 'full') return t;
  const tol = opts.tol ?? 1e-4;
  const [minV, maxErr, finite] = tf.tidy(() => {
    const s = tf.sum(t, 0);
    return [tf.min(t), tf.max(tf.abs(tf.sub(s, 1))), tf.all(tf.isFinite(t))];
  });
  const mn = minV.dataSync()[0] as number;
  const err = maxErr.dataSync()[0] as number;
  const fin = finite.dataSync()[0] === 1;
  tf.dispose([minV, maxErr, finite]);
  if (!fin) throw new OTError('NON_FINITE', `${name} contains NaN or Infinity`, { name });
  if (mn < 0) throw new OTError('INVALID_WEIGHTS', `${name} must be nonnegative, found ${mn}`, { name, min: mn });
  if (err > tol) {
    throw new OTError('INVALID_WEIGHTS', `${name} must sum to 1, off by ${err.toExponential(3)} (tolerance ${tol})`, { name, error: err });
  }
  return t;
}

/** Checks a finite number satisfying `pred`; `expected` describes the requirement. */
export function checkNumber(value: unknown, name: string, pred: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !pred(value)) {
    throw new OTError('INVALID_ARGUMENT', `${name} must be ${expected}, got ${String(value)}`, { name, value });
  }
  return value;
}

/** Checks an integer ≥ `min`. */
export function checkInteger(value: unknown, name: string, min = 1): number {
  return checkNumber(value, name, (v) => Number.isInteger(v) && v >= min, `an integer ≥ ${min}`);
}

/** Checks a number > 0. */
export function checkPositive(value: unknown, name: string): number {
  return checkNumber(value, name, (v) => v > 0, 'a number > 0');
}

/** Checks a boolean. */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new OTError('INVALID_ARGUMENT', `${name} must be a boolean, got ${String(value)}`, { name, value });
  return value;
}

/** Checks that `value` is one of `choices`. */
export function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new OTError('INVALID_ARGUMENT', `${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${String(value)}`, {
      name,
      value,
    });
  }
  return value as T;
}

/**
 * Validates a point cloud `[n, d]` (float32, non-empty, finite at level `'full'`). Returns the
 * tensor (converted when given as an array; call inside `tf.tidy`).
 */
export function toPointCloud(x: TensorLike, name: string, level?: ValidationLevel): tf.Tensor2D {
  const t = toFloatTensor(x, name, 2) as tf.Tensor2D;
  checkFinite(t, name, level);
  return t;
}
