/**
 * Turning CLI options into datasets, models and trainers. The same configuration object is stored
 * in checkpoints so `ot sample` / `ot eval` can rebuild the generator.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import {
  DcganDiscriminator,
  DcganGenerator,
  MlpCritic,
  MlpGenerator,
  SlicedTrainer,
  SLICED_LOSSES,
  SnganDiscriminator,
  SnganGenerator,
  TOY_DATASETS,
  isImageDataset,
  loadCifar10,
  loadImageFolder,
  loadMnist,
  toyDataset,
  type Critic,
  type Dataset,
  type Generator,
  type Trainer,
} from '@ot/gen';
import * as gen from '@ot/gen';
import { OT_MODELS, buildOtTrainer } from './ot-models.js';

/** `--loss` choices; the OT models (`--model ae|wae-mmd|…`, see ot-models.ts) are training methods too. */
export const LOSSES = [...SLICED_LOSSES, 'sngan', 'semidual', 'w2gn-latent'] as const;
export type LossName = (typeof LOSSES)[number] | (typeof OT_MODELS)[number];
export const MODELS = ['mlp', 'dcgan', 'sngan'] as const;
export const CRITICS = ['none', 'mlp', 'dcgan', 'sngan'] as const;

/** Everything needed to rebuild a run (stored in checkpoints and report.json). */
export interface RunConfig {
  loss: LossName;
  data: string;
  model: (typeof MODELS)[number];
  critic: (typeof CRITICS)[number];
  steps: number;
  batch: number;
  latent: number;
  seed: number;
  lr: number | undefined;
  L: number;
  t2: number;
  sliceLr: number | undefined;
  nCritic: number;
  ema: number | undefined;
  lambda: number;
  /** Semi-dual potential: a vector over the data (SDOT) or an MLP (SDOTNN). */
  potential: 'vector' | 'mlp';
  width: number | undefined;
  hidden: number[];
  backend: string | undefined;
  /** SWAE's slicer (`--model swae --loss <slicer>`; see ot-models.ts). */
  slicer?: string;
}

/** Parses `--data`: `mnist`, `mnist-test`, `idx:<file>`, `toy:<name>`, `cifar10:<dir>`, `images:<dir>`. */
export function loadDataset(spec: string): Dataset {
  const i = spec.indexOf(':');
  const kind = i < 0 ? spec : spec.slice(0, i);
  const arg = i < 0 ? '' : spec.slice(i + 1);
  switch (kind) {
    case 'mnist':
      return arg === '' ? loadMnist() : loadMnist({ imagesPath: arg });
    case 'mnist-test':
      return loadMnist({ split: 'test' });
    case 'idx':
      return loadMnist({ imagesPath: arg });
    case 'toy':
      return toyDataset(arg);
    case 'cifar10':
      if (arg === '') throw new OTError('INVALID_ARGUMENT', '--data cifar10:<dir> needs the cifar-10-batches-bin directory');
      return loadCifar10(arg);
    case 'images':
      if (arg === '') throw new OTError('INVALID_ARGUMENT', '--data images:<dir> needs a directory of PNG files');
      return loadImageFolder(arg);
    default:
      throw new OTError(
        'INVALID_ARGUMENT',
        `unknown --data '${spec}'; expected mnist, mnist:<idx file>, toy:<${TOY_DATASETS.join('|')}>, cifar10:<dir> or images:<dir>`,
      );
  }
}

function imageSize(ds: Dataset): 28 | 32 {
  const s = ds.sampleShape[0];
  if (s !== 28 && s !== 32) throw new OTError('INVALID_ARGUMENT', `the ${ds.name} images are ${s}×${s}; dcgan/sngan models need 28 or 32 (use --model mlp)`);
  return s;
}

/** Generator factory for a configuration and dataset. */
export function generatorFactory(cfg: RunConfig, ds: Dataset): () => Generator {
  const images = isImageDataset(ds);
  switch (cfg.model) {
    case 'mlp':
      return () =>
        new MlpGenerator({
          latentDim: cfg.latent,
          outputShape: ds.sampleShape,
          hidden: cfg.hidden,
          output: images ? 'tanh' : 'linear',
          seed: cfg.seed + 1,
        });
    case 'dcgan':
      if (!images) throw new OTError('INVALID_ARGUMENT', '--model dcgan needs image data');
      return () =>
        new DcganGenerator({
          imageSize: imageSize(ds),
          channels: ds.sampleShape[2] as number,
          latentDim: cfg.latent,
          widths: cfg.width === undefined ? undefined : imageSize(ds) === 28 ? [2 * cfg.width, cfg.width] : [4 * cfg.width, 2 * cfg.width, cfg.width],
          seed: cfg.seed + 1,
        });
    case 'sngan':
      if (!images) throw new OTError('INVALID_ARGUMENT', '--model sngan needs image data');
      return () => new SnganGenerator({ imageSize: imageSize(ds), channels: ds.sampleShape[2] as number, latentDim: cfg.latent, ch: cfg.width ?? 64, seed: cfg.seed + 1 });
  }
}

