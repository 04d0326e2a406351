/**
 * One allocation round: build the policy's LP, solve it with HiGHS, read X back. An LP that is not
 * proved optimal (infeasible deadlines, numerical failure, time limit) or that throws falls back to
 * the named simple policy (`equal-share` by default), and the result says so and why.
 */
import { invalid } from '../../lib/errors.js';
import { agnosticMaxMin } from './agnostic.js';
import { groupIdenticalJobs } from './aggregate.js';
import { maxMinFairness, minCostDeadline, minMakespan, xName, type Formulation } from './formulations.js';
import type { LpSolution, LpSolver } from './highs.js';
import { AllocationPolicy, checkProblem, effectiveThroughput, type AllocationProblem, type AllocationResult } from './problem.js';

export interface AllocateOptions {
  /** Simple policy used when the LP fails; only `equal-share` exists today. */
  fallback?: typeof AllocationPolicy.equalShare;
  /** HiGHS time limit per round, seconds. */
  timeLimitSec?: number;
  /**
   * HiGHS algorithm. Default 'ipm' (interior point, then crossover to a vertex): on 2,000 x 12
   * max-min fairness it measured 2-3x faster than the default dual simplex (bench/lp-speed.ts).
   * Crossover stays on: without it HiGHS 1.15 reported non-optimal statuses on tiny problems.
   */
  algorithm?: 'ipm' | 'simplex';
  /** Deadline given to jobs without one, for `min-cost-deadline`; default 7 days. */
  horizonSec?: number;
  /**
   * Max-min fairness variant. 'equal-share' (default): Tessera's formulation (normalised by the
   * equal-share throughput, tie-breaker, vertex solution). 'gavel': Gavel's code as written
   * (`policies/max_min_fairness.py`): the agnostic policy with every throughput 1 and scale
   * factors in the objective, the aware one normalised by each job's throughput under that
   * agnostic allocation, no tie-breaker, and HiGHS's interior point without crossover, so a
   * degenerate optimum lands inside the optimal face as with Gavel's ECOS, not at a vertex.
   */
  normalisation?: 'equal-share' | 'gavel';
}

/**
 * Equal share: each job's time is spread over the types it can run on in proportion to their card
 * counts, scaled down uniformly when the jobs ask for more cards than exist, then each type is
 * scaled to its capacity. Always feasible, never optimal for anything: the fallback.
 */
export function equalShare(p: AllocationProblem): Float64Array {
  const { m, n } = checkProblem(p);
  const x = new Float64Array(m * n);
  let total = 0;
  for (let j = 0; j < n; j++) total += p.capacity[j] as number;
  let demand = 0;
  for (let i = 0; i < m; i++) demand += p.scaleFactor[i] as number;
  const f = demand > 0 ? Math.min(1, total / demand) : 0;
  for (let i = 0; i < m; i++) {
    let cards = 0;
    for (let j = 0; j < n; j++) if ((p.throughput[i * n + j] as number) > 0) cards += p.capacity[j] as number;
    if (cards <= 0) continue;
    for (let j = 0; j < n; j++) if ((p.throughput[i * n + j] as number) > 0) x[i * n + j] = (f * (p.capacity[j] as number)) / cards;
  }
  for (let j = 0; j < n; j++) {
    let used = 0;
    for (let i = 0; i < m; i++) used += (p.scaleFactor[i] as number) * (x[i * n + j] as number);
    const cap = p.capacity[j] as number;
    if (used > cap && used > 0) for (let i = 0; i < m; i++) x[i * n + j] = ((x[i * n + j] as number) * cap) / used;
  }
  return x;
}

