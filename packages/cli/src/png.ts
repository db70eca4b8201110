/**
 * PNG output of the CLI: sample grids (images in [0, 1], or 2D point clouds as scatter plots) and
 * loss curves, drawn into pngjs buffers by a tiny rasterizer (Bresenham lines, 5×7 bitmap digits).
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export type RGB = readonly [number, number, number];

/** A white RGB canvas with helpers to plot pixels and lines. */
export class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB = [255, 255, 255],
  ) {
    this.png = new PNG({ width, height });
    for (let i = 0; i < width * height; i++) {
      this.png.data[4 * i] = background[0];
      this.png.data[4 * i + 1] = background[1];
      this.png.data[4 * i + 2] = background[2];
      this.png.data[4 * i + 3] = 255;
    }
  }

  set(x: number, y: number, c: RGB): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const o = 4 * (yi * this.width + xi);
    this.png.data[o] = c[0];
    this.png.data[o + 1] = c[1];
    this.png.data[o + 2] = c[2];
  }

  /** Bresenham line between two points, `thick` pixels wide. */
  line(x0: number, y0: number, x1: number, y1: number, c: RGB, thick = 1): void {
    let xa = Math.round(x0);
    let ya = Math.round(y0);
    const xb = Math.round(x1);
    const yb = Math.round(y1);
    const dx = Math.abs(xb - xa);
    const dy = -Math.abs(yb - ya);
    const sx = xa < xb ? 1 : -1;
    const sy = ya < yb ? 1 : -1;
    let err = dx + dy;
    const r = Math.floor((thick - 1) / 2);
    for (;;) {
      for (let i = -r; i <= r + ((thick - 1) % 2); i++) for (let j = -r; j <= r + ((thick - 1) % 2); j++) this.set(xa + i, ya + j, c);
      if (xa === xb && ya === yb) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        xa += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ya += sy;
      }
    }
  }

  /** Text in a 5×7 bitmap font (digits, a few letters and symbols), scale `s`. */
  text(x: number, y: number, s: string, c: RGB, scale = 1): void {
    let cx = x;
    for (const ch of s) {
      const g = GLYPHS[ch] ?? GLYPHS['?'];
      if (g !== undefined) {
        g.forEach((row, ry) => {
          for (let rx = 0; rx < 5; rx++) {
            if ((row >> (4 - rx)) & 1) {
              for (let i = 0; i < scale; i++) for (let j = 0; j < scale; j++) this.set(cx + rx * scale + i, y + ry * scale + j, c);
            }
          }
        });
      }
      cx += 6 * scale;
    }
  }

  toBuffer(): Buffer {
    return PNG.sync.write(this.png);
  }

  save(path: string): void {
    writeFileSync(path, this.toBuffer());
  }
}

// 5×7 glyphs, one number per row (5 bits).
const GLYPHS: Record<string, number[]> = {
  '0': [14, 17, 19, 21, 25, 17, 14],
  '1': [4, 12, 4, 4, 4, 4, 14],
  '2': [14, 17, 1, 2, 4, 8, 31],
  '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2],
  '5': [31, 16, 30, 1, 1, 17, 14],
  '6': [6, 8, 16, 30, 17, 17, 14],
  '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14],
  '9': [14, 17, 17, 15, 1, 2, 12],
  '.': [0, 0, 0, 0, 0, 12, 12],
  '-': [0, 0, 0, 31, 0, 0, 0],
  'e': [0, 0, 14, 17, 31, 16, 14],
  ' ': [0, 0, 0, 0, 0, 0, 0],
  ':': [0, 12, 12, 0, 12, 12, 0],
  '=': [0, 0, 31, 0, 31, 0, 0],
  '?': [14, 17, 1, 2, 4, 0, 4],
  's': [0, 0, 14, 16, 14, 1, 30],
  't': [8, 8, 28, 8, 8, 9, 6],
  'p': [0, 0, 30, 17, 30, 16, 16],
  'l': [12, 4, 4, 4, 4, 4, 14],
  'o': [0, 0, 14, 17, 17, 17, 14],
  'g': [0, 0, 15, 17, 15, 1, 14],
};

/**
 * A grid of images `[n, h, w, c]` (values in [0, 1], c = 1 or 3) as a PNG buffer, `cols` per row,
 * 2-pixel gaps.
 */
