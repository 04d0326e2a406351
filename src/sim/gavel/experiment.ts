/**
 * Gavel's headline experiment: heterogeneity-aware max-min fairness against the agnostic version on
 * 36 K80 + 36 P100 + 36 V100, average JCT per arrival rate. Runs both policies on the same jobs.
 */
import { AllocationPolicy, type LpSolver } from '../../sched/lp/index.js';
import { gavelKey, type GavelThroughputs, type GavelTraceJob } from '../traces/gavel.js';
import { generateGavelJobs } from './arrivals.js';
import { simulateGavel, type GavelSimJob, type GavelSimResult } from './round-sim.js';

export const GAVEL_CLUSTER = { k80: 36, p100: 36, v100: 36 } as const;

export interface GavelComparison {
  label: string;
  jobsPerHour: number | null;
  aware: GavelSimResult;
  agnostic: GavelSimResult;
  /** agnostic avg JCT / aware avg JCT: > 1 means the heterogeneity-aware policy is faster. */
  ratio: number;
}

export function traceJobs(trace: GavelTraceJob[], t: GavelThroughputs): GavelSimJob[] {
  return trace.map((j) => ({
    id: `trace-${j.index}`,
    jobType: j.jobType,
    scaleFactor: j.scaleFactor,
    totalSteps: j.totalSteps,
    arrivalSec: j.arrivalSec,
    weight: j.priorityWeight,
    throughput: t.byJob.get(gavelKey(j.jobType, j.scaleFactor)) ?? new Float64Array(t.workerTypes.length),
  }));
}

export function compareOnJobs(label: string, jobsPerHour: number | null, jobs: GavelSimJob[], t: GavelThroughputs, solver: LpSolver, measure?: { from: number; to: number }): GavelComparison {
  const capacity = t.workerTypes.map((w) => (GAVEL_CLUSTER as Record<string, number>)[w] ?? 0);
  const run = (policy: AllocationPolicy): GavelSimResult => simulateGavel(jobs, { workerTypes: t.workerTypes, capacity, policy, solver, ...(measure ? { measure } : {}) });
  const aware = run(AllocationPolicy.maxMinFairness);
  const agnostic = run(AllocationPolicy.maxMinFairnessAgnostic);
  return { label, jobsPerHour, aware, agnostic, ratio: aware.avgJctSec > 0 ? agnostic.avgJctSec / aware.avgJctSec : 0 };
}

export interface RateSweepOptions {
  rates: number[];
  jobs: number;
  seed: number;
  multiGpu?: boolean;
  /** Fraction of jobs at each end left out of the average (warm-up and drain); default 0.2. */
  trim?: number;
}

export function rateSweep(t: GavelThroughputs, solver: LpSolver, o: RateSweepOptions): GavelComparison[] {
  const trim = o.trim ?? 0.2;
  return o.rates.map((rate) => {
    const jobs = generateGavelJobs(t, { jobsPerHour: rate, count: o.jobs, seed: o.seed, multiGpu: o.multiGpu ?? false });
    const measure = { from: Math.floor(o.jobs * trim), to: Math.ceil(o.jobs * (1 - trim)) };
    return compareOnJobs(`${rate} jobs/h`, rate, jobs, t, solver, measure);
  });
}
