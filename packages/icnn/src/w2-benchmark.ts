/**
 * Continuous W2 benchmark pairs of Korotin, Li, Genevay, Solomon, Filippov, Burnaev,
 * *Do Neural Optimal Transport Solvers Work? A Continuous Wasserstein-2 Benchmark*, NeurIPS 2021
 * (Mix3 → Mix10): P is a 3-component Gaussian mixture and the exact optimal map is
 * T(x) = scale·(∇ψ1(x) + ∇ψ2(x) − shift), ψ1, ψ2 two published DenseICNNs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, randomNormal, toRng, type Seed } from '@ot/core';
import { DenseICNN, type DenseICNNWeights } from './dense-icnn.js';
import { ACTIVATIONS, type Activation } from './potential.js';

/** A benchmark pair: a sampler of P, the exact map T (Q = T#P) and the metric's constants. */
export interface W2Benchmark {
  readonly name: string;
  /** Dimension d. */
  readonly dim: number;
  /** Draws `[n, d]` samples of P. */
  sample(n: number, seed?: Seed): tf.Tensor2D;
  /** The exact optimal map T: `[n, d]` → `[n, d]`. */
  map(x: tf.Tensor2D): tf.Tensor2D;
  /** Draws `[n, d]` samples of Q = T#P. */
  sampleTarget(n: number, seed?: Seed): tf.Tensor2D;
  /** Var(Q) = sum of per-coordinate variances (the L2-UVP denominator). */
  readonly outputVariance: number;
  /** L2-UVP (%) of the best linear (moment-matching) map. */
  readonly linearUvp: number;
  /** Reference points x ~ P and T(x) (float64), when the file has them. */
  readonly reference?: { readonly x: number[][]; readonly Tx: number[][] };
  /** Frees the tensors of the exact map. */
  dispose(): void;
}

interface W2BenchmarkJson {
  name?: string;
  dim: number;
  input: { centers: number[][]; maps: number[][][]; std: number };
  potentials: { strongConvexity: number; activation: string; rank?: number; nets: DenseICNNWeights[] };
  map: { shift: number[]; scale: number };
  outputVariance: number;
  linearUvp: number;
  reference?: { x: number[][]; Tx: number[][] };
}

function bad(path: string, what: string): OTError {
  return new OTError('INVALID_FILE', `${path}: ${what}`, { path });
}

/**
 * Reads a benchmark pair from a JSON file (the format of `shared/benchmarks/w2/*.json`).
 *
 * @throws OTError `INVALID_FILE` when the file is missing or malformed
 * @example
 * ```ts
 * const pair = await loadW2Benchmark('../shared/benchmarks/w2/mix3tomix10-d2.json');
 * const uvp = l2Uvp((x) => psi.push(x), (x) => pair.map(x), (n, s) => pair.sample(n, s), { outputVariance: pair.outputVariance });
 * ```
 */
