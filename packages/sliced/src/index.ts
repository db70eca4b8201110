/**
 * `@ot/sliced`: sliced Wasserstein distances on TensorFlow.js — SW_p (POT-compatible), Max-SW,
 * amortized SW (linear, generalized linear, non-linear; K-direction variants) and generalized SW /
 * max-GSW, composed from `@ot/core`'s projections and 1D optimal transport.
 *
 * @packageDocumentation
 */
export { slicedWasserstein, type SlicedWassersteinOptions, type SlicedWassersteinResult } from './sliced.js';
export { maxSlicedWasserstein, type MaxSlicedWassersteinOptions, type MaxSlicedWassersteinResult } from './max-sliced.js';
export { AmortizedSlicer, type AmortizedSlicerOptions, type AmortizedLossOptions, type SlicerOptimizerState } from './amortized.js';
export { LinearAmortizedSlicer } from './linear-amortized.js';
export { GeneralizedLinearAmortizedSlicer } from './generalized-linear-amortized.js';
export { NonLinearAmortizedSlicer } from './non-linear-amortized.js';
export {
  generalizedSlicedWasserstein,
  type GeneralizedSlicedWassersteinOptions,
  type GeneralizedSlicedWassersteinResult,
} from './generalized-sliced.js';
export {
  maxGeneralizedSlicedWasserstein,
  type MaxGeneralizedSlicedWassersteinOptions,
  type MaxGeneralizedSlicedWassersteinResult,
} from './max-generalized-sliced.js';
export type { DefiningFunctionKind } from './internal/defining-functions.js';
export type { SphereOptimizer, SphereAscentOptions } from './internal/sphere-ascent.js';