function formulate(policy: AllocationPolicy, p: AllocationProblem, o: AllocateOptions, isolated: ArrayLike<number> | null): Formulation {
  switch (policy) {
    case AllocationPolicy.maxMinFairness:
      return maxMinFairness(p, true, isolated ? { gavel: { isolatedThroughput: isolated } } : {});
    case AllocationPolicy.maxMinFairnessAgnostic:
      return maxMinFairness(p, false, o.normalisation === 'gavel' ? { gavel: { isolatedThroughput: [] } } : {});
    case AllocationPolicy.minMakespan:
      if (!p.remainingWork) throw invalid('min-makespan needs remainingWork per job');
      return minMakespan(p);
    case AllocationPolicy.minCostDeadline:
      if (!p.remainingWork) throw invalid('min-cost-deadline needs remainingWork per job');
      if (!p.pricePerCardHour) throw invalid('min-cost-deadline needs pricePerCardHour per chip type');
      return minCostDeadline(p, o.horizonSec ?? 7 * 24 * 3600);
    case AllocationPolicy.equalShare:
      throw new Error('equal-share has no LP');
  }
}

/** Allocates one round. Input errors (wrong shapes, missing fields) throw; solver trouble falls back. */
export function allocate(policy: AllocationPolicy, p: AllocationProblem, solver: LpSolver, options: AllocateOptions = {}): AllocationResult {
  const { m, n } = checkProblem(p);
  const fallback = options.fallback ?? AllocationPolicy.equalShare;
  const fallBack = (reason: string, lpChars: number): AllocationResult => {
    const x = equalShare(p);
    return { policy, solvedBy: fallback, status: 'fallback', fallbackReason: reason, objective: null, allocation: x, effectiveThroughput: effectiveThroughput(p, x), lpChars };
  };
  if (policy === AllocationPolicy.equalShare) {
    const x = equalShare(p);
    return { policy, solvedBy: policy, status: 'optimal', objective: null, allocation: x, effectiveThroughput: effectiveThroughput(p, x), lpChars: 0 };
  }
  const gavel = options.normalisation === 'gavel';
  if (gavel && policy === AllocationPolicy.maxMinFairnessAgnostic) {
    const closed = agnosticMaxMin(p);
    if (closed) return { policy, solvedBy: policy, status: 'optimal', objective: closed.objective, allocation: closed.allocation, effectiveThroughput: effectiveThroughput(p, closed.allocation), lpChars: 0 };
  }
  const isolated = gavel && policy === AllocationPolicy.maxMinFairness ? isolatedThroughput(p, solver, options) : null;
  if (isolated) {
    const g = groupIdenticalJobs(p, isolated);
    if (g.reduced.jobIds.length < m) {
      const r = solveLp(policy, g.reduced, g.isolated, solver, options);
      if (r.status !== 'optimal') return fallBack(r.reason, r.lpChars);
      const x = new Float64Array(m * n);
      for (let i = 0; i < m; i++) x.set(r.x.subarray((g.classOf[i] as number) * n, (g.classOf[i] as number) * n + n), i * n);
      return { policy, solvedBy: policy, status: 'optimal', objective: r.objective, allocation: x, effectiveThroughput: effectiveThroughput(p, x), lpChars: r.lpChars };
    }
  }
  const r = solveLp(policy, p, isolated, solver, options);
  if (r.status !== 'optimal') return fallBack(r.reason, r.lpChars);
  if (policy === AllocationPolicy.maxMinFairnessAgnostic && !gavel) spreadOverTypes(p, r.x);
  return { policy, solvedBy: policy, status: 'optimal', objective: r.objective, allocation: r.x, effectiveThroughput: effectiveThroughput(p, r.x), lpChars: r.lpChars };
}

type LpOutcome = { status: 'optimal'; x: Float64Array; objective: number | null; lpChars: number } | { status: 'failed'; reason: string; lpChars: number };

