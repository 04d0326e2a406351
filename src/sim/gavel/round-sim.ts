/**
 * Gavel's round-based simulation (Narayanan et al., OSDI'20, section 5): time advances in rounds
 * (6 minutes by default); at each round the policy's allocation matrix X is recomputed when the set
 * of active jobs changed, then the round placement gives each job the type where it is furthest
 * behind X. A job progresses at its measured throughput on the type it holds; one that finishes
 * mid-round frees its cards only at the round's end (as in Gavel). A job arriving mid-round waits
 * for the next round.
 */
import type { AllocationPolicy} from '../../sched/lp/index.js';
import { allocate, placeRound, type AllocationProblem, type LpSolver } from '../../sched/lp/index.js';

export interface GavelSimJob {
  id: string;
  jobType: string;
  scaleFactor: number;
  totalSteps: number;
  arrivalSec: number;
  weight: number;
  /** Steps/s per worker type at this scale factor (0 = cannot run there). */
  throughput: Float64Array;
}

export interface GavelSimConfig {
  workerTypes: string[];
  /** Cards per worker type. */
  capacity: number[];
  policy: AllocationPolicy;
  solver: LpSolver;
  roundSec?: number;
  /** Stop once these jobs (indices into the sorted input) have finished; default all. */
  measure?: { from: number; to: number };
  /** Safety stop, in rounds; default 1e6. */
  maxRounds?: number;
  onRound?: (round: number, active: number, done: number) => void;
}

export interface GavelSimResult {
  policy: AllocationPolicy;
  jobs: number;
  measuredJobs: number;
  avgJctSec: number;
  p50JctSec: number;
  p99JctSec: number;
  makespanSec: number;
  rounds: number;
  lpSolves: number;
  fallbacks: number;
  /** Jobs that can run on no worker type of this fleet (never placed, left out of the JCTs). */
  unrunnable: string[];
  /** Per job, by sorted input order: completion minus arrival, NaN if unfinished or unrunnable. */
  jctSec: Float64Array;
  /** Card-seconds busy per worker type. */
  busyCardSec: Float64Array;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function simulateGavel(input: GavelSimJob[], cfg: GavelSimConfig): GavelSimResult {
  const roundSec = cfg.roundSec ?? 360;
  const n = cfg.workerTypes.length;
  const jobs = [...input].sort((a, b) => a.arrivalSec - b.arrivalSec);
  const total = jobs.length;
  const from = cfg.measure?.from ?? 0;
  const to = Math.min(total, cfg.measure?.to ?? total);
  const done = new Float64Array(total);
  const jct = new Float64Array(total).fill(Number.NaN);
  const received = jobs.map(() => new Float64Array(n));
  const busy = new Float64Array(n);
  const unrunnable: string[] = [];
  let active: number[] = [];
  let next = 0;
  let t = 0;
  let rounds = 0;
  let lpSolves = 0;
  let fallbacks = 0;
  let measuredLeft = to - from;
  let finished = 0;
  let lastFinish = 0;
  let dirty = true;
  let x: Float64Array = new Float64Array(0);
  let xRows = new Map<number, number>();
  const maxRounds = cfg.maxRounds ?? 1e6;

  const runnable = (k: number): boolean => {
    const job = jobs[k] as GavelSimJob;
    for (let j = 0; j < n; j++) if ((job.throughput[j] as number) > 0 && job.scaleFactor <= (cfg.capacity[j] as number)) return true;
    return false;
  };

  while ((measuredLeft > 0 || (cfg.measure === undefined && (active.length > 0 || next < total))) && rounds < maxRounds) {
    while (next < total && (jobs[next] as GavelSimJob).arrivalSec <= t) {
      if (runnable(next)) active.push(next);
      else {
        unrunnable.push((jobs[next] as GavelSimJob).id);
        if (next >= from && next < to) measuredLeft--;
      }
      next++;
      dirty = true;
    }
    if (active.length === 0) {
      if (next >= total) break;
      t = Math.ceil((jobs[next] as GavelSimJob).arrivalSec / roundSec) * roundSec;
      continue;
    }
    if (dirty) {
      const problem: AllocationProblem = {
        jobIds: active.map((k) => (jobs[k] as GavelSimJob).id),
        chipTypes: cfg.workerTypes,
        throughput: concatRows(active.map((k) => (jobs[k] as GavelSimJob).throughput), n, active.map((k) => (jobs[k] as GavelSimJob).scaleFactor), cfg.capacity),
        scaleFactor: active.map((k) => (jobs[k] as GavelSimJob).scaleFactor),
        weight: active.map((k) => (jobs[k] as GavelSimJob).weight),
        capacity: cfg.capacity,
        remainingWork: active.map((k) => (jobs[k] as GavelSimJob).totalSteps - (done[k] as number)),
      };
      const r = allocate(cfg.policy, problem, cfg.solver);
      lpSolves++;
      if (r.status === 'fallback') fallbacks++;
      x = r.allocation;
      xRows = new Map(active.map((k, row) => [k, row]));
      dirty = false;
    }
    const roundJobs = active.map((k) => ({ row: xRows.get(k) as number, scaleFactor: (jobs[k] as GavelSimJob).scaleFactor, receivedSec: received[k] as Float64Array }));
    const assign = placeRound(x, n, roundJobs, cfg.capacity);
    const still: number[] = [];
    for (let a = 0; a < active.length; a++) {
      const k = active[a] as number;
      const j = assign[a] as number;
      if (j < 0) {
        still.push(k);
        continue;
      }
      const job = jobs[k] as GavelSimJob;
      const rate = job.throughput[j] as number;
      const need = (job.totalSteps - (done[k] as number)) / rate;
      const ran = Math.min(need, roundSec);
      (received[k] as Float64Array)[j] = ((received[k] as Float64Array)[j] as number) + ran;
      busy[j] = (busy[j] as number) + ran * job.scaleFactor;
      if (need <= roundSec) {
        done[k] = job.totalSteps;
        jct[k] = t + need - job.arrivalSec;
        lastFinish = Math.max(lastFinish, t + need);
        finished++;
        if (k >= from && k < to) measuredLeft--;
        dirty = true;
      } else {
        done[k] = (done[k] as number) + rate * roundSec;
        still.push(k);
      }
    }
    active = still;
    t += roundSec;
    rounds++;
    cfg.onRound?.(rounds, active.length, finished);
  }
  const measured: number[] = [];
  for (let k = from; k < to; k++) if (!Number.isNaN(jct[k] as number)) measured.push(jct[k] as number);
  measured.sort((a, b) => a - b);
  const avg = measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : 0;
  return {
    policy: cfg.policy,
    jobs: total,
    measuredJobs: measured.length,
    avgJctSec: avg,
    p50JctSec: quantile(measured, 0.5),
    p99JctSec: quantile(measured, 0.99),
    makespanSec: lastFinish,
    rounds,
    lpSolves,
    fallbacks,
    unrunnable,
    jctSec: jct,
    busyCardSec: busy,
  };
}

/** Rows of the throughput matrix; a type with fewer cards than the job's scale factor is not runnable. */
function concatRows(rows: Float64Array[], n: number, scale: number[], capacity: number[]): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((r, i) => {
    for (let j = 0; j < n; j++) out[i * n + j] = (scale[i] as number) <= (capacity[j] as number) ? (r[j] as number) : 0;
  });
  return out;
}
