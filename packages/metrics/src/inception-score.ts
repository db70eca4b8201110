/**
 * Inception Score of Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen, *Improved Techniques
 * for Training GANs*, NeurIPS 2016: IS = exp E_x KL(p(y|x) ‖ p(y)), computed on `splits`
 * consecutive chunks of the samples (chunk i = samples ⌊iN/s⌋..⌊(i+1)N/s⌋), reported as the mean
 * and the (population, ddof = 0) standard deviation over chunks, in float64 — the original code's
 * maths, which torch-fidelity reproduces (torch-fidelity may shuffle the samples first; we do not).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkInteger } from '@ot/core';

/** Mean and standard deviation of a score over splits or subsets, with the per-split values. */
export interface ScoreSummary {
  readonly mean: number;
  readonly std: number;
  readonly values: readonly number[];
}

/** Logits of N samples: `[N, C]` tensor, nested arrays, or a flat row-major array with `numClasses`. */
export type LogitsInput = tf.Tensor | number[][] | Float32Array | Float64Array;

function toFlat(logits: LogitsInput, numClasses?: number): { data: ArrayLike<number>; n: number; c: number } {
  if (logits instanceof tf.Tensor) {
    if (logits.rank !== 2) throw new OTError('INVALID_SHAPE', `logits must be [N, C], got shape [${logits.shape.join(', ')}]`);
    return { data: logits.dataSync() as Float32Array, n: logits.shape[0] as number, c: logits.shape[1] as number };
  }
  if (Array.isArray(logits)) {
    const n = logits.length;
    const c = n > 0 ? (logits[0] as number[]).length : 0;
    const data = new Float64Array(n * c);
    logits.forEach((r, i) => {
      if (r.length !== c) throw new OTError('INVALID_SHAPE', `logits row ${i} must have ${c} entries`);
      data.set(r, i * c);
    });
    return { data, n, c };
  }
  if (logits instanceof Float32Array || logits instanceof Float64Array) {
    if (numClasses === undefined) throw new OTError('INVALID_ARGUMENT', 'a flat logits array needs numClasses');
    if (logits.length % numClasses !== 0) throw new OTError('INVALID_SHAPE', `flat logits length ${logits.length} is not a multiple of ${numClasses}`);
    return { data: logits, n: logits.length / numClasses, c: numClasses };
  }
  throw new OTError('INVALID_ARGUMENT', 'logits must be a [N, C] tensor, nested arrays or a flat typed array');
}

/**
 * Inception Score from class logits (softmax in float64).
 *
 * @param logits `[N, C]` (for the FID Inception: pool3 · Wᵀ, 1008 classes)
 * @example
 * ```ts
 * const { mean, std } = inceptionScoreFromLogits(logits, { splits: 10 });
 * ```
 */
export function inceptionScoreFromLogits(logits: LogitsInput, options: { splits?: number; numClasses?: number } = {}): ScoreSummary {
  const splits = checkInteger(options.splits ?? 10, 'splits');
  const { data, n, c } = toFlat(logits, options.numClasses);
  if (n === 0 || c === 0) throw new OTError('EMPTY_INPUT', 'logits are empty');
  if (n < splits) throw new OTError('INVALID_ARGUMENT', `the Inception Score needs at least one sample per split: ${n} samples < ${splits} splits`);
  const p = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < c; k++) {
      const v = data[i * c + k]!;
      if (!Number.isFinite(v)) throw new OTError('NON_FINITE', `logits contain NaN or Infinity (row ${i})`);
      mx = Math.max(mx, v);
    }
    let s = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp(data[i * c + k]! - mx);
      p[i * c + k] = e;
      s += e;
    }
    for (let k = 0; k < c; k++) p[i * c + k] = p[i * c + k]! / s;
  }
  const values: number[] = [];
  const py = new Float64Array(c);
  for (let sp = 0; sp < splits; sp++) {
    const lo = Math.floor((sp * n) / splits);
    const hi = Math.floor(((sp + 1) * n) / splits);
    py.fill(0);
    for (let i = lo; i < hi; i++) for (let k = 0; k < c; k++) py[k] = py[k]! + (p[i * c + k]!);
    for (let k = 0; k < c; k++) py[k] = py[k]! / (hi - lo);
    let kl = 0;
    for (let i = lo; i < hi; i++) {
      for (let k = 0; k < c; k++) {
        const q = p[i * c + k]!;
        if (q > 0) kl += q * (Math.log(q) - Math.log(py[k]!));
      }
    }
    values.push(Math.exp(kl / (hi - lo)));
  }
  return summarize(values);
}

/** Mean and population standard deviation. */
export function summarize(values: number[]): ScoreSummary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length);
  return { mean, std, values };
}
