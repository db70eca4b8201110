/**
 * PNG I/O (pngjs) and two procedurally generated input images, so the example runs offline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** An RGB image with values in [0, 1], row-major, 3 floats per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

export function readPng(path: string): RgbImage {
  const png = PNG.sync.read(readFileSync(path));
  const data = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = (png.data[i * 4 + c] as number) / 255;
  }
  return { width: png.width, height: png.height, data };
}

export function writePng(path: string, img: RgbImage): void {
  const png = new PNG({ width: img.width, height: img.height });
  for (let i = 0; i < img.width * img.height; i++) {
    for (let c = 0; c < 3; c++) png.data[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, img.data[i * 3 + c] as number)));
    png.data[i * 4 + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png));
}

function make(size: number, pixel: (u: number, v: number) => [number, number, number]): RgbImage {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const rgb = pixel(x / (size - 1), y / (size - 1));
      data.set(rgb, (y * size + x) * 3);
    }
  }
  return { width: size, height: size, data };
}

/** A "sunset": warm sky gradient, a yellow sun, dark purple hills. */
export function sunset(size: number): RgbImage {
  return make(size, (u, v) => {
    const hill = 0.7 + 0.08 * Math.sin(6 * u) + 0.05 * Math.sin(17 * u + 1);
    if (v > hill) return [0.18 + 0.1 * u, 0.08, 0.22 + 0.1 * (v - hill)];
    const sun = Math.hypot(u - 0.65, v - 0.45) < 0.12;
    if (sun) return [1, 0.9, 0.45];
    return [0.95 - 0.3 * v * u, 0.35 + 0.4 * v, 0.25 + 0.35 * (1 - v)];
  });
}

/** A "lagoon": blue-green water with ripples, sand and a green island. */
export function lagoon(size: number): RgbImage {
  return make(size, (u, v) => {
    if (v > 0.8 - 0.05 * Math.sin(9 * u)) return [0.86, 0.8, 0.6 + 0.1 * u];
    if (Math.hypot((u - 0.3) * 1.6, v - 0.45) < 0.15) return [0.15, 0.5 + 0.2 * v, 0.2];
    const ripple = 0.06 * Math.sin(40 * v + 6 * u);
    return [0.05 + 0.1 * v, 0.45 + 0.25 * v + ripple, 0.6 + 0.2 * (1 - v) + ripple];
  });
}
