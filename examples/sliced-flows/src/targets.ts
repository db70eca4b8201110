/** Toy 2D target distributions, sampled with a seeded generator from `@ot/core`. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@ot/core';

export type TargetName = 'swiss-roll' | '8-gaussians' | 'moons';
export const TARGETS: readonly TargetName[] = ['swiss-roll', '8-gaussians', 'moons'];

/** n samples `[n, 2]` of a target, scaled to roughly [−2.5, 2.5]². */
export function sampleTarget(name: TargetName, n: number, rng: Rng): tf.Tensor2D {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    if (name === 'swiss-roll') {
      const t = 1.5 * Math.PI * (1 + 2 * rng.next());
      x = (t * Math.cos(t)) / 6 + 0.05 * rng.normal();
      y = (t * Math.sin(t)) / 6 + 0.05 * rng.normal();
    } else if (name === '8-gaussians') {
      const a = (2 * Math.PI * rng.int(8)) / 8;
      x = 2 * Math.cos(a) + 0.1 * rng.normal();
      y = 2 * Math.sin(a) + 0.1 * rng.normal();
    } else {
      const upper = rng.next() < 0.5;
      const t = Math.PI * rng.next();
      x = upper ? Math.cos(t) : 1 - Math.cos(t);
      y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      x = 1.6 * (x - 0.5) + 0.05 * rng.normal();
      y = 1.6 * (y - 0.25) + 0.05 * rng.normal();
    }
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return tf.tensor2d(out, [n, 2]);
}
