/**
 * `@ot/core`: the foundation of the `@ot/*` optimal-transport packages on TensorFlow.js.
 *
 * @packageDocumentation
 */
import './tfjs-setup.js';

export { OTError, OTErrorCodes, isOTError, type OTErrorCode } from './errors.js';
export type { PointCloud, Weights, Measure, TensorLike, ValidationLevel } from './types.js';
export {
  setValidationLevel,
  validationLevel,
  toFloatTensor,
  toPointCloud,
  toWeights,
  checkFinite,
  checkNumber,
  checkInteger,
  checkPositive,
  checkBoolean,
  checkChoice,
  checkSameSize,
} from './validate.js';
export {
  createRng,
  toRng,
  setGlobalSeed,
  randomNormal,
  randomUniform,
  permutation,
  type Rng,
  type RngState,
  type Seed,
} from './rng.js';
export { initBackend, currentBackend, backendPreference, KNOWN_BACKENDS, type BackendName, type InitBackendOptions } from './backend.js';
export { registerBackendKernels, stockKernel, isReplacedKernel } from './kernels/index.js';
export { sortRows, argsortRows, gatherRows } from './sort.js';
export { quantileFunction, quantileRows } from './quantile.js';
export { wasserstein1d, wasserstein1dRows, powAbs, type Wasserstein1dOptions } from './wasserstein1d.js';
export { randomDirections, orthogonalDirections, checkDirections, project, type DirectionOptions } from './projections.js';
export { sqeuclideanCost, pnormCost, sqeuclideanBlock, costChunks, type CostOptions } from './costs.js';
export { customGrad1, customGrad2, type GradFunc } from './custom-grad.js';
export { stopGradient } from './stop-gradient.js';
export { getOptimizerState, setOptimizerState, checkOptimizerState, type OptimizerState, type OptimizerStateEntry, type OptimizerStateLike } from './optimizer-state.js';
export {
  toFloat64Vector,
  toFloat64Matrix,
  matrixToTensor,
  matrixToArray,
  type Float64Matrix,
  type MatrixInput,
  type VectorInput,
} from './float64.js';
export { emd1d, type Emd1dOptions, type Emd1dResult, type PlanEntry } from './emd1d.js';
export { emd, type EmdOptions, type EmdResult } from './emd.js';
export {
  symmetricEigen,
  sqrtm,
  sqrtmF64,
  inverseSqrtm,
  inverseSqrtmF64,
  matmulF64,
  type SymmetricEigen,
  type SymmetricOptions,
  type SqrtmOptions,
} from './linalg.js';
export { gaussianW2, gaussianMap, type GaussianMap } from './gaussian.js';
