/**
 * The OT autoencoders and critics of `@ot/gen`: the deterministic autoencoder, WAE-MMD, WAE-GAN,
 * SWAE, WGAN (weight clipping and gradient penalty), and their losses (unbiased MMD, gradient
 * penalty, latent priors).
 */
export { mmd, MMD_KERNELS, WAE_MMD_SCALES, type MmdKernel, type MmdOptions } from './losses/mmd.js';
export { gradientPenalty, registerComparisonGradients, type CriticLike, type GradientPenaltyOptions } from './losses/gradient-penalty.js';
export { gaussianPrior, ringPrior, samplerPrior, type Prior } from './losses/priors.js';
export { AutoencoderTrainer, AutoencoderGenerator, type AutoencoderTrainerOptions } from './train/autoencoder-trainer.js';
export { WaeMmdTrainer, type WaeMmdTrainerOptions } from './train/wae-mmd-trainer.js';
export { WaeGanTrainer, type WaeGanTrainerOptions } from './train/wae-gan-trainer.js';
export { SwaeTrainer, SWAE_SLICERS, type SwaeSlicer, type SwaeTrainerOptions } from './train/swae-trainer.js';
export { WganTrainer, WGAN_MODES, type WganMode, type WganTrainerOptions } from './train/wgan-trainer.js';
export { SwganTrainer, type SwganTrainerOptions } from './train/swgan-trainer.js';