/** Critic factory (undefined for `--critic none`). */
export function criticFactory(cfg: RunConfig, ds: Dataset): (() => Critic) | undefined {
  switch (cfg.critic) {
    case 'none':
      return undefined;
    case 'mlp':
      return () => new MlpCritic({ inputShape: ds.sampleShape, spectralNorm: true, seed: cfg.seed + 2 });
    case 'dcgan':
      if (!isImageDataset(ds)) throw new OTError('INVALID_ARGUMENT', '--critic dcgan needs image data');
      return () =>
        new DcganDiscriminator({
          imageSize: imageSize(ds),
          channels: ds.sampleShape[2] as number,
          widths: cfg.width === undefined ? undefined : imageSize(ds) === 28 ? [2 * cfg.width, cfg.width] : [4 * cfg.width, 2 * cfg.width, cfg.width],
          spectralNorm: true,
          seed: cfg.seed + 2,
        });
    case 'sngan':
      if (!isImageDataset(ds)) throw new OTError('INVALID_ARGUMENT', '--critic sngan needs image data');
      return () => new SnganDiscriminator({ imageSize: imageSize(ds), channels: ds.sampleShape[2] as number, ch: cfg.width ?? 64, seed: cfg.seed + 2 });
  }
}

/** Builds the trainer for a configuration. */
export function buildTrainer(cfg: RunConfig, ds: Dataset): Trainer {
  const makeGenerator = generatorFactory(cfg, ds);
  if ((OT_MODELS as readonly string[]).includes(cfg.loss)) return buildOtTrainer(cfg, ds, makeGenerator);
  const makeCritic = criticFactory(cfg, ds);
  if ((SLICED_LOSSES as readonly string[]).includes(cfg.loss)) {
    return new SlicedTrainer({
      loss: cfg.loss as (typeof SLICED_LOSSES)[number],
      dataset: ds,
      batchSize: cfg.batch,
      seed: cfg.seed,
      makeGenerator,
      makeCritic,
      L: cfg.L,
      t2: cfg.t2,
      sliceLr: cfg.sliceLr,
      lr: cfg.lr,
      nCritic: cfg.nCritic,
      emaDecay: cfg.ema,
    });
  }
  const g = gen as unknown as Record<string, unknown>;
  const ctorName = cfg.loss === 'sngan' ? 'SnganTrainer' : cfg.loss === 'semidual' ? 'SemiDualTrainer' : 'W2gnLatentTrainer';
  const Ctor = g[ctorName] as (new (o: Record<string, unknown>) => Trainer) | undefined;
  if (Ctor === undefined) throw new OTError('INVALID_ARGUMENT', `--loss ${cfg.loss} is not available in this build of @ot/gen`);
  if (cfg.loss === 'sngan' && makeCritic === undefined) throw new OTError('INVALID_ARGUMENT', '--loss sngan needs a critic (--critic mlp|dcgan|sngan)');
  if (cfg.loss === 'w2gn-latent') {
    return new Ctor({
      dataset: ds,
      batchSize: cfg.batch,
      seed: cfg.seed,
      latentDim: cfg.latent,
      aeSteps: Math.round(0.4 * cfg.steps),
      pretrainSteps: Math.round(0.1 * cfg.steps),
      lambda: cfg.lambda > 0 ? cfg.lambda : 1,
      lr: cfg.lr,
    });
  }
  return new Ctor({
    dataset: ds,
    batchSize: cfg.batch,
    seed: cfg.seed,
    makeGenerator,
    makeCritic,
    lr: cfg.lr,
    nCritic: cfg.nCritic,
    emaDecay: cfg.ema,
    lambda: cfg.lambda,
    potential: cfg.potential,
  });
}

/**
 * Rebuilds the trainer of a checkpoint (same configuration) and restores its state, so any method's
 * generator can be sampled (`trainer.sample`) — including the W2GN latent pipeline.
 */
export async function trainerFromCheckpoint(cfg: RunConfig, ckpt: gen.TrainerCheckpoint): Promise<{ trainer: Trainer; dataset: Dataset }> {
  const ds = loadDataset(cfg.data);
  const trainer = buildTrainer(cfg, ds);
  try {
    await trainer.restore(ckpt);
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  return { trainer, dataset: ds };
}

/** Samples in data space ([0, 1] images) from a generator. */
export function sampleFrom(g: Generator, n: number, seed: number, images: boolean): tf.Tensor {
  return tf.tidy(() => {
    const x = g.forward(gen.sampleLatent(n, g.latentDim, seed), { training: false });
    return images ? tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1) : x;
  });
}
