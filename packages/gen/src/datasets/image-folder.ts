/**
 * A folder of PNG images as a dataset: every `.png` file (sorted by name) is decoded with pngjs,
 * converted to RGB or grayscale and resized bilinearly (tfjs `resizeBilinear`) to a common size.
 * JPEG files are not decoded (no JPEG decoder is a dependency): convert them to PNG first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { OTError, checkInteger } from '@ot/core';
import { ArrayDataset } from './dataset.js';
import { checkDirectory } from './files.js';

export interface ImageFolderOptions {
  /** Output size `[h, w]` (default `[32, 32]`). */
  size?: readonly [number, number];
  /** Channels: 3 (RGB, default) or 1 (grayscale, ITU-R 601 luma). */
  channels?: 1 | 3;
  /** Keep only the first `limit` files. */
  limit?: number;
}

/** Decodes PNG bytes into `[h, w, channels]` floats in [0, 1]. */
export function decodePng(bytes: Uint8Array, name: string, channels: 1 | 3): { data: Float32Array; height: number; width: number } {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (e) {
    throw new OTError('INVALID_FILE', `'${name}' is not a readable PNG: ${(e as Error).message}`, { path: name });
  }
  const { width, height, data } = png;
  const out = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const a = (data[4 * p + 3] as number) / 255;
    // Composite on black, as most loaders do for RGBA.
    const r = ((data[4 * p] as number) / 255) * a;
    const g = ((data[4 * p + 1] as number) / 255) * a;
    const b = ((data[4 * p + 2] as number) / 255) * a;
    if (channels === 3) {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    } else {
      out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    }
  }
  return { data: out, height, width };
}

/**
 * Loads every PNG in `dir` as a dataset of `[h, w, channels]` images in [0, 1].
 *
 * @throws OTError `INVALID_FILE` when `dir` is missing, holds no PNG, or a file does not decode
 * @example
 * ```ts
 * const faces = loadImageFolder('./faces', { size: [32, 32] });
 * ```
 */
export function loadImageFolder(dir: string, options: ImageFolderOptions = {}): ArrayDataset {
  checkDirectory(dir);
  const [h, w] = options.size ?? [32, 32];
  checkInteger(h, 'size[0]');
  checkInteger(w, 'size[1]');
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new OTError('INVALID_ARGUMENT', `channels must be 1 or 3, got ${String(channels)}`);
  let files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
  if (options.limit !== undefined) files = files.slice(0, checkInteger(options.limit, 'limit'));
  if (files.length === 0) throw new OTError('INVALID_FILE', `'${dir}' holds no .png files`, { path: dir });
  const size = h * w * channels;
  const all = new Float32Array(files.length * size);
  files.forEach((f, i) => {
    const path = join(dir, f);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new OTError('INVALID_FILE', `cannot read '${path}': ${(e as Error).message}`, { path });
    }
    const img = decodePng(bytes, path, channels);
    if (img.height === h && img.width === w) {
      all.set(img.data, i * size);
    } else {
      const resized = tf.tidy(() =>
        tf.clipByValue(tf.image.resizeBilinear(tf.tensor3d(img.data, [img.height, img.width, channels]), [h, w], true), 0, 1),
      );
      all.set(resized.dataSync() as Float32Array, i * size);
      resized.dispose();
    }
  });
  return new ArrayDataset(`images:${dir}`, all, [h, w, channels]);
}
