/**
 * `@ot/metrics`: metrics for generative models (FID, IS, KID) and transport maps (L2-UVP, cosine).
 *
 * @packageDocumentation
 */
export { l2Uvp, mapCosine, type PointMap, type Sampler, type MapMetricOptions } from './map-metrics.js';
