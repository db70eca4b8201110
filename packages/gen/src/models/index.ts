export { Module, sampleLatent, type NamedWeight, type ForwardOptions, type Generator, type Critic } from './module.js';
export { NetModule, type Layer } from './net.js';
export { linear, activate, batchNormTrain, batchNormEval, upsample2x, downsample2x, type Activation } from './layers.js';
export { MlpGenerator, MlpCritic, type MlpGeneratorOptions, type MlpCriticOptions } from './mlp.js';
export { DcganGenerator, DcganDiscriminator, type DcganOptions } from './dcgan.js';
export { SnganGenerator, SnganDiscriminator, type SnganOptions } from './sngan.js';
export { Autoencoder, type AutoencoderOptions } from './autoencoder.js';
