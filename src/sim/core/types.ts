/**
 * The simulator's inputs and outputs. The scheduling contract types (`SchedJob`, `Snapshot`,
 * `ScheduleResult`, ...) come from `sched/`; the simulator calls the same `schedule()` the control
 * plane calls, passed in as a function so that the core depends on the contract only.
 */
import type { QueueConfig, Rng, SchedJob, SchedNode, ScheduleResult, Snapshot } from '../../sched/types.js';

export interface SimJob extends SchedJob {
  /** Run time the trace fixes (seconds); used when `durationOn` gives none for the chosen chip. */
  durationSec?: number;
  /** Deadline relative to submission (seconds), for SLO attainment. */
  deadlineSec?: number;
  /** What kind of work, for reporting: `pretrain`, `finetune`, `inference`, `batch`, ... */
  kind?: string;
  /** The trace says this job fails after running this long; it is then re-queued once. */
  failAfterSec?: number;
}

/** Seconds `job` runs on `cards` cards of `chip`, or undefined when unknown (e.g. the perf model). */
export type DurationFn = (job: SimJob, chip: string, cards: number) => number | undefined;

export interface ScheduleCtx {
  profile: unknown;
  rng: Rng;
  catalog?: unknown;
  perf?: unknown;
}

export type ScheduleFn = (snapshot: Snapshot, queue: SchedJob[], ctx: never) => ScheduleResult;

export interface NodeEvent {
  timeSec: number;
  kind: 'down' | 'up';
  nodeId: string;
}

export interface SimConfig {
  /** The fleet as the scheduler sees it, every card free. The simulator mutates copies. */
  nodes: SchedNode[];
  /** The queue tree for the queueing profiles (`Snapshot.queues`); absent: implicit queues. */
  queues?: QueueConfig[];
  /** Jobs in submission order; streamed (an iterator is read lazily). */
  jobs: Iterable<SimJob>;
  schedule: ScheduleFn;
  ctx: ScheduleCtx;
  /**
   * 'per-call' (default): every round calls `schedule(snapshot, queue, ctx)`, the contract as the
   * control plane uses it. 'persistent': the same engine keeps its cluster view across rounds
   * (see persistent-engine.ts); for large traces. Both give the same decisions.
   */
  engine?: 'per-call' | 'persistent';
  durationOn?: DurationFn;
  /** Price per card-hour per chip id (any one currency); chips without a price leave cost partial. */
  pricePerCardHour?: Record<string, number>;
  /** Board power per card per chip id, watts; energy counts busy card-hours only. */
  powerWPerCard?: Record<string, number>;
  nodeEvents?: NodeEvent[];
  /** Random node loss: each node fails after Exp(mtbfSec) and returns after `repairSec`. */
  nodeFailures?: { mtbfSec: number; repairSec: number; seed: number };
  /** 0: schedule at every event time; > 0: at most once per this many virtual seconds. */
  scheduleIntervalSec?: number;
  /** Pending jobs passed to one `schedule()` call, oldest first; default 5000. */
  queueWindow?: number;
  /** Job ids whose pending reasons are recorded over time (for `sim explain`). */
  watch?: string[];
  onProgress?: (p: SimProgress) => void;
  /** Stop the clock here (seconds); jobs still running are counted unfinished. */
  maxTimeSec?: number;
}

export interface SimProgress {
  nowSec: number;
  jobsSeen: number;
  jobsDone: number;
  pending: number;
  running: number;
}

export interface TimePoint {
  tSec: number;
  allocationRate: number;
  fragmentation: number;
  pending: number;
  running: number;
}

export interface ChipUsage {
  chip: string;
  cards: number;
  /** Busy card-seconds / (cards x makespan). */
  utilisation: number;
  busyCardHours: number;
  /** Null when no price is known for this chip. */
  cost: number | null;
  /** Null when no power figure is known for this chip. */
  energyKWh: number | null;
}

export interface TenantUsage {
  tenant: string;
  jobs: number;
  completed: number;
  cardHours: number;
  /** This tenant's share of all card-hours used. */
  share: number;
  meanJctSec: number | null;
}

export interface SimResult {
  jobs: { seen: number; completed: number; rejected: number; unfinished: number; preemptions: number; failures: number; invalidDecisions: number };
  jctSec: { mean: number | null; p50: number | null; p99: number | null };
  queueDelaySec: { mean: number | null; p50: number | null; p99: number | null };
  makespanSec: number;
  /** Time-averaged allocated cards / schedulable cards (fractional cards count by milli). */
  allocationRate: number;
  /** Time-averaged share of free card capacity stranded on partly used cards (sampled). */
  fragmentation: number;
  perChip: ChipUsage[];
  /** Sum of known chip costs; `costPartial` says whether some chip had no price. */
  cost: number | null;
  costPartial: boolean;
  energyKWh: number | null;
  energyPartial: boolean;
  /** Completed on time / jobs with a deadline; null when no job had one. */
  sloAttainment: number | null;
  perTenant: TenantUsage[];
  /** First rejections, with reasons. */
  rejections: { jobId: string; reason: string }[];
  series: TimePoint[];
  /** For watched jobs: what happened to them (times in seconds; null = did not happen). */
  watched: Record<string, { submitSec: number; startSec: number | null; endSec: number | null; chip: string | null; rejected: string | null }>;
  /** For watched jobs: the reasons each time they stayed pending (deduplicated when unchanged). */
  explain: Record<string, { tSec: number; reasons: { plugin: string; reason: string }[] }[]>;
  scheduleCalls: number;
}
