/**
 * Gavel's experiment on Tessera's LP policies: the round-based simulator with Gavel's priority
 * mechanism, Gavel's Poisson job generator, and the aware-vs-agnostic comparison on
 * 36 K80 + 36 P100 + 36 V100 over a sweep of input job rates with a steady-state measurement window.
 */
export { simulateGavel, fastestFirst, quantile, type GavelJobStream, type GavelSimConfig, type GavelSimJob, type GavelSimResult } from './round-sim.js';
export { GavelMechanism, type MechanismJob } from './mechanism.js';
export { gavelJobStream, generateGavelJobs, gavelDurationSec, gavelScaleFactor, jobTypesAt, type ArrivalOptions } from './arrivals.js';
export { compareOnJobs, rateSweep, traceJobs, GAVEL_CLUSTER, GAVEL_FIG8_WINDOW, type GavelComparison, type RateSweepOptions } from './experiment.js';
