/**
 * Checkpoint groups of an amortized slicer ψ (`@ot/sliced`), shared by `SlicedTrainer` and
 * `SwaeTrainer`: `slicer` (ψ's variables, `psi0`, `psi1`, ...) and `slicer.adam` (the moments of
 * its own tfjs optimizer, `w0`, `w1`, ...), so a resumed run continues ψ's ascent exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import type { AmortizedSlicer } from '@ot/sliced';
import type { NamedWeight } from '../models/module.js';
import { requireGroup } from './trainer.js';

/** The `slicer` and (when it has one) `slicer.adam` groups of `s`. */
export async function slicerGroups(s: AmortizedSlicer): Promise<Record<string, NamedWeight[]>> {
  const g: Record<string, NamedWeight[]> = {
    slicer: s.trainableVariables.map((v, i) => ({ name: `psi${i}`, shape: [...v.shape], values: v.dataSync() as Float32Array })),
  };
  const opt = slicerOptimizer(s);
  if (opt !== undefined) {
    const ws = await opt.getWeights();
    g['slicer.adam'] = ws.map((w, i) => ({ name: `w${i}`, shape: [...w.tensor.shape], values: Float32Array.from(w.tensor.dataSync()) }));
  }
  return g;
}

/**
 * Restores the groups of {@link slicerGroups} into `s` (`slicer.adam` when present).
 *
 * @throws OTError `INVALID_ARGUMENT` without `slicer`; `SHAPE_MISMATCH` when a parameter is missing or of another size
 */
export async function restoreSlicer(s: AmortizedSlicer, groups: Record<string, NamedWeight[]>): Promise<void> {
  const psi = requireGroup(groups, 'slicer');
  s.trainableVariables.forEach((v, i) => {
    const w = psi[i];
    if (w === undefined || w.values.length !== v.size) throw new OTError('SHAPE_MISMATCH', `slicer parameter ${i} is missing or has the wrong size`);
    tf.tidy(() => v.assign(tf.tensor(w.values, [...v.shape], 'float32')));
  });
  const opt = slicerOptimizer(s);
  const saved = groups['slicer.adam'];
  if (opt !== undefined && saved !== undefined && saved.length > 0) {
    const names = (await opt.getWeights()).map((w) => w.name);
    const tensors = saved.map((w, i) => ({ name: names[i] ?? `w${i}`, tensor: tf.tensor(w.values, [...w.shape], 'float32') }));
    await opt.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
  }
}

/**
 * The tfjs optimizer inside an amortized slicer (its moments are part of the training state).
 * `@ot/sliced` keeps it private; read it structurally so checkpoints restore ψ's Adam exactly.
 */
function slicerOptimizer(s: AmortizedSlicer): tf.Optimizer | undefined {
  const opt = (s as unknown as { optimizer?: tf.Optimizer }).optimizer;
  return opt !== undefined && typeof opt.getWeights === 'function' ? opt : undefined;
}
