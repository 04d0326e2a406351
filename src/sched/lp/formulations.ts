/**
 * The LP formulations, after Gavel (Narayanan et al., OSDI'20, "Heterogeneity-Aware Cluster Scheduling
 * Policies for Deep Learning Workloads", section 4). X[m][j] is the fraction of time job m spends on
 * chip type j. Shared constraints (Gavel's base constraints):
 *   0 <= X[m][j],  sum_j X[m][j] <= 1 (a job runs on one type at a time),
 *   sum_m scaleFactor[m] * X[m][j] <= capacity[j] (no type is oversubscribed).
 * A variable exists only where the job can run (throughput > 0).
 */
import { equalShareThroughput, type AllocationProblem } from './problem.js';
import { LpBuilder } from './lp-text.js';

export interface Formulation {
  text: string;
  /** Variable names in row-major order of eligible (job, type) pairs; index = m * n + j. */
  cells: Int32Array;
}

const xName = (m: number, j: number): string => `x${m}_${j}`;

/** Eligible cells: the (job, type) pairs with throughput > 0, as flat indices m * n + j. */
function eligibleCells(p: AllocationProblem, n: number): Int32Array {
  const out: number[] = [];
  const total = p.jobIds.length * n;
  for (let i = 0; i < total; i++) if ((p.throughput[i] as number) > 0) out.push(i);
  return Int32Array.from(out);
}

function baseConstraints(lp: LpBuilder, p: AllocationProblem, cells: Int32Array, n: number): void {
  // Time rows: cells are sorted by job, so each job's cells are contiguous.
  let k = 0;
  while (k < cells.length) {
    const m = Math.floor((cells[k] as number) / n);
    lp.row(`t${m}`);
    while (k < cells.length && Math.floor((cells[k] as number) / n) === m) {
      lp.term(1, xName(m, (cells[k] as number) % n));
      k++;
    }
    lp.end('<=', 1);
  }
  // Capacity rows: one pass bucketing cells by type keeps this linear in the number of cells.
  const byType: number[][] = Array.from({ length: n }, () => []);
  for (const c of cells) byType[c % n]!.push(c);
  for (let j = 0; j < n; j++) {
    const col = byType[j]!;
    if (col.length === 0) continue;
    lp.row(`c${j}`);
    for (const c of col) {
      const m = Math.floor(c / n);
      lp.term(p.scaleFactor[m] as number, xName(m, j));
    }
    lp.end('<=', p.capacity[j] as number);
  }
}

/**
 * Max-min fairness. Heterogeneity-aware (Gavel's `max_min_fairness_perf`): maximise the smallest
 * normalised effective throughput, sum_j T[m][j] X[m][j] / (w_m * T_equal[m]), where T_equal is the
 * job's throughput on an equal share of the fleet. Agnostic (Gavel's `max_min_fairness`): the same
 * with every runnable throughput set to 1, i.e. equalise time shares and ignore chip speed (the
 * caller then spreads each share over the job's types in proportion to their cards; see allocate.ts).
 * A tie-breaker of weight 1e-3/m on the sum of the same normalised throughputs hands spare
 * capacity out instead of leaving it idle at a degenerate vertex; it cannot trade away any of the
 * minimum (its total weight is 1e-3).
 *
 * `gavel` reproduces Gavel's code (`policies/max_min_fairness.py`) term for term instead: the
 * normaliser is the job's throughput under the agnostic allocation (`isolatedThroughput`, Gavel's
 * `x_isolated`), each coefficient is multiplied by the job's scale factor, the weight divides as
 * 1/w, and there is no tie-breaker (Gavel relies on ECOS's interior-point solution; the caller
 * solves without crossover to land at the same kind of point). Note that Gavel's isolated
 * allocation already scales with w/sf, so in its code weights and scale factors act squared;
 * that is what it does, and only the `gavel` mode copies it.
 */
export interface MaxMinOptions {
  gavel?: { isolatedThroughput: ArrayLike<number> };
}