export function imageGrid(values: Float32Array | Uint8Array, shape: readonly [number, number, number, number], cols?: number, pad = 2): Buffer {
  const [n, h, w, c] = shape;
  const nc = cols ?? Math.ceil(Math.sqrt(n));
  const nr = Math.ceil(n / nc);
  const canvas = new Canvas(nc * (w + pad) + pad, nr * (h + pad) + pad, [40, 40, 40]);
  const scale = values instanceof Uint8Array ? 1 / 255 : 1;
  for (let i = 0; i < n; i++) {
    const ox = pad + (i % nc) * (w + pad);
    const oy = pad + Math.floor(i / nc) * (h + pad);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const base = ((i * h + y) * w + x) * c;
        const px = (k: number) => Math.max(0, Math.min(255, Math.round((values[base + k] as number) * scale * 255)));
        const r = px(0);
        canvas.set(ox + x, oy + y, c === 1 ? [r, r, r] : [r, px(1), px(2)]);
      }
    }
  }
  return canvas.toBuffer();
}

/** A scatter plot of 2D points (generated in blue over real in grey) as a PNG buffer. */
export function scatterPlot(fake: Float32Array, real: Float32Array | undefined, size = 400): Buffer {
  const canvas = new Canvas(size, size);
  const all = real === undefined ? fake : Float32Array.from([...fake, ...real]);
  let lim = 1e-6;
  for (const v of all) if (Number.isFinite(v)) lim = Math.max(lim, Math.abs(v));
  lim *= 1.05;
  const map = (v: number) => ((v + lim) / (2 * lim)) * (size - 1);
  const plot = (pts: Float32Array, c: RGB) => {
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const x = map(pts[i] as number);
      const y = size - 1 - map(pts[i + 1] as number);
      canvas.set(x, y, c);
      canvas.set(x + 1, y, c);
      canvas.set(x, y + 1, c);
      canvas.set(x + 1, y + 1, c);
    }
  };
  if (real !== undefined) plot(real, [170, 170, 170]);
  plot(fake, [30, 80, 200]);
  return canvas.toBuffer();
}

const COLORS: RGB[] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [255, 127, 14],
  [148, 103, 189],
];

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 0.01 && a < 10000) return String(Number(v.toPrecision(3)));
  return v.toExponential(1);
}

/**
 * Loss curves: one polyline per series over steps, with axes and tick labels (min / max of each
 * axis). Series with non-finite values skip those points.
 */
export function lossCurve(series: Record<string, Array<[number, number]>>, width = 640, height = 400): Buffer {
  const canvas = new Canvas(width, height);
  const left = 60;
  const bottom = height - 30;
  const right = width - 10;
  const top = 10;
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const pts of Object.values(series)) {
    for (const [x, y] of pts) {
      if (!Number.isFinite(y)) continue;
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      ymin = Math.min(ymin, y);
      ymax = Math.max(ymax, y);
    }
  }
  if (!Number.isFinite(xmin)) {
    xmin = 0;
    xmax = 1;
    ymin = 0;
    ymax = 1;
  }
  if (xmax === xmin) xmax = xmin + 1;
  if (ymax === ymin) ymax = ymin + 1;
  const px = (x: number) => left + ((x - xmin) / (xmax - xmin)) * (right - left);
  const py = (y: number) => bottom - ((y - ymin) / (ymax - ymin)) * (bottom - top);
  const axis: RGB = [0, 0, 0];
  canvas.line(left, top, left, bottom, axis);
  canvas.line(left, bottom, right, bottom, axis);
  canvas.text(2, top, fmt(ymax), axis);
  canvas.text(2, bottom - 7, fmt(ymin), axis);
  canvas.text(left, bottom + 8, fmt(xmin), axis);
  const xl = fmt(xmax);
  canvas.text(right - 6 * xl.length, bottom + 8, xl, axis);
  canvas.text(Math.floor((left + right) / 2) - 12, bottom + 18, 'step', axis);
  Object.entries(series).forEach(([, pts], k) => {
    const c = COLORS[k % COLORS.length] as RGB;
    let prev: [number, number] | undefined;
    for (const [x, y] of pts) {
      if (!Number.isFinite(y)) {
        prev = undefined;
        continue;
      }
      const p: [number, number] = [px(x), py(y)];
      if (prev !== undefined) canvas.line(prev[0], prev[1], p[0], p[1], c, 2);
      else canvas.set(p[0], p[1], c);
      prev = p;
    }
  });
  return canvas.toBuffer();
}
