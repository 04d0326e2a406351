/**
 * Gavel's round-based mechanism: an allocation X says what fraction of time each job should spend on
 * each chip type; each round, jobs are given the type where they are furthest behind that target.
 * Priority of (job m, type j) = X[m][j] / (share of m's past rounds spent on j); a pair the job has
 * never had gets the highest priority (ordered by X). Pairs are taken in priority order while the
 * type has free cards for the job's scale factor; a job runs on at most one type per round.
 */
export interface RoundJob {
  /** Row of this job in the allocation matrix. */
  row: number;
  /** Cards the job needs on whichever type it gets. */
  scaleFactor: number;
  /** Seconds the job has run on each type so far (length = types). */
  receivedSec: ArrayLike<number>;
}

/** The type chosen for each job this round, by position in `jobs`; -1 = not scheduled this round. */
export type RoundAssignment = Int32Array;

export function placeRound(allocation: ArrayLike<number>, types: number, jobs: RoundJob[], freeCards: ArrayLike<number>): RoundAssignment {
  const free = Float64Array.from(freeCards);
  const pairJob: number[] = [];
  const pairType: number[] = [];
  const pairPriority: number[] = [];
  for (let k = 0; k < jobs.length; k++) {
    const job = jobs[k]!;
    let total = 0;
    for (let j = 0; j < types; j++) total += job.receivedSec[j] as number;
    for (let j = 0; j < types; j++) {
      const x = allocation[job.row * types + j] as number;
      if (!(x > 1e-6)) continue;
      const got = total > 0 ? (job.receivedSec[j] as number) / total : 0;
      pairJob.push(k);
      pairType.push(j);
      // Never-received pairs first (1e9 dwarfs any finite ratio), larger targets first among them.
      pairPriority.push(got > 0 ? x / got : 1e9 * x);
    }
  }
  const order = Array.from(pairJob.keys()).sort((a, b) => (pairPriority[b] as number) - (pairPriority[a] as number) || (pairJob[a] as number) - (pairJob[b] as number));
  const out = new Int32Array(jobs.length).fill(-1);
  for (const p of order) {
    const k = pairJob[p] as number;
    if ((out[k] as number) >= 0) continue;
    const j = pairType[p] as number;
    const s = jobs[k]!.scaleFactor;
    if ((free[j] as number) >= s) {
      free[j] = (free[j] as number) - s;
      out[k] = j;
    }
  }
  return out;
}
