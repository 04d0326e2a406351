/**
 * The scheduler contract, shared by the simulator (virtual clock) and the control plane (database).
 * Agreed between the scheduler, simulator and control-plane helpers: fields may be added, never removed or renamed.
 */

/** Which chips a job accepts. `any-stack` names software stacks the job has an image for (`cuda`, `cann`, ...). */
export type ChipRequest =
  | { kind: 'pinned'; chip: string }
  | { kind: 'any-of'; chips: string[] }
  | { kind: 'any-stack'; stacks: string[] }
  | { kind: 'any' };

export interface SchedJob {
  id: string;
  tenant: string;
  queue: string;
  priority: number;
  submitTimeSec: number;
  /** Cards in total (1 for a fractional job). */
  cards: number;
  /** 1..1000: share of one card's compute and memory; 1000 = a whole card. */
  milliPerCard: number;
  /** All-or-nothing; may span nodes. A non-gang job with several cards runs on one node. */
  gang: boolean;
  chips: ChipRequest;
  cpuMilli?: number;
  memoryMiB?: number;
  /** For backfill. */
  estimatedDurationSec?: number;
  /** Preemption protection. */
  minRuntimeSec?: number;
  /** Optional workload class, passed to the perf function when the engine chooses the chip. */
  workloadClass?: string;
}

export interface SchedNode {
  id: string;
  chip: string;
  cluster: string;
  rack: string;
  /** Cards per link domain (NVLink/HCCS/ICN island) inside the node. */
  linkDomainSize: number;
  cards: number;
  /** Free milli per device (0..1000), index = device id; running work is already subtracted. */
  freeMilli: number[];
  cpuMilliFree?: number;
  memoryMiBFree?: number;
  schedulable: boolean;
}

export interface Placement {
  nodeId: string;
  devices: number[];
  milliPerDevice: number;
}

export interface Running {
  jobId: string;
  tenant: string;
  queue: string;
  priority: number;
  startTimeSec: number;
  borrowed: boolean;
  placements: Placement[];
  chip: string;
  /** Copied from the job when it started (queueing: backfill reservations and preemption protection). */
  estimatedDurationSec?: number;
  minRuntimeSec?: number;
}

/**
 * A queue in the hierarchy. The queueing plugins (src/sched/queueing) own the meaning of the
 * quota fields; the framework only carries them.
 */
export interface QueueConfig {
  name: string;
  parent?: string;
  [field: string]: unknown;
}

export interface Snapshot {
  nodes: SchedNode[];
  running: Running[];
  nowSec: number;
  queues?: QueueConfig[];
  /**
   * Jobs that preempted others in an earlier call and wait for the room they made (nominated, as
   * Kueue and kube-scheduler say): they are tried first, before the queue's order, so the freed
   * cards go to them rather than to whoever sorts first now.
   */
  nominated?: readonly string[];
}

export type Decision =
  | { kind: 'bind'; jobId: string; chip: string; placements: Placement[] }
  | { kind: 'preempt'; jobId: string; reason: string; forJobId: string }
  | { kind: 'reject'; jobId: string; reason: string };

export interface PendingReason {
  plugin: string;
  reason: string;
}

export interface ScheduleResult {
  decisions: Decision[];
  pending: Record<string, PendingReason[]>;
}

/** Injected randomness: `next()` returns a uniform number in [0, 1) (defined in lib, the base layer). */
export type { Rng } from '../lib/rng.js';

/**
 * Relative throughput of `job` on `cards` cards of `chip` (any positive unit; only ratios matter),
 * or undefined when unknown. The perf model supplies it; the engine never guesses.
 */
export type PerfFn = (job: SchedJob, chip: string, cards: number) => number | undefined;
