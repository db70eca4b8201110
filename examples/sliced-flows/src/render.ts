/** Scatter plots of 2D point clouds as PNG files (pngjs). */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface Layer {
  points: Float32Array | number[];
  color: [number, number, number];
  radius: number;
}

/** Draws the layers (in order) on a white `size`×`size` canvas over [−lim, lim]² and writes a PNG. */
export function writeScatterPng(path: string, layers: Layer[], size = 320, lim = 3): void {
  const png = new PNG({ width: size, height: size });
  png.data.fill(255);
  for (const { points, color, radius } of layers) {
    for (let i = 0; i + 1 < points.length; i += 2) {
      const px = Math.round((((points[i] as number) + lim) / (2 * lim)) * (size - 1));
      const py = Math.round(((lim - (points[i + 1] as number)) / (2 * lim)) * (size - 1));
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const x = px + dx;
          const y = py + dy;
          if (x < 0 || y < 0 || x >= size || y >= size || dx * dx + dy * dy > radius * radius) continue;
          const o = 4 * (y * size + x);
          png.data[o] = color[0];
          png.data[o + 1] = color[1];
          png.data[o + 2] = color[2];
          png.data[o + 3] = 255;
        }
      }
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}
