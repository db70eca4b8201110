/**
 * Backend selection. {@link initBackend} picks the fastest engine available:
 * in Node `tensorflow` (tfjs-node-gpu, then tfjs-node, when installed and loadable), `wasm`
 * (SIMD), then `cpu`; in a browser `webgpu`, `webgl`, `wasm`, `cpu`. `OT_BACKEND` (or the
 * `backend` option) forces one; a forced backend that is unknown or cannot load is an error,
 * never a silent fallback. The kernels `@ot/core` patches for that backend are registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from './errors.js';
import { registerBackendKernels } from './kernels/index.js';

/** Backend names `initBackend` knows. */
export const KNOWN_BACKENDS = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof KNOWN_BACKENDS)[number];

export interface InitBackendOptions {
  /** Force this backend (overrides `OT_BACKEND`). */
  backend?: string;
  /** Directory (or URL prefix) holding the tfjs-backend-wasm `.wasm` files; found automatically in Node. */
  wasmPath?: string;
  /** Do not print the backend banner (tfjs prod mode is enabled either way). */
  quiet?: boolean;
}

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
const loaded = new Map<string, boolean>();

async function importOptional(name: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ name);
    return true;
  } catch {
    return false;
  }
}

async function wasmDirInNode(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return path.dirname(file) + path.sep;
}

/** Loads the module that registers `name` with tfjs; false when it is not installed or fails. */
async function loadBackend(name: BackendName, wasmPath?: string): Promise<boolean> {
  const cached = loaded.get(name);
  if (cached !== undefined && tf.findBackendFactory(name) !== null) return cached;
  // Already registered by the application (e.g. a bundled page that imported the backend
  // package itself): use it. For wasm, still set the path to its binaries when one is given.
  if (tf.findBackendFactory(name) !== null && !(name === 'wasm' && wasmPath !== undefined)) {
    loaded.set(name, true);
    return true;
  }
  let ok = false;
  switch (name) {
    case 'tensorflow':
      ok = isNode && ((await importOptional('@tensorflow/tfjs-node-gpu')) || (await importOptional('@tensorflow/tfjs-node')));
      break;
    case 'wasm': {
      try {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        const dir = wasmPath ?? (isNode ? await wasmDirInNode() : undefined);
        if (dir !== undefined) wasm.setWasmPaths(dir);
        ok = true;
      } catch {
        ok = false;
      }
      break;
    }
    case 'cpu':
      ok = await importOptional('@tensorflow/tfjs-backend-cpu');
      break;
    case 'webgl':
      ok = !isNode && (await importOptional('@tensorflow/tfjs-backend-webgl'));
      break;
    case 'webgpu':
      ok = !isNode && (await importOptional('@tensorflow/tfjs-backend-webgpu'));
      break;
  }
  ok = ok && tf.findBackendFactory(name) !== null;
  loaded.set(name, ok);
  return ok;
}

/** The order in which backends are tried on this platform. */
export function backendPreference(): BackendName[] {
  return isNode ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

async function activate(name: BackendName, wasmPath?: string): Promise<boolean> {
  if (!(await loadBackend(name, wasmPath))) return false;
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch {
    ok = false;
  }
  if (ok) registerBackendKernels(name);
  return ok;
}

/**
 * Selects and initializes the tfjs backend; returns its name. Tries {@link backendPreference}
 * in order unless `options.backend` or the `OT_BACKEND` environment variable forces one.
 *
 * @throws OTError `BACKEND_UNAVAILABLE` when a forced backend is unknown or cannot be loaded,
 *   or when no backend at all can be loaded.
 * @example
 * ```ts
 * import { initBackend } from '@ot/core';
 * const name = await initBackend(); // 'wasm' on a machine without tfjs-node
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<string> {
  if (!tf.env().get('PROD')) tf.enableProdMode();
  const env = isNode ? process.env['OT_BACKEND'] : undefined;
  const forced = options.backend ?? (env !== undefined && env.trim() !== '' ? env.trim() : undefined);
  if (forced !== undefined) {
    if (!(KNOWN_BACKENDS as readonly string[]).includes(forced)) {
      throw new OTError('BACKEND_UNAVAILABLE', `unknown backend '${forced}'; expected one of ${KNOWN_BACKENDS.join(', ')}`, {
        backend: forced,
      });
    }
    if (!(await activate(forced as BackendName, options.wasmPath))) {
      throw new OTError(
        'BACKEND_UNAVAILABLE',
        `backend '${forced}' was requested but could not be loaded (is its package installed for this platform?)`,
        { backend: forced },
      );
    }
    return forced;
  }
  for (const name of backendPreference()) {
    if (await activate(name, options.wasmPath)) {
      if (options.quiet !== true && isNode && process.env['OT_QUIET'] === undefined) {
        process.stderr.write(`@ot/core: using the ${name} backend\n`);
      }
      return name;
    }
  }
  throw new OTError('BACKEND_UNAVAILABLE', `no tfjs backend could be loaded; tried ${backendPreference().join(', ')}`);
}

/** The name of the active backend. */
export function currentBackend(): string {
  return tf.getBackend();
}
