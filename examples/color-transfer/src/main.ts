/**
 * Colour transfer with W2GN (Korotin et al., *Wasserstein-2 Generative Networks*, ICLR 2021):
 * fit the optimal W2 map ∇ψ between the RGB colour distributions of a source and a target
 * image (ψ an input convex network), then recolour every source pixel c as ∇ψ(c).
 *
 *   pnpm --filter color-transfer start [source.png target.png] [--out-dir out] [--iters 1500] [--smoke]
 *
 * Without paths, two small images are generated (a sunset and a lagoon), so it runs offline.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend, type Rng } from '@ot/core';
import { W2GN } from '@ot/icnn';
import { lagoon, readPng, sunset, writePng, type RgbImage } from './images.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'out-dir': { type: 'string', default: 'out' },
    iters: { type: 'string' },
    batch: { type: 'string', default: '256' },
    smoke: { type: 'boolean', default: false },
    seed: { type: 'string', default: '0' },
  },
});

const smoke = values.smoke;
const iters = Number(values.iters ?? (smoke ? 10 : 1500));
const batch = Number(values.batch);
const outDir = values['out-dir'];
mkdirSync(outDir, { recursive: true });

let source: RgbImage;
let target: RgbImage;
if (positionals.length === 2) {
  source = readPng(positionals[0]!);
  target = readPng(positionals[1]!);
} else if (positionals.length === 0) {
  const size = smoke ? 24 : 96;
  source = sunset(size);
  target = lagoon(size);
  writePng(join(outDir, 'source.png'), source);
  writePng(join(outDir, 'target.png'), target);
} else {
  console.error('usage: start [source.png target.png] [--out-dir out] [--iters N] [--smoke]');
  process.exit(2);
}

const backend = await initBackend({ quiet: true });
const pixels = (img: RgbImage): tf.Tensor2D => tf.tensor2d(img.data, [img.width * img.height, 3]);
const src = pixels(source);
const tgt = pixels(target);
const sampler =
  (all: tf.Tensor2D) =>
  (n: number, rng: Rng): tf.Tensor2D => {
    const idx = tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(all.shape[0])), 'int32');
    const out = tf.gather(all, idx) as tf.Tensor2D;
    idx.dispose();
    return out;
  };

function stats(name: string, t: tf.Tensor2D): void {
  const { mean, variance } = tf.moments(t, 0);
  const m = Array.from(mean.dataSync(), (v) => v.toFixed(3));
  const s = Array.from(variance.dataSync(), (v) => Math.sqrt(v).toFixed(3));
  console.log(`${name.padEnd(12)} mean RGB [${m.join(', ')}]  std [${s.join(', ')}]`);
  tf.dispose([mean, variance]);
}

console.log(`backend ${backend}; source ${source.width}×${source.height}, target ${target.width}×${target.height}; ${iters} W2GN steps`);
const w2gn = new W2GN({ icnn: { dim: 3, hidden: [64, 64, 32], strongConvexity: 1e-2 }, lambda: 20, optimizer: { lr: 1e-3 }, seed: Number(values.seed) });
const rng = createRng(Number(values.seed));
const t0 = performance.now();
w2gn.pretrain({ sampleX: sampler(src), sampleY: sampler(tgt), iters: smoke ? 5 : 200, batchSize: batch, seed: rng });
w2gn.fit({
  sampleX: sampler(src),
  sampleY: sampler(tgt),
  iters,
  batchSize: batch,
  seed: rng,
  progressEvery: Math.max(1, Math.floor(iters / 10)),
  onProgress: ({ iter, losses }) => console.log(`step ${iter}/${iters}  dual ${losses.dual.toFixed(4)}  cycle ${losses.cycle.toFixed(5)}`),
});
console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const moved = tf.tidy(() => tf.clipByValue(w2gn.map(src), 0, 1)) as tf.Tensor2D;
stats('source', src);
stats('target', tgt);
stats('transferred', moved);
const outPath = join(outDir, 'transferred.png');
writePng(outPath, { width: source.width, height: source.height, data: Float32Array.from(moved.dataSync()) });
console.log(`wrote ${outPath}`);
tf.dispose([src, tgt, moved]);
w2gn.dispose();
