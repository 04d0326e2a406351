/**
 * Heterogeneity-aware allocation as round-based linear programs on HiGHS (after Gavel): max-min
 * fairness over effective throughput (aware and agnostic), minimum makespan, minimum cost under
 * deadlines, with an always-feasible equal-share fallback; and the round placement that follows an
 * allocation matrix.
 */
export { allocate, equalShare, isolatedThroughput, type AllocateOptions } from './allocate.js';
export { loadHighs, type LpSolver, type LpSolution } from './highs.js';
export { LpBuilder } from './lp-text.js';
export { AllocationPolicy, checkProblem, effectiveThroughput, equalShareThroughput, type AllocationProblem, type AllocationResult } from './problem.js';
export { placeRound, type RoundJob, type RoundAssignment } from './round-placement.js';
export { agnosticMaxMin, isPooled, type AgnosticSolution } from './agnostic.js';
export { groupIdenticalJobs, type Classes } from './aggregate.js';
