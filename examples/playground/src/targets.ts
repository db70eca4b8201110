/** Toy 2D target distributions (the usual ones of the generative-modelling literature). */
import { createRng, type Rng } from '@ot/core';

export interface TargetPreset {
  id: string;
  label: string;
  sample(n: number, rng: Rng): Float32Array;
}

function fill(n: number, f: (i: number) => [number, number]): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [x, y] = f(i);
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

export const TARGETS: readonly TargetPreset[] = [
  {
    id: '8gaussians',
    label: '8 Gaussians',
    sample: (n, rng) =>
      fill(n, () => {
        const k = rng.int(8);
        const a = (2 * Math.PI * k) / 8;
        return [1.5 * Math.cos(a) + 0.12 * rng.normal(), 1.5 * Math.sin(a) + 0.12 * rng.normal()];
      }),
  },
  {
    id: 'moons',
    label: 'Two moons',
    sample: (n, rng) =>
      fill(n, () => {
        const t = Math.PI * rng.next();
        const up = rng.next() < 0.5;
        const x = up ? Math.cos(t) : 1 - Math.cos(t);
        const y = up ? Math.sin(t) : 0.5 - Math.sin(t);
        return [1.2 * (x - 0.5) + 0.06 * rng.normal(), 1.2 * (y - 0.25) + 0.06 * rng.normal()];
      }),
  },
  {
    id: 'ring',
    label: 'Ring',
    sample: (n, rng) =>
      fill(n, () => {
        const a = 2 * Math.PI * rng.next();
        const r = 1.4 + 0.08 * rng.normal();
        return [r * Math.cos(a), r * Math.sin(a)];
      }),
  },
  {
    id: 'swissroll',
    label: 'Swiss roll',
    sample: (n, rng) =>
      fill(n, () => {
        const t = 1.5 * Math.PI * (1 + 2 * rng.next());
        return [(t * Math.cos(t)) / 7 + 0.05 * rng.normal(), (t * Math.sin(t)) / 7 + 0.05 * rng.normal()];
      }),
  },
  {
    id: 'checkerboard',
    label: 'Checkerboard',
    sample: (n, rng) =>
      fill(n, () => {
        const x = 4 * rng.next() - 2;
        const y = rng.next() - rng.int(2) * 2 + (Math.floor(x + 2) % 2);
        return [x, y];
      }),
  },
];

/** n points scattered around user-drawn points (each drawn point a small Gaussian bump). */
export function sampleDrawn(points: readonly (readonly [number, number])[], n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return fill(n, () => {
    const p = points[rng.int(points.length)] ?? [0, 0];
    return [p[0] + 0.04 * rng.normal(), p[1] + 0.04 * rng.normal()];
  });
}
