/**
 * Side-effect module: registers tfjs-core's gradients and chained tensor methods, which the
 * `@tensorflow/tfjs` umbrella package registers but `@tensorflow/tfjs-core` alone does not.
 * Without it, `tf.grad` fails ("gradient function not found") for users who install only
 * tfjs-core and a backend. Registration is idempotent.
 *
 * tfjs-core ships these registration modules as extensionless ESM that plain Node cannot load,
 * so the build bundles this file with esbuild (as the `@tensorflow/tfjs` umbrella bundles them);
 * the registries it writes to are tfjs's process-wide globals, shared with the user's tfjs-core.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
