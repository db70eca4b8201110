/** `ot sample`: draw samples from a checkpoint into a PNG grid (or a scatter plot for 2D data). */
import { writeFileSync } from 'node:fs';
import { initBackend, OTError } from '@ot/core';
import { isImageDataset, loadCheckpoint } from '@ot/gen';
import * as tf from '@tensorflow/tfjs-core';
import { imageGrid, scatterPlot } from '../png.js';
import { trainerFromCheckpoint, type RunConfig } from '../setup.js';

export interface SampleFlags {
  checkpoint: string;
  n: number;
  out: string;
  seed: number;
  ema: boolean;
  cols?: number;
  backend?: string;
}

export async function sampleCommand(f: SampleFlags): Promise<number> {
  const ckpt = loadCheckpoint(f.checkpoint);
  const cfg = (ckpt.meta as { cli?: RunConfig }).cli;
  if (cfg === undefined) throw new OTError('INVALID_FILE', `'${f.checkpoint}' was not written by ot train`);
  await initBackend({ backend: f.backend ?? cfg.backend, quiet: true });
  const { trainer, dataset } = await trainerFromCheckpoint(cfg, ckpt);
  try {
    const images = isImageDataset(dataset);
    const x = trainer.sample(f.n, { seed: f.seed, useEma: f.ema });
    if (images) writeFileSync(f.out, imageGrid(x.dataSync() as Float32Array, x.shape as [number, number, number, number], f.cols));
    else {
      const y = dataset.sample(f.n, f.seed + 1);
      writeFileSync(f.out, scatterPlot(x.dataSync() as Float32Array, y.dataSync() as Float32Array));
      y.dispose();
    }
    tf.dispose(x);
    process.stderr.write(`wrote ${f.n} samples (step ${ckpt.step}${f.ema && ckpt.groups['ema'] !== undefined ? ', EMA weights' : ''}) to ${f.out}\n`);
    return 0;
  } finally {
    trainer.dispose();
    dataset.dispose();
  }
}