function solveLp(policy: AllocationPolicy, p: AllocationProblem, isolated: ArrayLike<number> | null, solver: LpSolver, options: AllocateOptions): LpOutcome {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const gavel = options.normalisation === 'gavel';
  const f = formulate(policy, p, options, isolated);
  // Nothing can run anywhere: the empty allocation is the only one, and it is exact.
  if (f.cells.length === 0) return { status: 'optimal', x: new Float64Array(m * n), objective: null, lpChars: f.text.length };
  let solution;
  const solve = (crossover: boolean): LpSolution =>
    solver.solve(f.text, {
      solver: options.algorithm ?? 'ipm',
      // These LPs are small-coefficient and well scaled; HiGHS's presolve found nothing to remove
      // and took half the round on 2,000 x 12 max-min fairness (1560 -> 710 ms CPU, same optimum).
      presolve: 'off',
      ...(crossover ? {} : { run_crossover: 'off' as const }),
      ...(options.timeLimitSec !== undefined ? { time_limit: options.timeLimitSec } : {}),
    });
  try {
    // Gavel mode: interior point without crossover (ECOS-like); if HiGHS cannot certify that
    // point optimal, the vertex from a crossover run is still the same optimum value.
    solution = solve(!gavel);
    if (gavel && solution.Status !== 'Optimal') solution = solve(true);
  } catch (e) {
    return { status: 'failed', reason: `HiGHS failed: ${e instanceof Error ? e.message : String(e)}`, lpChars: f.text.length };
  }
  if (solution.Status !== 'Optimal') return { status: 'failed', reason: `HiGHS status: ${solution.Status}`, lpChars: f.text.length };
  const x = new Float64Array(m * n);
  const cols = solution.Columns;
  for (const c of f.cells) {
    const col = cols[xName(Math.floor(c / n), c % n)];
    // Clamp solver noise (tolerance 1e-7) so rows never exceed 1 or go negative in the output.
    const v = col && 'Primal' in col && typeof col.Primal === 'number' ? col.Primal : 0;
    x[c] = v < 1e-9 ? 0 : v > 1 ? 1 : v;
  }
  return { status: 'optimal', x, objective: solution.ObjectiveValue, lpChars: f.text.length };
}

/**
 * The agnostic LP only fixes each job's time share: every split over chip types is equally optimal
 * to it, and a vertex solution piles jobs on whichever type comes first (K80 in Gavel's matrix).
 * A heterogeneity-agnostic scheduler is indifferent, not biased, so each job's share is spread over
 * the types it can run on in proportion to their cards, then each type is scaled to its capacity.
 */
function spreadOverTypes(p: AllocationProblem, x: Float64Array): void {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  for (let i = 0; i < m; i++) {
    let share = 0;
    let cards = 0;
    for (let j = 0; j < n; j++) {
      share += x[i * n + j] as number;
      if ((p.throughput[i * n + j] as number) > 0) cards += p.capacity[j] as number;
    }
    for (let j = 0; j < n; j++) x[i * n + j] = cards > 0 && (p.throughput[i * n + j] as number) > 0 ? (share * (p.capacity[j] as number)) / cards : 0;
  }
  for (let j = 0; j < n; j++) {
    let used = 0;
    for (let i = 0; i < m; i++) used += (p.scaleFactor[i] as number) * (x[i * n + j] as number);
    const cap = p.capacity[j] as number;
    if (used > cap && used > 0) for (let i = 0; i < m; i++) x[i * n + j] = ((x[i * n + j] as number) * cap) / used;
  }
}

/**
 * Gavel's normaliser (`x_isolated` in `MaxMinFairnessPolicyWithPerf`): each job's throughput under
 * the heterogeneity-agnostic max-min allocation of the same jobs.
 */
export function isolatedThroughput(p: AllocationProblem, solver: LpSolver, o: AllocateOptions = {}): Float64Array {
  const closed = agnosticMaxMin(p);
  if (closed) return effectiveThroughput(p, closed.allocation);
  const r = allocate(AllocationPolicy.maxMinFairnessAgnostic, p, solver, { ...o, normalisation: 'gavel' });
  return r.effectiveThroughput;
}
