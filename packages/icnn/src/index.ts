/**
 * `@ot/icnn`: input convex neural networks and neural W2 maps on TensorFlow.js — DenseICNN and
 * ConvICNN potentials, non-convex MLP potentials, batched convex-conjugate solvers (L-BFGS, Adam),
 * the W2GN trainer (Korotin et al., ICLR 2021), amortized neural duals (Amos, ICLR 2023), and the
 * continuous W2 benchmark pairs (Korotin et al., NeurIPS 2021).
 *
 * @packageDocumentation
 */
export type { Potential, ValueAndGrad, Activation, Positivity } from './potential.js';
export { DenseICNN, type DenseICNNOptions, type DenseICNNWeights } from './dense-icnn.js';
export { MlpPotential, type MlpPotentialOptions, type MlpPotentialWeights } from './mlp-potential.js';
export type { MlpInit } from './potential.js';
export { conjugate, type ConjugateOptions, type ConjugateResult, type ConjugateSolver, type ConjugateTarget, type LineSearch } from './conjugate.js';
export { W2GN, w2gnLoss, type W2GNOptions, type W2GNLoss, type W2GNStepLosses, type W2GNObjective } from './w2gn.js';
export {
  NeuralDual,
  Amortizer,
  type NeuralDualOptions,
  type NeuralDualStepLosses,
  type AmortizationLoss,
  type AmortizerOptions,
  type NeuralDualUpdate,
} from './neural-dual.js';
export type { AdamOptions, BatchSampler, FitOptions, Progress, TrainerState, SavedOptimizer, VariableValues } from './trainer.js';
export { loadW2Benchmark, parseW2Benchmark, type W2Benchmark } from './w2-benchmark.js';
export { highDimGaussianBenchmark, type GaussianBenchmark, type GaussianBenchmarkOptions } from './gaussian-benchmark.js';
export { ConvICNN, type ConvICNNOptions, type ConvICNNWeights } from './conv-icnn.js';
