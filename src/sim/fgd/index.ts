/** The FGD paper's placement experiment on openb, re-implemented (see ../../../../shared/reference/fgd-method.md). */
export { runFgdExperiment, fgdMix, sortedNodes, toSchedJob, toSchedNode, type FgdRunOptions, type FgdRunResult } from './experiment.js';
export { runFgdSeeds, type FgdPolicySummary } from './summary.js';
export { binAllocation, numpySum, MAX_COLUMN } from './binning.js';
export { pyRound } from './pyround.js';
export { tuneWorkload, type TunedWorkload } from './workload.js';
export { experimentRng, type ExperimentRng } from './experiment-rng.js';
export { GoRand, parseGoCookedTable } from './go-rand.js';
export { FGD_POLICIES, parsePolicies, experimentProfile, type FgdPolicy } from './policies.js';
export { parseExpected, expectedMean, type ExpectedCurves } from './expected.js';
