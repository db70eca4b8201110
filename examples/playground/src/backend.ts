/**
 * Backend choice for the page. The backends are imported statically so the bundler ships them;
 * `initBackend` from `@ot/core` then activates the best one the browser supports
 * (webgl, then wasm, then cpu) and registers the kernels `@ot/core` patches for it.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
// @ot/core registers tfjs's gradients in a side-effect import of its index; bundlers skip a
// barrel index its package.json does not list under `sideEffects`, dropping them. Registering
// them here too is idempotent and keeps the page working whatever @ot/core declares.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, registerBackendKernels } from '@ot/core';

/** The order the page tries; `?backend=wasm` (or cpu, webgl) in the URL forces one. */
export const PAGE_BACKENDS = ['webgl', 'wasm', 'cpu'] as const;

async function activate(name: string, wasmPath: string): Promise<boolean> {
  try {
    await initBackend({ backend: name, wasmPath, quiet: true });
    return true;
  } catch {
    // initBackend loads a backend by importing its package by name, which a bundled page cannot
    // do for webgl / cpu; they are registered by the static imports above, so activate directly.
    if (tf.findBackendFactory(name) === null) return false;
    try {
      if (!(await tf.setBackend(name))) return false;
      await tf.ready();
      registerBackendKernels(name);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The WebGL renderer string when WebGL is rasterized in software (SwiftShader, llvmpipe): tfjs
 * on such a context is slower than wasm, so the page prefers wasm unless webgl is forced.
 */
export function softwareWebgl(): string | null {
  try {
    const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (gl === null) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
    return /swiftshader|llvmpipe|software|softpipe/i.test(renderer) ? renderer : null;
  } catch {
    return null;
  }
}

export interface BackendChoice {
  name: string;
  /** Why a faster-looking backend was passed over, if one was. */
  note: string;
}

/** Activates the first working backend (or the forced one) and returns its name. */
export async function pickBackend(forced: string | null): Promise<BackendChoice> {
  if (!tf.env().get('PROD')) tf.enableProdMode();
  const wasmPath = new URL('tfjs-wasm/', document.baseURI).href;
  const isForced = forced !== null && forced !== '';
  let order: string[] = isForced ? [forced] : [...PAGE_BACKENDS];
  let note = '';
  const soft = isForced ? null : softwareWebgl();
  if (soft !== null) {
    order = order.filter((b) => b !== 'webgl');
    note = `webgl skipped: software renderer (${soft.slice(0, 40)})`;
  }
  for (const name of order) {
    if (await activate(name, wasmPath)) {
      if (name === 'webgl') {
        // A smoke op: some headless browsers expose a WebGL context that fails on first use.
        try {
          const probe = tf.tidy(() => tf.sum(tf.square(tf.tensor1d([1, 2, 3]))));
          const v = (await probe.data())[0];
          probe.dispose();
          if (v !== 14) continue;
        } catch {
          continue;
        }
      }
      return { name, note };
    }
  }
  throw new Error(`no tfjs backend could be started (tried ${order.join(', ')})`);
}
