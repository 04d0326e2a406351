/**
 * Gavel's experiment on Tessera's LP policies: the round-based simulator, Gavel's Poisson arrivals,
 * and the aware-vs-agnostic comparison on 36 K80 + 36 P100 + 36 V100.
 */
export { simulateGavel, quantile, type GavelSimConfig, type GavelSimJob, type GavelSimResult } from './round-sim.js';
export { generateGavelJobs, gavelDurationSec, gavelScaleFactor, jobTypesAt, type ArrivalOptions } from './arrivals.js';
export { compareOnJobs, rateSweep, traceJobs, GAVEL_CLUSTER, type GavelComparison, type RateSweepOptions } from './experiment.js';
