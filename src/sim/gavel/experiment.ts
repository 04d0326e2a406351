/**
 * Gavel's headline experiment (OSDI'20, Figure 8; `scripts/sweeps/run_sweep_continuous.py -s 4000
 * -e 5000 -c 36:36:36 -a 0.0 -b 6.0 -n 16 -p max_min_fairness max_min_fairness_perf --seeds 0 1 2`):
 * heterogeneity-aware max-min fairness (LAS) against the agnostic version on 36 K80 + 36 P100 +
 * 36 V100, average JCT of jobs 4000..4999 of one continuous Poisson run, per input job rate. Both
 * policies see the same jobs (same seed).
 */
import { AllocationPolicy, type AllocateOptions, type LpSolver } from '../../sched/lp/index.js';
import { gavelKey, type GavelThroughputs, type GavelTraceJob } from '../traces/gavel.js';
import { gavelJobStream } from './arrivals.js';
import { simulateGavel, type GavelJobStream, type GavelSimJob, type GavelSimResult } from './round-sim.js';

export const GAVEL_CLUSTER = { k80: 36, p100: 36, v100: 36 } as const;
/** Gavel's measurement window for Figure 8: job ids 4000..4999 of one continuous run. */
export const GAVEL_FIG8_WINDOW = { from: 4000, to: 5000 } as const;

export interface GavelComparison {
  label: string;
  jobsPerHour: number | null;
  seed: number | null;
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

export interface CompareOptions {
  measure?: { from: number; to: number };
  allocateOptions?: AllocateOptions;
  seed?: number;
}

/** Runs both policies on the same jobs; `jobs` may be a factory of fresh streams (one per policy). */
export function compareOnJobs(label: string, jobsPerHour: number | null, jobs: GavelSimJob[] | (() => GavelJobStream), t: GavelThroughputs, solver: LpSolver, o: CompareOptions | { from: number; to: number } = {}): GavelComparison {
  const opts: CompareOptions = 'from' in o ? { measure: o } : o;
  const capacity = t.workerTypes.map((w) => (GAVEL_CLUSTER as Record<string, number>)[w] ?? 0);
  // Gavel's `_schedule_jobs_on_workers` fills ["v100", "p100", "k80"] in that order for the aware policies.
  const gavelOrder = ['v100', 'p100', 'k80'].map((w) => t.workerTypes.indexOf(w));
  const typeOrder = gavelOrder.every((j) => j >= 0) && t.workerTypes.length === 3 ? gavelOrder : undefined;
  const run = (policy: AllocationPolicy): GavelSimResult =>
    simulateGavel(typeof jobs === 'function' ? jobs() : jobs, {
      workerTypes: t.workerTypes,
      capacity,
      policy,
      solver,
      seed: opts.seed ?? 0,
      ...(typeOrder ? { typeOrder } : {}),
      ...(opts.measure ? { measure: opts.measure } : {}),
      ...(opts.allocateOptions ? { allocateOptions: opts.allocateOptions } : {}),
    });
  const aware = run(AllocationPolicy.maxMinFairness);
  const agnostic = run(AllocationPolicy.maxMinFairnessAgnostic);
  return { label, jobsPerHour, seed: opts.seed ?? null, aware, agnostic, ratio: aware.avgJctSec > 0 ? agnostic.avgJctSec / aware.avgJctSec : 0 };
}

export interface RateSweepOptions {
  /** Input job rates, jobs/hour. */
  rates: number[];
  /** Measurement window (job indices in arrival order); Gavel's is 4000..5000. */
  window: { from: number; to: number };
  seeds: number[];
  multiGpu?: boolean;
  /** Default 'gavel' (Gavel's LP as written); 'equal-share' is Tessera's own formulation. */
  normalisation?: 'equal-share' | 'gavel';
  onResult?: (c: GavelComparison) => void;
}

/** One comparison per (rate, seed), Gavel's continuous generator feeding jobs until the window is done. */
export function rateSweep(t: GavelThroughputs, solver: LpSolver, o: RateSweepOptions): GavelComparison[] {
  const out: GavelComparison[] = [];
  for (const rate of o.rates) {
    for (const seed of o.seeds) {
      const factory = (): GavelJobStream => gavelJobStream(t, { jobsPerHour: rate, seed, multiGpu: o.multiGpu ?? false });
      const c = compareOnJobs(`${rate} jobs/h`, rate, factory, t, solver, { measure: o.window, seed, allocateOptions: { normalisation: o.normalisation ?? 'gavel' } });
      o.onResult?.(c);
      out.push(c);
    }
  }
  return out;
}
