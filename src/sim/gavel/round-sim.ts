/**
 * Gavel's round-based simulation (Narayanan et al., OSDI'20, section 5; `scheduler.py` `simulate`):
 * time advances in rounds (6 minutes by default); when the set of active jobs changed, the
 * mechanism's per-job time is reset and the policy's allocation X is recomputed; then Gavel's
 * priority mechanism (./mechanism.ts) places jobs on types. A job progresses at its measured
 * throughput on the type it holds; one that finishes mid-round frees its cards at the round's end.
 * Arrivals are admitted at round starts (a job arriving mid-round waits for the next round).
 *
 * Jobs come either as a finite list (a trace) or as an endless stream (Gavel's generator, which
 * keeps producing arrivals until every job of the measurement window has finished, so the load
 * never drains while the window is measured, as in `run_sweep_continuous.py -s 4000 -e 5000`).
 *
 * Differences from Gavel's simulator, kept on purpose: rounds always last `roundSec` (Gavel ends a
 * round early when every job in it finished early, which under load almost never happens), and an
 * idle cluster waits for the next round boundary rather than jumping to the arrival time.
 */
import { allocate, type AllocateOptions, type AllocationProblem, type LpSolver } from '../../sched/lp/index.js';
import { AllocationPolicy } from '../../sched/lp/index.js';
import { seededRng } from '../../lib/rng.js';
import { GavelMechanism, type MechanismJob } from './mechanism.js';

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

/** An endless source of jobs in arrival order (Gavel's continuous generator). */
export interface GavelJobStream {
  next(): GavelSimJob;
}

