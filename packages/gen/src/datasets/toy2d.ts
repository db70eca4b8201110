/**
 * Toy 2D distributions used across the OT-generative literature: 8 and 25 Gaussians (Gulrajani et
 * al., *Improved training of Wasserstein GANs*, 2017), swiss roll, moons and checkerboard
 * (Grathwohl et al., *FFJORD*, 2019, whose sampler constants we follow), and square grids of
 * 49 / 100 Gaussians (mode-collapse benchmarks). All are infinite samplers: draws are i.i.d. from a
 * seeded generator, so the same seed gives the same points on every backend.
 */
import { OTError, type Rng } from '@ot/core';
import { SamplerDataset } from './dataset.js';

/** Names accepted by {@link toyDataset}. */
export const TOY_DATASETS = ['8gaussians', '25gaussians', 'swissroll', 'moons', 'checkerboard', '49gaussians', '100gaussians'] as const;
export type ToyName = (typeof TOY_DATASETS)[number];

type Draw = (rng: Rng) => [number, number];

function gaussianMixture(centers: Array<[number, number]>, std: number, scale: number): Draw {
  return (rng) => {
    const c = centers[rng.int(centers.length)] as [number, number];
    return [(c[0] + std * rng.normal()) * scale, (c[1] + std * rng.normal()) * scale];
  };
}

function grid(k: number, half: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      out.push([-half + (2 * half * i) / (k - 1), -half + (2 * half * j) / (k - 1)]);
    }
  }
  return out;
}

const s = Math.SQRT1_2;
const DRAWS: Record<ToyName, Draw> = {
  // FFJORD: centers of radius 4 at multiples of 45°, noise 0.5, the whole scaled by 1/√2.
  '8gaussians': gaussianMixture(
    [[1, 0], [-1, 0], [0, 1], [0, -1], [s, s], [s, -s], [-s, s], [-s, -s]].map(([x, y]) => [4 * (x as number), 4 * (y as number)] as [number, number]),
    0.5,
    Math.SQRT1_2,
  ),
  // WGAN-GP: a 5×5 grid of spacing 2 (centers −4..4), noise 0.05·2 before the 1/2.828 scaling.
  '25gaussians': gaussianMixture(grid(5, 4), 0.1, 1 / 2.828),
  swissroll: (rng) => {
    // sklearn make_swiss_roll(noise = 1) keeping (x, z), divided by 5 (FFJORD).
    const t = 1.5 * Math.PI * (1 + 2 * rng.next());
    return [(t * Math.cos(t) + rng.normal()) / 5, (t * Math.sin(t) + rng.normal()) / 5];
  },
  moons: (rng) => {
    // sklearn make_moons(noise = 0.1), centred and scaled by 2.
    const t = Math.PI * rng.next();
    const upper = rng.next() < 0.5;
    const x = upper ? Math.cos(t) : 1 - Math.cos(t);
    const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    return [2 * (x + 0.1 * rng.normal() - 0.5), 2 * (y + 0.1 * rng.normal() - 0.25)];
  },
  checkerboard: (rng) => {
    // FFJORD: x1 ∈ U[−2, 2), x2 in the alternating unit squares, the whole scaled by 2.
    const x1 = 4 * rng.next() - 2;
    const x2 = rng.next() - 2 * rng.int(2) + (Math.floor(x1) & 1);
    return [2 * x1, 2 * x2];
  },
  '49gaussians': gaussianMixture(grid(7, 3), 0.05, 1),
  '100gaussians': gaussianMixture(grid(10, 3), 0.04, 1),
};

/**
 * An infinite sampler of a toy 2D distribution.
 *
 * @param name - one of {@link TOY_DATASETS}
 * @returns a dataset of `[2]` samples
 * @throws OTError `INVALID_ARGUMENT` for an unknown name
 * @example
 * ```ts
 * const ds = toyDataset('8gaussians');
 * const x = ds.sample(256, 0); // [256, 2]
 * ```
 */
export function toyDataset(name: string): SamplerDataset {
  if (!(TOY_DATASETS as readonly string[]).includes(name)) {
    throw new OTError('INVALID_ARGUMENT', `unknown toy dataset '${name}'; expected one of ${TOY_DATASETS.join(', ')}`);
  }
  const draw = DRAWS[name as ToyName];
  return new SamplerDataset(`toy:${name}`, [2], (b, rng) => {
    const out = new Float32Array(2 * b);
    for (let i = 0; i < b; i++) {
      const [x, y] = draw(rng);
      out[2 * i] = x;
      out[2 * i + 1] = y;
    }
    return out;
  });
}
