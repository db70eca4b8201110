/**
 * Checkpoint groups of an amortized slicer ψ (`@ot/sliced`), shared by `SlicedTrainer` and
 * `SwaeTrainer`: `slicer` (ψ's variables, `psi0`, `psi1`, ...) and `slicer.adam` (its Adam's step
 * count and moments, `AmortizedSlicer.getOptimizerState`), so a resumed run continues ψ's ascent
 * exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import type { AmortizedSlicer } from '@ot/sliced';
import type { NamedWeight } from '../models/module.js';
import { requireGroup } from './trainer.js';

/** The `slicer` and `slicer.adam` groups of `s`. */
export async function slicerGroups(s: AmortizedSlicer): Promise<Record<string, NamedWeight[]>> {
  return {
    slicer: s.trainableVariables.map((v, i) => ({ name: `psi${i}`, shape: [...v.shape], values: v.dataSync() as Float32Array })),
    'slicer.adam': await s.getOptimizerState(),
  };
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
  const saved = groups['slicer.adam'];
  if (saved !== undefined && saved.length > 0) await s.setOptimizerState(saved);
}