export async function loadW2Benchmark(path: string): Promise<W2Benchmark> {
  if (typeof path !== 'string' || path.length === 0) throw new OTError('INVALID_ARGUMENT', 'path must be a non-empty string');
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw bad(path, `cannot read the file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(path, `not valid JSON (${(e as Error).message})`);
  }
  return parseW2Benchmark(json, path);
}

/**
 * Builds a benchmark pair from the parsed JSON of a pair file (see {@link loadW2Benchmark}); for
 * browsers, where files are fetched rather than read.
 * @example
 * ```ts
 * const pair = parseW2Benchmark(await (await fetch('mix3tomix10-d2.json')).json());
 * ```
 */
export function parseW2Benchmark(json: unknown, source = 'benchmark'): W2Benchmark {
  const j = json as W2BenchmarkJson;
  if (j === null || typeof j !== 'object') throw bad(source, 'expected a JSON object');
  const d = j.dim;
  if (!Number.isInteger(d) || d < 1) throw bad(source, 'dim must be a positive integer');
  const inp = j.input;
  if (inp === undefined || !Array.isArray(inp.centers) || !Array.isArray(inp.maps) || typeof inp.std !== 'number') {
    throw bad(source, 'input must hold centers, maps and std');
  }
  const k = inp.centers.length;
  if (k === 0 || inp.maps.length !== k) throw bad(source, 'input.centers and input.maps must have the same non-zero length');
  for (let c = 0; c < k; c++) {
    if (!isMatrix(inp.centers[c] !== undefined ? [inp.centers[c]!] : undefined, 1, d) || !isMatrix(inp.maps[c], d, d)) {
      throw bad(source, `input component ${c} must have a center [${d}] and a map [${d}][${d}]`);
    }
  }
  const pot = j.potentials;
  if (pot === undefined || !Array.isArray(pot.nets) || pot.nets.length === 0) throw bad(source, 'potentials.nets must be a non-empty array');
  if (!(ACTIVATIONS as readonly string[]).includes(pot.activation)) throw bad(source, `unknown activation ${pot.activation}`);
  if (j.map === undefined || typeof j.map.scale !== 'number' || !Array.isArray(j.map.shift) || j.map.shift.length !== d) {
    throw bad(source, `map must hold scale and shift [${d}]`);
  }
  if (typeof j.outputVariance !== 'number' || !(j.outputVariance > 0)) throw bad(source, 'outputVariance must be > 0');
  const nets: DenseICNN[] = [];
  try {
    for (const w of pot.nets) {
      const net = DenseICNN.fromStateDict(w, { activation: pot.activation as Activation, strongConvexity: pot.strongConvexity });
      nets.push(net);
      if (net.dim !== d) throw bad(source, `a potential has dimension ${net.dim}, expected ${d}`);
    }
  } catch (e) {
    for (const n of nets) n.dispose();
    throw e instanceof OTError && e.code === 'INVALID_FILE' ? e : bad(source, `bad potential weights: ${(e as Error).message}`);
  }
  const centers = tf.tensor(inp.centers.flat(), [k, d], 'float32');
  // x = std · M_k z + c_k  ⇔  rows: z · (std·M_k)ᵀ + c_k; stacked as [d, k·d]
  const mapsT = tf.tidy(() => {
    const m = tf.tensor(inp.maps.flat(2), [k, d, d], 'float32');
    return tf.reshape(tf.transpose(tf.mul(m, inp.std), [2, 0, 1]), [d, k * d]);
  });
  const shift = tf.tensor(j.map.shift, [1, d], 'float32');
  const scale = j.map.scale;
  let disposed = false;
  const alive = (): void => {
    if (disposed) throw new OTError('DISPOSED', `benchmark ${j.name ?? source} was used after dispose()`);
  };
  const map = (x: tf.Tensor2D): tf.Tensor2D => {
    alive();
    return tf.tidy(() => {
      let s: tf.Tensor = tf.neg(shift);
      for (const net of nets) s = tf.add(s, net.push(x));
      return tf.mul(s, scale) as tf.Tensor2D;
    });
  };
  const sample = (n: number, seed?: Seed): tf.Tensor2D => {
    alive();
    if (!Number.isInteger(n) || n < 1) throw new OTError('INVALID_ARGUMENT', `n must be an integer ≥ 1, got ${n}`);
    const rng = toRng(seed);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = rng.int(k);
    return tf.tidy(() => {
      const z = randomNormal([n, d], rng) as tf.Tensor2D;
      const all = tf.reshape(tf.matMul(z, mapsT), [n, k, d]);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat();
      const picked = tf.sum(tf.mul(all, tf.reshape(onehot, [n, k, 1])), 1);
      return tf.add(picked, tf.matMul(onehot, centers)) as tf.Tensor2D;
    });
  };
  const result: W2Benchmark = {
    name: j.name ?? source,
    dim: d,
    sample,
    map,
    sampleTarget: (n, seed) => {
      const x = sample(n, seed);
      const y = map(x);
      x.dispose();
      return y;
    },
    outputVariance: j.outputVariance,
    linearUvp: typeof j.linearUvp === 'number' ? j.linearUvp : Number.NaN,
    ...(j.reference !== undefined ? { reference: { x: j.reference.x, Tx: j.reference.Tx } } : {}),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const n of nets) n.dispose();
      tf.dispose([centers, mapsT, shift]);
    },
  };
  return result;
}

function isMatrix(v: unknown, rows: number, cols: number): boolean {
  return (
    Array.isArray(v) &&
    v.length === rows &&
    v.every((r) => Array.isArray(r) && r.length === cols && r.every((e) => typeof e === 'number' && Number.isFinite(e)))
  );
}
