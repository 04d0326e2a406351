/**
 * Identical jobs (same throughput row, scale factor, weight and normaliser) are interchangeable in
 * the max-min LP, so an interior-point solution treats them alike, and one class variable per
 * (class, type) replaces one per (job, type): class c with n_c jobs keeps its own time row
 * (sum_j X[c][j] <= 1) and fairness row, and counts n_c * sf_c cards per unit of X in the capacity
 * rows. Averaging any optimal allocation over a class's jobs gives a feasible, equally good
 * symmetric one (the LP is convex), so the optimum value is unchanged. Gavel's simulated jobs come
 * from 26 job types, so a round with hundreds of jobs becomes an LP of at most 26 x 3 variables.
 */
import type { AllocationProblem } from './problem.js';

export interface Classes {
  /** The reduced problem: one row per class, scaleFactor = n_c * sf_c and weight = n_c * w_c, so the
   * gavel-mode objective coefficient sf * T / (w * iso) is the class's own. */
  reduced: AllocationProblem;
  /** Normaliser per class. */
  isolated: Float64Array;
  /** Class index of each job. */
  classOf: Int32Array;
}

export function groupIdenticalJobs(p: AllocationProblem, isolated: ArrayLike<number>): Classes {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  const byKey = new Map<string, number>();
  const classOf = new Int32Array(m);
  const first: number[] = [];
  const count: number[] = [];
  for (let i = 0; i < m; i++) {
    const parts: number[] = [p.scaleFactor[i] as number, (p.weight?.[i] as number | undefined) ?? 1, isolated[i] as number];
    for (let j = 0; j < n; j++) parts.push(p.throughput[i * n + j] as number);
    const key = parts.join(',');
    let c = byKey.get(key);
    if (c === undefined) {
      c = first.length;
      byKey.set(key, c);
      first.push(i);
      count.push(0);
    }
    classOf[i] = c;
    count[c] = (count[c] as number) + 1;
  }
  const k = first.length;
  const throughput = new Float64Array(k * n);
  first.forEach((i, c) => throughput.set(Array.from({ length: n }, (_, j) => p.throughput[i * n + j] as number), c * n));
  const reduced: AllocationProblem = {
    jobIds: first.map((i) => p.jobIds[i] as string),
    chipTypes: p.chipTypes,
    throughput,
    scaleFactor: first.map((i, c) => (count[c] as number) * (p.scaleFactor[i] as number)),
    weight: first.map((i, c) => (count[c] as number) * ((p.weight?.[i] as number | undefined) ?? 1)),
    capacity: p.capacity,
  };
  return { reduced, isolated: Float64Array.from(first, (i) => isolated[i] as number), classOf };
}