export interface GavelSimConfig {
  workerTypes: string[];
  /** Cards per worker type. */
  capacity: number[];
  policy: AllocationPolicy;
  solver: LpSolver;
  roundSec?: number;
  /** Stop once these jobs (indices in arrival order) have finished; required for a stream. */
  measure?: { from: number; to: number };
  /** Safety stop, in rounds; default 1e6. */
  maxRounds?: number;
  /** Options for each round's LP (e.g. `normalisation: 'gavel'`). */
  allocateOptions?: AllocateOptions;
  /** Type indices in the order the aware policy fills them; default fastest (mean throughput) first. */
  typeOrder?: number[];
  /** Seed for the agnostic policy's per-round type shuffle; default 0. */
  seed?: number;
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
  /** Per job, in arrival order: completion minus arrival, NaN if unfinished or unrunnable. */
  jctSec: Float64Array;
  /** Card-seconds busy per worker type. */
  busyCardSec: Float64Array;
  /** Active jobs when the window's first job arrived and when its last job finished (steady state: similar). */
  activeAtWindowStart: number;
  activeAtWindowEnd: number;
  /** Busy share of all cards between those two moments (0..1). */
  windowUtilisation: number;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

interface Active extends MechanismJob {
  k: number;
  job: GavelSimJob;
  done: number;
}

/** Type indices by mean measured throughput over the jobs given, fastest first (Gavel: V100, P100, K80). */
export function fastestFirst(jobs: GavelSimJob[], n: number): number[] {
  const mean = new Float64Array(n);
  for (const job of jobs) for (let j = 0; j < n; j++) mean[j] = (mean[j] as number) + (job.throughput[j] as number);
  return Array.from({ length: n }, (_, j) => j).sort((a, b) => (mean[b] as number) - (mean[a] as number) || a - b);
}

export function simulateGavel(input: GavelSimJob[] | GavelJobStream, cfg: GavelSimConfig): GavelSimResult {
  const roundSec = cfg.roundSec ?? 360;
  const n = cfg.workerTypes.length;
  const stream = Array.isArray(input) ? null : input;
  if (stream && !cfg.measure) throw new Error('simulateGavel: a job stream needs a measurement window');
  const list = Array.isArray(input) ? [...input].sort((a, b) => a.arrivalSec - b.arrivalSec) : [];
  const jobs: GavelSimJob[] = stream ? [] : list;
  const peek = (k: number): GavelSimJob | undefined => {
    if (stream) while (jobs.length <= k) jobs.push(stream.next());
    return jobs[k];
  };
  const from = cfg.measure?.from ?? 0;
  const to = stream ? (cfg.measure?.to ?? 0) : Math.min(list.length, cfg.measure?.to ?? list.length);
  const jct: number[] = [];
  const busy = new Float64Array(n);
  const unrunnable: string[] = [];
  // A stream's first 200 jobs stand for its mix (they are generated now instead of later, same jobs).
  const typeOrder = cfg.typeOrder ?? fastestFirst(stream ? Array.from({ length: 200 }, (_, k) => peek(k) as GavelSimJob) : list, n);
  const mech = new GavelMechanism(cfg.capacity, typeOrder);
  const shuffle = cfg.policy === AllocationPolicy.maxMinFairnessAgnostic ? seededRng(cfg.seed ?? 0) : null;
  let active: Active[] = [];
  let next = 0;
  let t = 0;
  let rounds = 0;
  let lpSolves = 0;
  let fallbacks = 0;
  let measuredLeft = to - from;
  let finished = 0;
  let lastFinish = 0;
  let dirty = true;
  let windowStartSec = -1;
  let windowEndSec = -1;
  let activeAtWindowStart = 0;
  let activeAtWindowEnd = 0;
  let busyAtWindowStart = 0;
  let busyAtWindowEnd = 0;
  const maxRounds = cfg.maxRounds ?? 1e6;
  const totalCards = cfg.capacity.reduce((a, b) => a + b, 0);
  const busyTotal = (): number => busy.reduce((a, b) => a + b, 0);

  const runnable = (job: GavelSimJob): boolean => {
    for (let j = 0; j < n; j++) if ((job.throughput[j] as number) > 0 && job.scaleFactor <= (cfg.capacity[j] as number)) return true;
    return false;
  };
  const windowJobDone = (k: number, atSec: number): void => {
    if (k < from || k >= to) return;
    measuredLeft--;
    if (measuredLeft === 0) {
      windowEndSec = atSec;
      activeAtWindowEnd = active.length;
      busyAtWindowEnd = busyTotal();
    }
  };
  const more = (): boolean => (stream ? true : next < list.length);

  while ((measuredLeft > 0 || (cfg.measure === undefined && (active.length > 0 || more()))) && rounds < maxRounds) {
    for (let job = peek(next); job !== undefined && job.arrivalSec <= t; job = peek(next)) {
      if (next === from) {
        windowStartSec = t;
        activeAtWindowStart = active.length;
        busyAtWindowStart = busyTotal();
      }
      jct[next] = Number.NaN;
      if (runnable(job)) active.push({ k: next, job, done: 0, scaleFactor: job.scaleFactor, throughput: rowFor(job, n, cfg.capacity), timeSinceReset: new Float64Array(n).fill(roundSec / 2), deficit: new Float64Array(n), allocation: new Float64Array(n) });
      else {
        unrunnable.push(job.id);
        windowJobDone(next, t);
      }
      next++;
      dirty = true;
    }
    if (active.length === 0) {
      const job = peek(next);
      if (job === undefined) break;
      t = Math.max(t + roundSec, Math.ceil(job.arrivalSec / roundSec) * roundSec);
      continue;
    }
    if (dirty) {
      mech.reset(active, t, roundSec);
      const problem: AllocationProblem = {
        jobIds: active.map((a) => a.job.id),
        chipTypes: cfg.workerTypes,
        throughput: concatRows(active.map((a) => a.throughput), n),
        scaleFactor: active.map((a) => a.scaleFactor),
        weight: active.map((a) => a.job.weight),
        capacity: cfg.capacity,
        remainingWork: active.map((a) => a.job.totalSteps - a.done),
      };
      const r = allocate(cfg.policy, problem, cfg.solver, cfg.allocateOptions);
      lpSolves++;
      if (r.status === 'fallback') fallbacks++;
      active.forEach((a, row) => a.allocation.set(r.allocation.subarray(row * n, row * n + n)));
      dirty = false;
    }
    const assign = mech.place(active, shuffle);
    const still: Active[] = [];
    const doneNow: Array<[number, number]> = [];
    for (let i = 0; i < active.length; i++) {
      const a = active[i] as Active;
      const j = assign[i] as number;
      if (j < 0) {
        still.push(a);
        continue;
      }
      const rate = a.throughput[j] as number;
      const need = (a.job.totalSteps - a.done) / rate;
      const ran = Math.min(need, roundSec);
      mech.ran(a, j, ran);
      busy[j] = (busy[j] as number) + ran * a.scaleFactor;
      if (need <= roundSec) {
        a.done = a.job.totalSteps;
        jct[a.k] = t + need - a.job.arrivalSec;
        lastFinish = Math.max(lastFinish, t + need);
        finished++;
        doneNow.push([a.k, t + need]);
        dirty = true;
      } else {
        a.done += rate * roundSec;
        still.push(a);
      }
    }
    active = still;
    for (const [k, at] of doneNow) windowJobDone(k, at);
    t += roundSec;
    rounds++;
    cfg.onRound?.(rounds, active.length, finished);
  }
  const jctSec = Float64Array.from({ length: jobs.length }, (_, k) => jct[k] ?? Number.NaN);
  const measured: number[] = [];
  for (let k = from; k < Math.min(to, jobs.length); k++) if (!Number.isNaN(jctSec[k] as number)) measured.push(jctSec[k] as number);
  measured.sort((a, b) => a - b);
  const avg = measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : 0;
  const span = windowEndSec > windowStartSec && windowStartSec >= 0 ? windowEndSec - windowStartSec : 0;
  return {
    policy: cfg.policy,
    jobs: jobs.length,
    measuredJobs: measured.length,
    avgJctSec: avg,
    p50JctSec: quantile(measured, 0.5),
    p99JctSec: quantile(measured, 0.99),
    makespanSec: lastFinish,
    rounds,
    lpSolves,
    fallbacks,
    unrunnable,
    jctSec,
    busyCardSec: busy,
    activeAtWindowStart,
    activeAtWindowEnd,
    windowUtilisation: span > 0 && totalCards > 0 ? Math.min(1, (busyAtWindowEnd - busyAtWindowStart) / (span * totalCards)) : 0,
  };
}

/** The job's throughput row with types too small for its scale factor set to 0 (it cannot run there). */
function rowFor(job: GavelSimJob, n: number, capacity: number[]): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = job.scaleFactor <= (capacity[j] as number) ? (job.throughput[j] as number) : 0;
  return out;
}

function concatRows(rows: ArrayLike<number>[], n: number): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((r, i) => out.set(r as Float64Array, i * n));
  return out;
}
