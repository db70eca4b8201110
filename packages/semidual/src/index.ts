/**
 * `@ot/semidual`: semi-dual (regularized) optimal transport on TensorFlow.js — log-domain streamed
 * c-transforms, the semi-dual objective, dual potentials as vectors (SDOT) or MLPs (SDOTNN),
 * averaged SGD and Adam solvers, the alternating generator step, and log-domain Sinkhorn.
 *
 * @packageDocumentation
 */
export { SemiDualTarget, SEMI_DUAL_COSTS, type SemiDualCost, type TargetOptions, type TargetChunk, type TargetView } from './target.js';
export { cTransform, type CTransformOptions } from './c-transform.js';
export { semiDualObjective, type SemiDualObjectiveOptions } from './semi-dual-objective.js';
export type { DualPotential } from './potential.js';
export { VectorPotential } from './vector-potential.js';
export { MlpPotential, type MlpPotentialOptions, type MlpActivation } from './mlp-potential.js';
export { semiDualProblem, type SemiDualProblem, type SemiDualProblemOptions, type SourceSampler } from './problem.js';
export type { SemiDualSolver, SemiDualResult, SolveOptions, BatchOptions } from './solver.js';
export { asgd, type AsgdOptions } from './asgd.js';
export { adam, type AdamOptions } from './adam.js';
export { semiDualGeneratorStep, type SemiDualGeneratorStepOptions, type SemiDualGeneratorStepResult } from './generator-step.js';
export { sinkhorn, type SinkhornOptions, type SinkhornResult } from './sinkhorn.js';
export { sinkhornDivergence, type SinkhornDivergenceOptions } from './sinkhorn-divergence.js';
