#!/usr/bin/env node
/**
 * `ot-fid`: FID between two folders of PNG images or statistics files, like
 * `python -m pytorch_fid a b`.
 *
 *   ot-fid <a> <b> [--extractor mnist|inception:<dir>] [--batch-size 50] [--backend wasm|cpu|…]
 *   ot-fid --save-stats <folder> <out.npz|out.json> [--extractor …]
 *
 * `<a>` and `<b>` are folders of `.png` files (non-recursive, sorted by name; images of one size
 * per batch) or `.npz` / `.json` statistics (pytorch-fid's `.npz` files load, but only with the
 * matching extractor: pytorch-fid statistics are Inception pool3 statistics).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { OTError, initBackend } from '@ot/core';
import { computeStatistics } from '../fid.js';
import { frechetDistance } from '../frechet-distance.js';
import { loadStatistics, saveStatistics } from '../statistics-file.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { InceptionV3Extractor } from '../extractors/inception-v3.js';
import { MnistExtractor } from '../extractors/mnist-extractor.js';
import type { GaussianStatistics } from '../statistics.js';

const USAGE = `usage: ot-fid <a> <b> [--extractor mnist|inception:<dir>] [--batch-size 50] [--backend wasm] [--max-images N] [--json]
       ot-fid --save-stats <folder> <out.npz|out.json> [--extractor ...]
<a>, <b>: folders of .png images or .npz/.json statistics files`;

/** Batches of the PNGs of `dir` (sorted by name), `[b, h, w, 3]` in [0, 1]; a batch ends when the size changes. */
async function* pngFolder(dir: string, batchSize: number): AsyncGenerator<tf.Tensor4D> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.png')).sort();
  if (files.length === 0) throw new OTError('INVALID_FILE', `no .png files in ${dir}`);
  let pending: Float32Array[] = [];
  let size: [number, number] | undefined;
  const flush = (): tf.Tensor4D => {
    const [h, w] = size!;
    const buf = new Float32Array(pending.length * h * w * 3);
    pending.forEach((p, i) => buf.set(p, i * h * w * 3));
    const t = tf.tensor4d(buf, [pending.length, h, w, 3]);
    pending = [];
    return t;
  };
  for (const f of files) {
    let png: PNG;
    try {
      png = PNG.sync.read(await readFile(join(dir, f)));
    } catch (e) {
      throw new OTError('INVALID_FILE', `cannot decode ${join(dir, f)}: ${(e as Error).message}`);
    }
    const { width: w, height: h, data } = png;
    if (size !== undefined && (size[0] !== h || size[1] !== w) && pending.length > 0) yield flush();
    size = [h, w];
    const px = new Float32Array(h * w * 3);
    for (let i = 0; i < h * w; i++) {
      px[3 * i] = data[4 * i]! / 255;
      px[3 * i + 1] = data[4 * i + 1]! / 255;
      px[3 * i + 2] = data[4 * i + 2]! / 255;
    }
    pending.push(px);
    if (pending.length === batchSize) yield flush();
  }
  if (pending.length > 0) yield flush();
}

async function loadExtractor(spec: string): Promise<FeatureExtractor> {
  if (spec === 'mnist') return MnistExtractor.load();
  if (spec.startsWith('inception:')) return InceptionV3Extractor.load(spec.slice('inception:'.length));
  throw new OTError('INVALID_ARGUMENT', `--extractor must be 'mnist' or 'inception:<dir>', got '${spec}'`);
}

function isStatsFile(p: string): boolean {
  return p.endsWith('.npz') || p.endsWith('.json');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      extractor: { type: 'string', default: 'mnist' },
      'batch-size': { type: 'string', default: '50' },
      backend: { type: 'string' },
      'max-images': { type: 'string' },
      'save-stats': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const batchSize = Number(values['batch-size']);
  const maxImages = values['max-images'] === undefined ? undefined : Number(values['max-images']);
  let extractor: FeatureExtractor | undefined;
  const statsOf = async (p: string): Promise<GaussianStatistics> => {
    if (isStatsFile(p)) return loadStatistics(p);
    const st = await stat(p).catch(() => undefined);
    if (st === undefined || !st.isDirectory()) throw new OTError('INVALID_FILE', `${p} is neither a folder of PNGs nor a .npz/.json statistics file`);
    if (extractor === undefined) {
      const chosen = await initBackend({ ...(values.backend === undefined ? {} : { backend: values.backend }), quiet: true });
      void chosen;
      extractor = await loadExtractor(values.extractor!);
    }
    const t0 = Date.now();
    const s = await computeStatistics(pngFolder(p, batchSize), {
      extractor,
      batchSize,
      ...(maxImages === undefined ? {} : { maxImages }),
      onProgress: (pr) => process.stderr.write(`\r${p}: ${pr.images} images`),
    });
    process.stderr.write(`\r${p}: ${s.count} images, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    return s;
  };
  try {
    if (values['save-stats']) {
      const [src, out] = positionals as [string, string];
      await saveStatistics(out, await statsOf(src));
      console.log(`saved statistics of ${src} to ${out}`);
      return 0;
    }
    const [a, b] = positionals as [string, string];
    const sa = await statsOf(a);
    const sb = await statsOf(b);
    if (sa.dim !== sb.dim) throw new OTError('SHAPE_MISMATCH', `statistics dimensions differ: ${sa.dim} vs ${sb.dim} (different extractors?)`);
    const value = frechetDistance(sa.mu, sa.sigma, sb.mu, sb.sigma);
    console.log(values.json ? JSON.stringify({ fid: value, extractor: values.extractor, countA: sa.count, countB: sb.count }) : `FID:  ${value}`);
    return 0;
  } finally {
    extractor?.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