export function maxMinFairness(p: AllocationProblem, aware: boolean, o: MaxMinOptions = {}): Formulation {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const cells = eligibleCells(p, n);
  const gavel = o.gavel;
  const equal = aware ? (gavel ? gavel.isolatedThroughput : equalShareThroughput(p)) : null;
  const coef = (c: number): number => {
    const i = Math.floor(c / n);
    const w = (p.weight?.[i] as number | undefined) ?? 1;
    const sf = gavel ? (p.scaleFactor[i] as number) : 1;
    if (!equal) return sf / w;
    const e = equal[i] as number;
    // A job with no isolated throughput cannot be normalised; it still gets a row, at face value.
    return (sf * (p.throughput[c] as number)) / ((e > 0 ? e : 1) * w);
  };
  const lp = new LpBuilder('maximize');
  lp.term(1, 'z');
  const eps = gavel ? 0 : 1e-3 / Math.max(1, m);
  if (eps > 0) for (const c of cells) lp.term(eps * coef(c), xName(Math.floor(c / n), c % n));
  lp.subjectTo();
  let k = 0;
  while (k < cells.length) {
    const i = Math.floor((cells[k] as number) / n);
    lp.row(`f${i}`);
    while (k < cells.length && Math.floor((cells[k] as number) / n) === i) {
      const c = cells[k] as number;
      lp.term(coef(c), xName(i, c % n));
      k++;
    }
    lp.term(-1, 'z');
    lp.end('>=', 0);
  }
  baseConstraints(lp, p, cells, n);
  return { text: lp.toString(), cells };
}

/**
 * Minimum makespan (Gavel's `min_total_duration`, linearised): with z = 1/makespan in 1/hours,
 * maximise z subject to, per job, sum_j (3600 * T[m][j] / R_m) X[m][j] >= z, where R_m is the
 * work left. Makespan = 1/z hours. Jobs with no work left are left out of the rows.
 */
export function minMakespan(p: AllocationProblem): Formulation {
  const n = p.chipTypes.length;
  const cells = eligibleCells(p, n);
  const lp = new LpBuilder('maximize');
  lp.term(1, 'z');
  lp.subjectTo();
  let k = 0;
  while (k < cells.length) {
    const i = Math.floor((cells[k] as number) / n);
    const r = p.remainingWork?.[i] as number;
    const rows = r > 0;
    if (rows) lp.row(`f${i}`);
    while (k < cells.length && Math.floor((cells[k] as number) / n) === i) {
      const c = cells[k] as number;
      if (rows) lp.term((3600 * (p.throughput[c] as number)) / r, xName(i, c % n));
      k++;
    }
    if (rows) {
      lp.term(-1, 'z');
      lp.end('>=', 0);
    }
  }
  baseConstraints(lp, p, cells, n);
  return { text: lp.toString(), cells };
}

/**
 * Minimum cost under deadlines: minimise the fleet's spend rate, sum_{m,j} price_j * s_m * X[m][j]
 * (per hour), subject to each job finishing by its deadline at the allocated rate:
 * sum_j (T[m][j] * D_m / R_m) X[m][j] >= 1. A job without a deadline gets `horizonSec`.
 * Deadlines the fleet cannot meet make the LP infeasible, and the caller falls back.
 */
export function minCostDeadline(p: AllocationProblem, horizonSec: number): Formulation {
  const n = p.chipTypes.length;
  const cells = eligibleCells(p, n);
  const lp = new LpBuilder('minimize');
  for (const c of cells) {
    const i = Math.floor(c / n);
    const j = c % n;
    lp.term((p.pricePerCardHour?.[j] as number) * (p.scaleFactor[i] as number), xName(i, j));
  }
  lp.subjectTo();
  let k = 0;
  while (k < cells.length) {
    const i = Math.floor((cells[k] as number) / n);
    const r = p.remainingWork?.[i] as number;
    const d = (p.deadlineSec?.[i] as number | null | undefined) ?? horizonSec;
    const rows = r > 0;
    if (rows) lp.row(`d${i}`);
    while (k < cells.length && Math.floor((cells[k] as number) / n) === i) {
      const c = cells[k] as number;
      if (rows) lp.term(((p.throughput[c] as number) * d) / r, xName(i, c % n));
      k++;
    }
    if (rows) lp.end('>=', 1);
  }
  baseConstraints(lp, p, cells, n);
  return { text: lp.toString(), cells };
}

export { xName };
