/**
 * `@ot/gen`: datasets, generators and critics, and the training loops of optimal-transport
 * generative models (sliced / max-sliced / amortized sliced Wasserstein generators, the SNGAN
 * hinge baseline, semi-dual generators, W2GN in an autoencoder's latent space), with EMA and
 * atomic checkpoints. A library: no files other than checkpoints, no progress bars or plots —
 * callbacks out.
 *
 * @packageDocumentation
 */
export * from './datasets/index.js';
export * from './models/index.js';
export { Adam, type AdamOptions } from './train/adam.js';
export { Ema } from './train/ema.js';
export {
  Trainer,
  type BaseTrainerOptions,
  type Losses,
  type StepResult,
  type ProgressInfo,
  type RunOptions,
  type RunResult,
} from './train/trainer.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  encodeCheckpoint,
  decodeCheckpoint,
  writeFileAtomic,
  CHECKPOINT_FILE,
  type TrainerCheckpoint,
} from './train/checkpoint.js';
export { SlicedTrainer, SLICED_LOSSES, type SlicedLoss, type SlicedTrainerOptions } from './train/sliced-trainer.js';
export { SnganTrainer, type GanTrainerOptions } from './train/gan-trainer.js';
export { SemiDualTrainer, type SemiDualTrainerOptions } from './train/semidual-trainer.js';
export { W2gnLatentTrainer, type W2gnLatentTrainerOptions } from './train/w2gn-latent-trainer.js';
export * from './ot-models.js';
