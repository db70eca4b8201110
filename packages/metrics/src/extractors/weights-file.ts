/**
 * The weights file format shared by the bundled extractors: a TF.js weights manifest.
 *
 * A model is two files, `<name>.json` and the binary it names (`<name>.bin`):
 *
 * ```json
 * { "format": "ot-weights", "model": "fid-inception-v3", "version": 1,
 *   "weightsManifest": [{ "paths": ["<name>.bin"],
 *                         "weights": [{ "name": "Conv2d_1a_3x3/kernel", "shape": [3, 3, 3, 32], "dtype": "float32" }, …] }] }
 * ```
 *
 * The binary is the concatenation of the weights in manifest order, little-endian float32, exactly
 * as `tf.io.encodeWeights` writes it (this is the `weightsManifest` of a TF.js `model.json`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';

/** Contents of a weights `.json` file. */
export interface WeightsFile {
  readonly format: 'ot-weights';
  readonly model: string;
  readonly version: number;
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  readonly [extra: string]: unknown;
}

/** Resolves `path` to a weights `.json` file: a `.json` path as is, a directory + `model.json`. */
async function resolveJson(path: string): Promise<string> {
  const { stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new OTError('INVALID_FILE', `no weights file or directory at ${path}`, { path });
  }
  return st.isDirectory() ? join(path, 'model.json') : path;
}

/**
 * Writes `tensors` (name → tensor, in insertion order) as `<json>` + `<json minus .json>.bin`,
 * or `model.json` + `weights.bin` when `path` is a directory path (no `.json` suffix).
 * Returns the path of the `.json` file.
 */
export async function saveWeightsFile(path: string, model: string, tensors: Record<string, tf.Tensor>, extra: Record<string, unknown> = {}): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  let jsonPath: string;
  let binName: string;
  if (path.endsWith('.json')) {
    jsonPath = path;
    binName = basename(path, '.json') + '.bin';
  } else {
    jsonPath = join(path, 'model.json');
    binName = 'weights.bin';
  }
  await mkdir(dirname(jsonPath), { recursive: true });
  const named = Object.entries(tensors).map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const file: WeightsFile = { format: 'ot-weights', model, version: 1, ...extra, weightsManifest: [{ paths: [binName], weights: specs }] };
  await writeFile(join(dirname(jsonPath), binName), new Uint8Array(data));
  await writeFile(jsonPath, JSON.stringify(file, null, 1) + '\n');
  return jsonPath;
}

/**
 * Reads a weights file written by {@link saveWeightsFile} (or any TF.js `model.json` whose
 * `weightsManifest` names the weights) and returns name → tensor (the caller owns them).
 *
 * @param path a `.json` file or a directory holding `model.json`
 * @param model the expected `model` field (checked when the file has one)
 */
export async function loadWeightsFile(path: string, model: string): Promise<{ file: WeightsFile; weights: Record<string, tf.Tensor> }> {
  const { readFile } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const jsonPath = await resolveJson(path);
  let file: WeightsFile;
  try {
    file = JSON.parse(await readFile(jsonPath, 'utf8')) as WeightsFile;
  } catch (e) {
    throw new OTError('INVALID_FILE', `cannot read weights manifest ${jsonPath}: ${(e as Error).message}`, { path: jsonPath });
  }
  if (!Array.isArray(file.weightsManifest)) {
    throw new OTError('INVALID_FILE', `${jsonPath} has no weightsManifest array (expected a TF.js weights manifest)`, { path: jsonPath });
  }
  if (file.model !== undefined && file.model !== model) {
    throw new OTError('INVALID_FILE', `${jsonPath} holds a '${String(file.model)}' model, expected '${model}'`, { path: jsonPath });
  }
  const weights: Record<string, tf.Tensor> = {};
  for (const group of file.weightsManifest) {
    const parts: Uint8Array[] = [];
    for (const p of group.paths) {
      try {
        parts.push(new Uint8Array(await readFile(join(dirname(jsonPath), p))));
      } catch (e) {
        throw new OTError('INVALID_FILE', `cannot read weights shard ${p}: ${(e as Error).message}`, { path: p });
      }
    }
    const total = parts.reduce((s, b) => s + b.length, 0);
    const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (total !== expected) {
      throw new OTError('INVALID_FILE', `weights shards of ${jsonPath} hold ${total} bytes, the manifest describes ${expected}`, { path: jsonPath });
    }
    const buf = new Uint8Array(total);
    let off = 0;
    for (const b of parts) {
      buf.set(b, off);
      off += b.length;
    }
    Object.assign(weights, tf.io.decodeWeights(buf.buffer, group.weights));
  }
  return { file, weights };
}

/** Returns `weights[name]` checked against `shape`, or throws `INVALID_FILE`. */
export function takeWeight(weights: Record<string, tf.Tensor>, name: string, shape: readonly number[]): tf.Tensor {
  const w = weights[name];
  if (w === undefined) throw new OTError('INVALID_FILE', `the weights file has no '${name}'`, { name });
  if (w.shape.length !== shape.length || w.shape.some((s, i) => s !== shape[i])) {
    throw new OTError('INVALID_FILE', `weight '${name}' has shape [${w.shape}], expected [${shape}]`, { name, shape: w.shape });
  }
  if (w.dtype !== 'float32') throw new OTError('INVALID_FILE', `weight '${name}' must be float32, got ${w.dtype}`, { name });
  return w;
}
