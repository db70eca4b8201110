/**
 * `@ot/metrics`: metrics for generative models (FID, IS, KID — pytorch-fid-compatible maths,
 * pluggable feature extractors) and for transport maps (L2-UVP, cosine).
 *
 * @packageDocumentation
 */
export { l2Uvp, mapCosine, type PointMap, type Sampler, type MapMetricOptions } from './map-metrics.js';
export { frechetDistance, traceSqrtProduct, type FrechetOptions, type TraceSqrt, type HostMatrix, type HostVector } from './frechet-distance.js';
export { FeatureStatistics, featureStatistics, type GaussianStatistics, type FeatureBatch } from './statistics.js';
export { inceptionScoreFromLogits, type ScoreSummary, type LogitsInput } from './inception-score.js';
export { kernelInceptionDistance, type KidOptions } from './kernel-inception-distance.js';
export { fid, inceptionScore, kid, computeStatistics } from './fid.js';
export { tensorSource, type ImageSource, type Progress, type ExtractionOptions } from './sources.js';
export {
  saveStatistics,
  loadStatistics,
  encodeStatistics,
  decodeStatistics,
  encodeNpz,
  decodeNpz,
  encodeNpy,
  decodeNpy,
  type NdArray,
} from './statistics-file.js';
export { checkImages, resizeLikeTorch, type FeatureExtractor, type Extracted } from './extractors/extractor.js';
export { MnistExtractor, mnistForward, MNIST_PARAM_SHAPES } from './extractors/mnist-extractor.js';
export {
  InceptionV3Extractor,
  saveRandomInceptionWeights,
  inceptionPreprocess,
  inceptionParamShapes,
  INCEPTION_CONVS,
  type ConvSpec,
} from './extractors/inception-v3.js';
export { saveWeightsFile, loadWeightsFile, type WeightsFile } from './extractors/weights-file.js';
