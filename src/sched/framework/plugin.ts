import type { Catalog } from '../../catalog/catalog.js';
import type { Decision, PerfFn, Placement, Rng, SchedJob, Snapshot } from '../types.js';
import type { ClusterState } from './cluster-state.js';
import type { Status } from './status.js';
import type { Transaction } from './transaction.js';

/** Everything a plugin may read besides the cluster state: injected, never global. */
export interface EngineContext {
  rng: Rng;
  catalog?: Catalog;
  perf?: PerfFn;
  snapshot: Snapshot;
}

/**
 * One job's scheduling cycle. `chipOk[c]` says whether chip index `c` is acceptable (set by the
 * chip-eligibility pre-filter); `scratch` is per-cycle storage for plugins, keyed by plugin name.
 */
export interface Cycle {
  job: SchedJob;
  /** Cards the job needs, milli per card, CPU and memory for the whole job. */
  cards: number;
  milli: number;
  cpuMilli: number;
  memoryMiB: number;
  tag: number;
  chipOk: Uint8Array;
  scratch: Map<string, unknown>;
  ctx: EngineContext;
}

export interface Plugin {
  readonly name: string;
  /**
   * True when the plugin must see every node, not one representative per group of identical nodes
   * (e.g. Random, which draws among all feasible nodes). Any such plugin turns grouping off.
   */
  readonly perNode?: boolean;
}

/** Orders the queue: negative when `a` goes first. */
export interface QueueSortPlugin extends Plugin {
  compare(a: SchedJob, b: SchedJob): number;
}

/** Called once per `schedule()` call before any job, e.g. to derive the target workload mix from the queue. */
export interface PreparePlugin extends Plugin {
  prepare(state: ClusterState, queue: readonly SchedJob[], ctx: EngineContext): void;
}

/** Checks the job itself once per cycle. `unresolvable` makes the engine reject the job with the reason. */
export interface PreFilterPlugin extends Plugin {
  preFilter(cycle: Cycle, state: ClusterState): Status;
}

/**
 * Per node: `null` when the job fits, else a short constant reason (no allocation in the hot loop).
 * `partial` is true while a gang is assembled across nodes: the node need only hold some of the cards.
 */
export interface FilterPlugin extends Plugin {
  filter(cycle: Cycle, state: ClusterState, node: number, partial: boolean): string | null;
}

/** Sees the feasible nodes once before scoring (e.g. Random picks its node here). */
export interface PreScorePlugin extends Plugin {
  preScore(cycle: Cycle, state: ClusterState, feasible: Int32Array, count: number): void;
}

/** Scores a feasible node in [0, 100]; higher is better. `normalize` may rewrite the scores in place. */
export interface ScorePlugin extends Plugin {
  score(cycle: Cycle, state: ClusterState, node: number): number;
  normalize?(cycle: Cycle, state: ClusterState, feasible: Int32Array, scores: Float64Array, count: number): void;
}

/**
 * Picks the devices on the chosen node and reserves them through the transaction. Returns false when
 * the node cannot take `cards` cards after all. `cards` may be less than the job's total for a gang.
 */
export interface ReservePlugin extends Plugin {
  reserve(cycle: Cycle, state: ClusterState, node: number, cards: number, txn: Transaction): boolean;
}

/** Assembles a gang that no single node can hold, as a set of (node, cards) reserved through `txn`. */
export interface GangPlugin extends Plugin {
  placeGang(cycle: Cycle, state: ClusterState, feasible: Int32Array, count: number, txn: Transaction, reserve: ReservePlugin): Status;
}

/** Approves (or refuses) the tentative placements before they are committed. */
export interface PermitPlugin extends Plugin {
  permit(cycle: Cycle, state: ClusterState, placements: Placement[]): Status;
}

/** Runs when a job found no place: may propose preemptions (the queueing plugins implement this). */
export interface PostFilterPlugin extends Plugin {
  postFilter(cycle: Cycle, state: ClusterState, reasons: ReadonlyMap<string, number>): Decision[];
}

export const ExtensionPoint = {
  queueSort: 'queueSort',
  prepare: 'prepare',
  preFilter: 'preFilter',
  filter: 'filter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  gang: 'gang',
  permit: 'permit',
  postFilter: 'postFilter',
} as const;
export type ExtensionPoint = (typeof ExtensionPoint)[keyof typeof ExtensionPoint];

/** A plugin instance implements one or more extension points (like kube-scheduler's). */
export type AnyPlugin = Plugin &
  Partial<QueueSortPlugin & PreparePlugin & PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin & GangPlugin & PermitPlugin & PostFilterPlugin>;

/** Builds a plugin from its (already parsed, not yet validated) arguments; throws an `invalid` error on bad ones. */
export type PluginFactory = (args: Record<string, unknown>) => AnyPlugin;

/** The method each extension point requires. */
export const extensionMethod: Record<ExtensionPoint, keyof AnyPlugin> = {
  queueSort: 'compare',
  prepare: 'prepare',
  preFilter: 'preFilter',
  filter: 'filter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  gang: 'placeGang',
  permit: 'permit',
  postFilter: 'postFilter',
};
