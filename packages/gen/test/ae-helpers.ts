import { createRng } from '@ot/core';
import { ArrayDataset } from '../src/index.js';

/**
 * 256 deterministic 8×8 grayscale images in [0, 1]: a horizontal and a vertical bar at random
 * positions with random intensities (4 latent factors), plus a little noise.
 */
export function bars8(n = 256, seed = 5): ArrayDataset {
  const rng = createRng(seed);
  const data = new Float32Array(n * 64);
  for (let k = 0; k < n; k++) {
    const r = rng.int(8);
    const c = rng.int(8);
    const a = 0.4 + 0.6 * rng.next();
    const b = 0.4 + 0.6 * rng.next();
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const v = (i === r ? a : 0) + (j === c ? b : 0) + 0.05 * rng.next();
        data[k * 64 + i * 8 + j] = Math.min(1, v);
      }
    }
  }
  return new ArrayDataset('bars8', data, [8, 8, 1]);
}
