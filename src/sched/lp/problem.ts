/**
 * The input and output of a round-based allocation policy, in Gavel's terms: a throughput matrix
 * (job x chip type), the cards each job needs (its scale factor), priority weights and the fleet's
 * cards per type. The output is, per job, the fraction of the next rounds it should spend on each
 * chip type (Gavel's allocation matrix X); a round-based placement then follows it.
 */
import { invalid } from '../../lib/errors.js';

export interface AllocationProblem {
  jobIds: string[];
  chipTypes: string[];
  /**
   * Row-major `jobs x chipTypes`: job m's work rate (steps/s, or any per-job unit) when it holds its
   * `scaleFactor[m]` cards of type j. 0 means the job cannot run on that type.
   */
  throughput: ArrayLike<number>;
  /** Cards each job occupies while running (Gavel's scale factor). */
  scaleFactor: ArrayLike<number>;
  /** Priority weight (Gavel's); higher weight, larger share. Default 1. */
  weight?: ArrayLike<number>;
  /** Cards available per chip type. */
  capacity: ArrayLike<number>;
  /** Work left per job, in the throughput's unit (steps); makespan and cost need it. */
  remainingWork?: ArrayLike<number>;
  /** Time left to each job's deadline, seconds; null or absent = none (cost policy then uses its horizon). */
  deadlineSec?: ArrayLike<number | null>;
  /** Price per card-hour per chip type (any currency); the cost policy needs it. */
  pricePerCardHour?: ArrayLike<number>;
}

export const AllocationPolicy = {
  maxMinFairness: 'max-min-fairness',
  maxMinFairnessAgnostic: 'max-min-fairness-agnostic',
  minMakespan: 'min-makespan',
  minCostDeadline: 'min-cost-deadline',
  equalShare: 'equal-share',
} as const;
export type AllocationPolicy = (typeof AllocationPolicy)[keyof typeof AllocationPolicy];

export interface AllocationResult {
  /** The policy that was asked for. */
  policy: AllocationPolicy;
  /** The policy whose allocation this is: the asked one, or the fallback. */
  solvedBy: AllocationPolicy;
  /** 'optimal' when HiGHS proved optimality; 'fallback' when the LP was infeasible or failed. */
  status: 'optimal' | 'fallback';
  /** Why the fallback was used (HiGHS status or error), when it was. */
  fallbackReason?: string;
  /** The LP's objective value as defined by the policy (see each policy), null for a fallback. */
  objective: number | null;
  /** Row-major `jobs x chipTypes` time fractions; each row sums to at most 1. */
  allocation: Float64Array;
  /** Per job: sum_j throughput * allocation, the work rate the allocation gives. */
  effectiveThroughput: Float64Array;
  /** The LP text's size, for diagnostics. */
  lpChars: number;
}

/** Checks shapes and values once, so every policy can index without guards. */
export function checkProblem(p: AllocationProblem): { m: number; n: number } {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const need = (name: string, arr: ArrayLike<unknown> | undefined, len: number): void => {
    if (arr !== undefined && arr.length !== len) throw invalid(`allocation problem: ${name} has ${arr.length} entries, expected ${len}`);
  };
  need('throughput', p.throughput, m * n);
  need('scaleFactor', p.scaleFactor, m);
  need('weight', p.weight, m);
  need('capacity', p.capacity, n);
  need('remainingWork', p.remainingWork, m);
  need('deadlineSec', p.deadlineSec, m);
  need('pricePerCardHour', p.pricePerCardHour, n);
  for (let i = 0; i < m * n; i++) {
    const t = p.throughput[i] as number;
    if (!(t >= 0) || !Number.isFinite(t)) throw invalid(`allocation problem: throughput of job ${p.jobIds[Math.floor(i / n)]} on ${p.chipTypes[i % n]} must be a finite number >= 0`);
  }
  for (let i = 0; i < m; i++) {
    const s = p.scaleFactor[i] as number;
    if (!(s >= 1) || !Number.isFinite(s)) throw invalid(`allocation problem: scaleFactor of job ${p.jobIds[i]} must be >= 1`);
    const w = p.weight?.[i];
    if (w !== undefined && !(w > 0 && Number.isFinite(w))) throw invalid(`allocation problem: weight of job ${p.jobIds[i]} must be > 0`);
  }
  for (let j = 0; j < n; j++) {
    const c = p.capacity[j] as number;
    if (!(c >= 0) || !Number.isFinite(c)) throw invalid(`allocation problem: capacity of ${p.chipTypes[j]} must be >= 0`);
  }
  return { m, n };
}

export function effectiveThroughput(p: AllocationProblem, x: Float64Array): Float64Array {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (p.throughput[i * n + j] as number) * (x[i * n + j] as number);
    out[i] = s;
  }
  return out;
}

/**
 * Gavel's normalisation: the throughput a job would get on an equal share of the fleet, i.e. its time
 * spread over chip types in proportion to their card counts. Types it cannot run on are left out.
 */
export function equalShareThroughput(p: AllocationProblem): Float64Array {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let cards = 0;
    let rate = 0;
    for (let j = 0; j < n; j++) {
      const t = p.throughput[i * n + j] as number;
      if (t > 0) {
        cards += p.capacity[j] as number;
        rate += t * (p.capacity[j] as number);
      }
    }
    out[i] = cards > 0 ? rate / cards : 0;
  }
  return out;
}
