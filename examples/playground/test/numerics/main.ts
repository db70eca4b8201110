/**
 * Test page (not shipped with the playground): starts the backend named by `?backend=` with the
 * playground's own backend code and exposes tfjs and the `@ot` packages as `window.ot`, so that
 * `numerics.test.ts` can run the packages' reference fixtures in the browser, on tfjs-webgl in
 * particular (Node has no WebGL).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as core from '@ot/core';
import * as icnn from '@ot/icnn';
import * as metrics from '@ot/metrics';
import * as semidual from '@ot/semidual';
import * as sliced from '@ot/sliced';
import { pickBackend } from '../../src/backend.js';

declare global {
  interface Window {
    ot?: { tf: typeof tf; core: typeof core; sliced: typeof sliced; semidual: typeof semidual; icnn: typeof icnn; metrics: typeof metrics; backend: string; error?: string };
  }
}

const forced = new URLSearchParams(location.search).get('backend');
try {
  const { name } = await pickBackend(forced);
  // tfjs-webgl runs small element-wise ops on the CPU (WEBGL_CPU_FORWARD) when their inputs are
  // already there; off here, so that the fixtures' small tensors go through the shaders too.
  if (name === 'webgl') tf.env().set('WEBGL_CPU_FORWARD', false);
  window.ot = { tf, core, sliced, semidual, icnn, metrics, backend: name };
} catch (e) {
  window.ot = { tf, core, sliced, semidual, icnn, metrics, backend: '', error: e instanceof Error ? e.message : String(e) };
}
document.body.dataset['ready'] = '1';
