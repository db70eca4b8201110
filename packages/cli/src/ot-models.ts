/**
 * `ot train --model ae|wae-mmd|wae-gan|swae|wgan|wgan-gp|swgan`: the OT autoencoders, Wasserstein GANs
 * and the Deshpande et al. 2018 sliced generator of `@ot/gen`. `--model <name>` selects the training method (stored as the run's `loss`) with the
 * default architecture; `--model swae --loss la-sw` picks SWAE's slicer. The architecture flags keep
 * their meaning: `--hidden` are the decoder / generator widths (the MLP encoder mirrors them),
 * `--critic dcgan|mlp|sngan` the WGAN / SWGAN critic (no spectral norm for mlp / dcgan), `--latent` the code
 * dimension, `--lambda` the penalty weight (0, the default, means the model's own default). The
 * autoencoders keep no EMA (`--ema` applies to the WGAN generators only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OTError } from '@ot/core';
import {
  Autoencoder,
  AutoencoderGenerator,
  AutoencoderTrainer,
  DcganDiscriminator,
  MlpCritic,
  SWAE_SLICERS,
  SnganDiscriminator,
  SwaeTrainer,
  SwganTrainer,
  WaeGanTrainer,
  WaeMmdTrainer,
  WganTrainer,
  gaussianPrior,
  isImageDataset,
  mmd,
  type Critic,
  type Dataset,
  type Generator,
  type NamedWeight,
  type Trainer,
} from '@ot/gen';
import { slicedWasserstein } from '@ot/sliced';
import { imageGrid, scatterPlot } from './png.js';
import type { RunConfig } from './setup.js';

export const OT_MODELS = ['ae', 'wae-mmd', 'wae-gan', 'swae', 'wgan', 'wgan-gp', 'swgan'] as const;
export type OtModel = (typeof OT_MODELS)[number];
const AUTOENCODERS: readonly string[] = ['ae', 'wae-mmd', 'wae-gan', 'swae'];

export function isOtModel(name: string | undefined): name is OtModel {
  return name !== undefined && (OT_MODELS as readonly string[]).includes(name);
}

/**
 * Rewrites parsed `ot train` options for `--model <OT model>`: the model becomes the training method
 * (`loss`), a sliced `--loss` given explicitly becomes SWAE's slicer, and `--n-critic` defaults to 5
 * for the WGANs. `source(name)` tells whether an option came from the command line.
 */
export function applyOtModel(o: Record<string, unknown>, source: (name: string) => string | undefined): void {
  const model = o['model'] as string | undefined;
  if (!isOtModel(model)) return;
  const loss = o['loss'] as string;
  if (source('loss') === 'cli' && loss !== model) {
    if (model === 'swae' && (SWAE_SLICERS as readonly string[]).includes(loss)) o['slicer'] = loss;
    else throw new OTError('INVALID_ARGUMENT', `--model ${model} sets the training method; --loss ${loss} only applies to --model swae (as its slicer: ${SWAE_SLICERS.join(', ')})`);
  }
  o['loss'] = model;
  delete o['model'];
  if ((model === 'wgan' || model === 'wgan-gp') && source('nCritic') !== 'cli') o['nCritic'] = 5;
}

function autoencoderOptions(cfg: RunConfig, ds: Dataset): { latentDim: number; autoencoder: 'mlp' | 'conv'; hidden: number[] } {
  const conv = cfg.model === 'dcgan' || cfg.model === 'sngan';
  if (conv && !isImageDataset(ds)) throw new OTError('INVALID_ARGUMENT', `--model ${cfg.loss} with a convolutional autoencoder needs image data`);
  // --hidden are the decoder widths (as for generators); the encoder is their mirror image.
  return { latentDim: cfg.latent, autoencoder: conv ? 'conv' : 'mlp', hidden: [...cfg.hidden].reverse() };
}

function wganCritic(cfg: RunConfig, ds: Dataset): () => Critic {
  const images = isImageDataset(ds);
  const size = ds.sampleShape[0];
  switch (cfg.critic) {
    case 'dcgan':
    case 'sngan': {
      if (!images || (size !== 28 && size !== 32)) throw new OTError('INVALID_ARGUMENT', `--critic ${cfg.critic} needs 28×28 or 32×32 images`);
      const c = ds.sampleShape[2] as number;
      if (cfg.critic === 'sngan') return () => new SnganDiscriminator({ imageSize: size, channels: c, ch: cfg.width ?? 64, seed: cfg.seed + 2 });
      const w = cfg.width;
      return () =>
        new DcganDiscriminator({ imageSize: size, channels: c, widths: w === undefined ? undefined : size === 28 ? [2 * w, w] : [4 * w, 2 * w, w], seed: cfg.seed + 2 });
    }
    default:
      return () => new MlpCritic({ inputShape: ds.sampleShape, hidden: images ? [512, 256] : [128, 128], seed: cfg.seed + 2 }) as unknown as Critic;
  }
}

