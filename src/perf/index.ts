/**
 * The performance model: what a workload achieves on a chip, with its assumptions and confidence.
 * Pure and fast; the scheduler, simulator and planner call it in loops.
 *
 * - `estimateTrain` / `estimateInfer`: one layout; `bestTrain` / `bestInfer`: the best layout;
 *   `bestChip`: chips ranked by time, cost or energy.
 * - `h20eq`, `fleetH20eq`, `matrix` (+ `matrixToCsv`): H20-equivalents and the throughput matrix
 *   per workload class (`workloadClasses`).
 * - `efficiencyProfiles`: achievable fractions of peak per chip family and stack, with sources.
 */
export * from './types.js';
export { estimateTrain, validateTrainRequest, trainLayoutProblem } from './train.js';
export { estimateInfer, validateInferRequest, inferLayoutProblem, lengthsOf } from './infer.js';
export { bucketLengths } from './lengths.js';
export { linearLayerTime, type LinearLayerTime } from './layer.js';
export { bestTrain, bestInfer, bestChip, Objective, type ChipRanking, type Workload } from './search.js';
export { h20eq, fleetH20eq, matrix, matrixToCsv, classThroughput, declaredFromFleet, resolveClass, H20_ID, type H20Equivalent, type FleetH20Eq, type ThroughputMatrix, type ClassThroughput } from './h20eq.js';
export { workloadClasses, findWorkloadClass, type WorkloadClass, type TrainClass, type InferClass } from './data/workload-classes.js';
export { efficiencyProfiles, efficiencyFor, type EfficiencyProfile, type SourcedValue } from './data/efficiency.js';
export { chipFigures, type ChipFigures } from './chip-figures.js';
