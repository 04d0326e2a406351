/**
 * Gavel's round-based scheduling mechanism as its simulator runs it (stanford-futuredata/gavel,
 * `scheduler/scheduler.py`: `_reset_time_run_so_far`, `_update_priorities`,
 * `_schedule_jobs_on_workers_helper`, `_schedule_jobs_on_workers`). Our reading of that code:
 * - Each time the allocation X is recomputed (a job arrived or finished), per-job time on each type
 *   is reset to half a round, and the time each job was owed since the last reset
 *   (X * elapsed - time received) is added to its deficit on that type.
 * - Priority of job m on type j = X[m][j] / (time m ran on j / time all jobs ran on j), both since the
 *   last reset; 0 when X[m][j] = 0 or the job cannot run on j.
 * - Types are filled one after the other: V100, P100, K80 (fastest first) for the heterogeneity-aware
 *   ("Perf") policies, in a random order each round for the agnostic ones. On each type, jobs are
 *   taken by (priority, deficit, X) descending, skipping jobs already placed this round, jobs that
 *   cannot run there, and jobs whose scale factor no longer fits. Jobs with priority 0 are still
 *   placed when cards are left over: the mechanism is work-conserving.
 * Not modelled: Gavel's server packing of multi-GPU jobs (`num_gpus_per_server` is 1 in its sweeps).
 */
import type { Rng } from '../../sched/types.js';

export interface MechanismJob {
  scaleFactor: number;
  throughput: ArrayLike<number>;
  /** Seconds run on each type since the last reset (Gavel's `_job_time_so_far`). */
  timeSinceReset: Float64Array;
  /** Gavel's `_deficits` per type. */
  deficit: Float64Array;
  /** This job's row of X (fractions per type). */
  allocation: Float64Array;
}

export class GavelMechanism {
  /** Per type: time all jobs ran on it since the last reset (Gavel's `_worker_time_so_far`). */
  readonly workerTime: Float64Array;
  private lastResetSec = 0;

  constructor(
    private readonly capacity: ArrayLike<number>,
    /** Type indices, fastest first: the order the aware policies fill types in. */
    private readonly fastestFirst: number[],
  ) {
    this.workerTime = new Float64Array(capacity.length);
  }

  /**
   * Called when a new allocation is about to be computed at `nowSec`, with the jobs still active
   * holding their previous X (a new job's X is all zero).
   */
  reset(jobs: MechanismJob[], nowSec: number, roundSec: number): void {
    const elapsed = nowSec - this.lastResetSec;
    const n = this.workerTime.length;
    this.workerTime.fill(0);
    for (const job of jobs) {
      for (let j = 0; j < n; j++) {
        // Gavel starts every job at half a round so a fraction is never 0/0, and ignores it here.
        const received = Math.max(0, (job.timeSinceReset[j] as number) - roundSec / 2);
        job.deficit[j] = (job.deficit[j] as number) + (job.allocation[j] as number) * elapsed - received;
        job.timeSinceReset[j] = roundSec / 2;
        this.workerTime[j] = (this.workerTime[j] as number) + roundSec / 2;
      }
    }
    this.lastResetSec = nowSec;
  }

  /** The type each job runs on this round (-1 = not scheduled); `shuffle` set for agnostic policies. */
  place(jobs: MechanismJob[], shuffle: Rng | null): Int32Array {
    const order = [...this.fastestFirst];
    if (shuffle) {
      for (let i = order.length - 1; i > 0; i--) {
        const k = Math.floor(shuffle.next() * (i + 1));
        [order[i], order[k]] = [order[k] as number, order[i] as number];
      }
    }
    const out = new Int32Array(jobs.length).fill(-1);
    const priority = new Float64Array(jobs.length);
    const idx = Array.from({ length: jobs.length }, (_, i) => i);
    for (const j of order) {
      const wt = this.workerTime[j] as number;
      for (let k = 0; k < jobs.length; k++) {
        const job = jobs[k] as MechanismJob;
        const x = job.allocation[j] as number;
        const frac = wt > 0 ? (job.timeSinceReset[j] as number) / wt : 0;
        priority[k] = x <= 0 || !((job.throughput[j] as number) > 0) ? 0 : frac > 0 ? x / frac : x * 1e9;
      }
      // Stable sort: equal keys keep arrival order, as Python's sorted() does with Gavel's dicts.
      idx.sort((a, b) => (priority[b] as number) - (priority[a] as number) || (jobs[b] as MechanismJob).deficit[j]! - (jobs[a] as MechanismJob).deficit[j]! || (jobs[b] as MechanismJob).allocation[j]! - (jobs[a] as MechanismJob).allocation[j]! || a - b);
      let left = this.capacity[j] as number;
      for (const k of idx) {
        if (left <= 0) break;
        if ((out[k] as number) >= 0) continue;
        const job = jobs[k] as MechanismJob;
        if (!((job.throughput[j] as number) > 0) || job.scaleFactor > left) continue;
        out[k] = j;
        left -= job.scaleFactor;
      }
    }
    return out;
  }

  /** Books `ranSec` of job time on type `j` (Gavel's `_done_callback`). */
  ran(job: MechanismJob, j: number, ranSec: number): void {
    job.timeSinceReset[j] = (job.timeSinceReset[j] as number) + ranSec;
    this.workerTime[j] = (this.workerTime[j] as number) + ranSec;
  }
}