/** The trainer of an OT model configuration. */
export function buildOtTrainer(cfg: RunConfig, ds: Dataset, makeGenerator: () => Generator): Trainer {
  const model = cfg.loss as string;
  const base = { dataset: ds, batchSize: cfg.batch, seed: cfg.seed, lr: cfg.lr };
  const lambda = cfg.lambda > 0 ? cfg.lambda : undefined;
  if (AUTOENCODERS.includes(model)) {
    const ae = { ...base, ...autoencoderOptions(cfg, ds), lambda };
    switch (model) {
      case 'ae':
        return new AutoencoderTrainer(ae);
      case 'wae-mmd':
        return new WaeMmdTrainer(ae);
      case 'wae-gan':
        return new WaeGanTrainer({ ...ae, nCritic: cfg.nCritic });
      default:
        return new SwaeTrainer({ ...ae, slicer: (cfg as { slicer?: (typeof SWAE_SLICERS)[number] }).slicer, L: cfg.L, t2: cfg.t2, sliceLr: cfg.sliceLr });
    }
  }
  if (model === 'wgan' || model === 'wgan-gp') {
    return new WganTrainer({ ...base, emaDecay: cfg.ema, mode: model === 'wgan' ? 'clip' : 'gp', makeGenerator, makeCritic: wganCritic(cfg, ds), nCritic: cfg.nCritic, lambda });
  }
  if (model === 'swgan') {
    // Deshpande et al. 2018: SW on discriminator features, logistic discriminator (no spectral norm).
    return new SwganTrainer({ ...base, emaDecay: cfg.ema, makeGenerator, makeCritic: wganCritic(cfg, ds), L: cfg.L, nCritic: cfg.nCritic });
  }
  throw new OTError('INVALID_ARGUMENT', `'${model}' is not an OT model (${OT_MODELS.join(', ')})`);
}

/** The decoder (fed by the prior) of an autoencoder checkpoint; undefined for other models. */
export function otGeneratorFromCheckpoint(cfg: RunConfig, ds: Dataset, groups: Record<string, NamedWeight[]>): Generator | undefined {
  if (!AUTOENCODERS.includes(cfg.loss as string)) return undefined;
  const o = autoencoderOptions(cfg, ds);
  const weights = groups['autoencoder'];
  if (weights === undefined) throw new OTError('INVALID_FILE', 'the checkpoint holds no autoencoder weights');
  const ae = new Autoencoder({ inputShape: ds.sampleShape, latentDim: o.latentDim, kind: o.autoencoder, hidden: o.hidden });
  ae.setWeights(weights);
  return new AutoencoderGenerator(ae, gaussianPrior(o.latentDim), true);
}

/**
 * After an autoencoder run: `reconstructions.png` (images: pairs of rows, data above its
 * reconstruction; toy data: reconstructions over the data) and metrics — reconstruction MSE (training
 * space) and MMD (IMQ) / SW_2 between 1000 codes and 1000 prior samples.
 */
export function otModelReport(trainer: Trainer, ds: Dataset, outDir: string, seed: number): { metrics: Record<string, unknown>; files: string[] } {
  if (!(trainer instanceof AutoencoderTrainer)) return { metrics: {}, files: [] };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'reconstructions.png');
  const images = isImageDataset(ds);
  tf.tidy(() => {
    if (images) {
      const x = ds.sample(32, seed + 555);
      const r = trainer.reconstruct(x);
      const rows: tf.Tensor[] = [];
      for (let i = 0; i < 4; i++) rows.push(tf.slice(x, [8 * i], [8]), tf.slice(r, [8 * i], [8]));
      const grid = tf.concat(rows, 0);
      writeFileSync(file, imageGrid(grid.dataSync() as Float32Array, grid.shape as [number, number, number, number], 8));
    } else {
      const x = ds.sample(2000, seed + 555);
      writeFileSync(file, scatterPlot(trainer.reconstruct(x).dataSync() as Float32Array, x.dataSync() as Float32Array));
    }
  });
  const { mmdValue, sw } = tf.tidy(() => {
    const z = trainer.encode(ds.sample(1000, seed + 556));
    const p = trainer.prior.sample(1000, seed + 557);
    return {
      mmdValue: mmd(z, p, { sigma2: trainer.prior.variance }).dataSync()[0] as number,
      sw: slicedWasserstein(z, p, { nProjections: 200, seed: 0 }).dataSync()[0] as number,
    };
  });
  return {
    metrics: {
      reconstructionMse: { value: trainer.reconstructionError(1000, seed + 558), samples: 1000, space: images ? 'pixels in [−1, 1]' : 'data' },
      latentMmdToPrior: { value: mmdValue, kernel: 'imq', samples: 1000, prior: trainer.prior.name },
      latentSw2ToPrior: { value: sw, samples: 1000, projections: 200, prior: trainer.prior.name },
    },
    files: [file],
  };
}
