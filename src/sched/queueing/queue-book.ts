import { ValidationError } from '../../lib/errors.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Running, Snapshot } from '../types.js';
import { DEFAULT_H20EQ, type H20eqWeights } from './h20eq-weights.js';
import { parseQueues, QuotaResource } from './queue-config.js';
import { QuotaTree } from './quota-tree.js';

/** A running job as the queueing plugins see it. A gang listed as several entries is one job here. */
export interface RunInfo {
  jobId: string;
  leaf: number;
  /** Chip index in the cluster state, -1 when the chip is not in this fleet. */
  chip: number;
  chipName: string;
  priority: number;
  startTimeSec: number;
  /** Cards held (a fractional share counts by its share). */
  amount: number;
  /** Devices held, whole or shared. */
  devices: number;
  borrowed: boolean;
  estimatedEndSec: number;
  minRuntimeSec: number | undefined;
  runs: Running[];
}

const fmt = (x: number): string => String(Math.round(x * 100) / 100);

/**
 * Everything the queueing plugins share for one `schedule()` call: the queue tree with its quota
 * accounting (running work, then each bind as it is permitted), the running jobs by queue and which
 * of them are borrowed, and the victims already chosen in this call. Keyed by the cluster state, so a
 * new call gets a new book.
 */
export class QueueBook {
  readonly tree: QuotaTree;
  readonly configured: boolean;
  readonly chips: number;
  readonly h20eqRes: number;
  readonly anyRes: number;
  /** Fleet capacity per resource (cards per chip, H20-eq cards in total), for DRF shares. */
  readonly capacity: Float64Array;
  readonly chipWeight: Float64Array;
  readonly runs: RunInfo[] = [];
  /** Running jobs per leaf queue, lowest priority first. */
  readonly runsByLeaf = new Map<number, RunInfo[]>();
  /** All running jobs, lowest priority first; and those on borrowed quota. */
  readonly runsByPriority: RunInfo[];
  readonly borrowedRuns: RunInfo[];
  readonly victims = new Set<string>();
  /** Preemptor job id -> its victims' job ids and the chip index it will run on, chosen in this call. */
  readonly preemptedFor = new Map<string, { victims: string[]; chip: number }>();
  private readonly leafByName = new Map<string, number>();
  /** Bumped on every usage change; cached refusal reasons are valid for one version. */
  private version = 0;
  /** Bumped whenever usage goes down (victims leaving, what-ifs): quota may have room again. */
  releases = 0;
  private readonly refusals = new Map<string, { version: number; reason: string }>();

  constructor(
    readonly state: ClusterState,
    snapshot: Snapshot,
    readonly weights: H20eqWeights = DEFAULT_H20EQ,
  ) {
    this.chips = state.chips.length;
    this.h20eqRes = this.chips;
    this.anyRes = this.chips + 1;
    this.tree = new QuotaTree([...state.chips, QuotaResource.h20eq, QuotaResource.anyCard]);
    this.chipWeight = Float64Array.from(state.chips, (c) => weights.of(c));
    this.capacity = new Float64Array(this.chips + 2);
    for (let c = 0; c < this.chips; c++) {
      this.capacity[c] = state.chipCards[c] as number;
      this.capacity[this.h20eqRes] = (this.capacity[this.h20eqRes] as number) + (state.chipCards[c] as number) * (this.chipWeight[c] as number);
      this.capacity[this.anyRes] = (this.capacity[this.anyRes] as number) + (state.chipCards[c] as number);
    }
    const queues = snapshot.queues ?? [];
    this.configured = queues.length > 0;
    if (this.configured) {
      const defs = parseQueues(queues);
      const index = new Map<string, number>();
      for (const d of defs) {
        const i = this.tree.addNode({ name: d.name, tenant: d.tenant, weight: d.weight, priority: d.priority, pastShare: d.pastShare }, d.parent === null ? 0 : (index.get(d.parent) as number), d.quota);
        index.set(d.name, i);
      }
      const over = this.tree.finish();
      if (over.length > 0) {
        throw new ValidationError(
          'invalid queue configuration',
          over.map((o) => ({ path: `/queues/${o.node}/quota/${o.resource}`, recordId: o.node, message: `its children's nominal quotas add up to ${fmt(o.children)}, more than its own ${fmt(o.nominal)}` })),
        );
      }
      for (const [name, i] of index) if (this.tree.nodes[i]?.children.length === 0) this.leafByName.set(name, i);
    } else this.tree.finish();
    this.loadRunning(snapshot.running, snapshot.nowSec);
    const byPriority = (a: RunInfo, b: RunInfo): number => a.priority - b.priority || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
    for (const list of this.runsByLeaf.values()) list.sort(byPriority);
    this.runsByPriority = [...this.runs].sort(byPriority);
    this.borrowedRuns = this.runsByPriority.filter((r) => r.borrowed);
  }

  /** The leaf queue a job belongs to, or why it has none. Without configured queues: tenant / queue. */
  leafOf(job: { tenant: string; queue: string }): number | string {
    if (!this.configured) return this.implicitLeaf(job.tenant, job.queue);
    const leaf = this.leafByName.get(job.queue);
    if (leaf === undefined) {
      const inner = this.tree.nodes.findIndex((n) => n.name === job.queue);
      return inner > 0 ? `queue ${job.queue} has child queues; submit to one of them (${this.childNames(inner)})` : `queue ${job.queue} is not configured`;
    }
    const owner = (this.tree.nodes[leaf] as { tenant: string }).tenant;
    if (owner !== job.tenant) return `queue ${job.queue} belongs to tenant ${owner}, not ${job.tenant}`;
    return leaf;
  }

  name(node: number): string {
    return (this.tree.nodes[node] as { name: string }).name;
  }

  /** Cards a job holds or asks for: a fractional share by its share. */
  static amountOf(cards: number, milliPerCard: number): number {
    return (cards * Math.min(1000, milliPerCard)) / 1000;
  }

  /** Null when the leaf may take `amount` cards of chip index `chip`, else the reason, naming the queue. */
  admits(leaf: number, chip: number, amount: number): string | null {
    if (this.tree.check(leaf, chip, amount) === null && this.tree.check(leaf, this.anyRes, amount) === null && this.tree.check(leaf, this.h20eqRes, amount * (this.chipWeight[chip] as number)) === null) return null;
    // Refusals repeat for every queued job of the same size until usage changes: explain each once.
    const key = `${leaf}|${chip}|${amount}`;
    const known = this.refusals.get(key);
    if (known && known.version === this.version) return known.reason;
    const reason = this.explain(leaf, chip, amount);
    this.refusals.set(key, { version: this.version, reason });
    return reason;
  }

  private explain(leaf: number, chip: number, amount: number): string {
    for (const r of [chip, this.anyRes, this.h20eqRes]) {
      const d = r === this.h20eqRes ? amount * (this.chipWeight[chip] as number) : amount;
      const fail = this.tree.check(leaf, r, d);
      if (!fail) continue;
      const res = this.tree.resources[r] as string;
      const unit = r === this.h20eqRes ? `H20-eq cards${this.weights.source === 'default' ? ' (1 per card: no h20eq table given)' : ''}` : 'cards';
      const label = r === this.anyRes ? 'cards of any chip' : res;
      const u = this.tree.usageOf(leaf, r);
      const n = this.tree.nominalOf(leaf, r);
      const head = `queue ${this.name(leaf)}: quota for ${label} exhausted (${fmt(Math.min(u, n))}/${fmt(n)} ${unit}`;
      if (fail.at === leaf) {
        const b = this.tree.borrowingLimitOf(leaf, r);
        if (b === 0) return `${head}, borrowing not allowed; job needs ${fmt(d)})`;
        return `${head}, borrowing limit ${fmt(b)} ${u - n >= b - 1e-9 ? 'reached' : `would be passed: ${fmt(Math.max(0, u - n))} borrowed`}; job needs ${fmt(d)})`;
      }
      if (fail.kind === 'borrowing-limit') return `${head}; queue ${this.name(fail.at)} would pass its borrowing limit of ${fmt(this.tree.borrowingLimitOf(fail.at, r))}: ${fmt(this.tree.headroom(leaf, r))} more available, job needs ${fmt(d)})`;
      return `${head}; cohort ${this.name(fail.at)} has no unused quota left to lend: ${fmt(this.tree.headroom(leaf, r))} more available, job needs ${fmt(d)})`;
    }
    return 'quota check failed';
  }

  /** Counts (sign 1) or uncounts (-1) `amount` cards of chip index `chip` (-1: a chip outside this fleet) on a leaf. */
  charge(leaf: number, chip: number, chipName: string, amount: number, sign: 1 | -1): void {
    if (leaf <= 0 || amount === 0) return;
    this.version++;
    if (sign < 0) this.releases++;
    if (chip >= 0) this.tree.add(leaf, chip, sign * amount);
    this.tree.add(leaf, this.anyRes, sign * amount);
    this.tree.add(leaf, this.h20eqRes, sign * amount * (chip >= 0 ? (this.chipWeight[chip] as number) : this.weights.of(chipName)));
  }

  /** Whether a leaf is within its nominal quota on every governed resource after taking `amount` of `chip`. */
  withinNominal(leaf: number, chip: number, amount: number): boolean {
    for (const r of [chip, this.anyRes, this.h20eqRes]) {
      if (!this.tree.isGoverned(leaf, r)) continue;
      const d = r === this.h20eqRes ? amount * (this.chipWeight[chip] as number) : amount;
      if (this.tree.usageOf(leaf, r) + d > this.tree.nominalOf(leaf, r) + 1e-9) return false;
    }
    return true;
  }

  private implicitLeaf(tenant: string, queue: string): number {
    const key = `${tenant}/${queue}`;
    let leaf = this.leafByName.get(key);
    if (leaf !== undefined) return leaf;
    let top = this.leafByName.get(`\u0000${tenant}`);
    if (top === undefined) {
      top = this.tree.addNode({ name: tenant, tenant, weight: 1, priority: 0, pastShare: 0 }, 0);
      this.leafByName.set(`\u0000${tenant}`, top);
    }
    leaf = this.tree.addNode({ name: key, tenant, weight: 1, priority: 0, pastShare: 0 }, top);
    this.leafByName.set(key, leaf);
    return leaf;
  }

  private childNames(node: number): string {
    return (this.tree.nodes[node]?.children ?? []).map((c) => this.name(c)).join(', ');
  }

  private loadRunning(running: readonly Running[], nowSec: number): void {
    const byJob = new Map<string, RunInfo>();
    for (const run of running) {
      let devices = 0;
      let milli = 0;
      for (const p of run.placements) {
        devices += p.devices.length;
        milli += p.devices.length * p.milliPerDevice;
      }
      const known = byJob.get(run.jobId);
      if (known) {
        known.amount += milli / 1000;
        known.devices += devices;
        known.runs.push(run);
        continue;
      }
      const leaf = this.leafOf(run);
      const est = run.estimatedDurationSec;
      const info: RunInfo = {
        jobId: run.jobId,
        leaf: typeof leaf === 'number' ? leaf : -1,
        chip: this.state.chipIndex.get(run.chip) ?? -1,
        chipName: run.chip,
        priority: run.priority,
        startTimeSec: run.startTimeSec,
        amount: milli / 1000,
        devices,
        borrowed: run.borrowed,
        estimatedEndSec: est !== undefined && Number.isFinite(est) && est >= 0 ? Math.max(nowSec, run.startTimeSec + est) : Infinity,
        minRuntimeSec: run.minRuntimeSec,
        runs: [run],
      };
      byJob.set(run.jobId, info);
      this.runs.push(info);
    }
    for (const info of this.runs) {
      if (info.leaf <= 0) continue;
      this.charge(info.leaf, info.chip, info.chipName, info.amount, 1);
      const list = this.runsByLeaf.get(info.leaf);
      if (list) list.push(info);
      else this.runsByLeaf.set(info.leaf, [info]);
    }
    this.markBorrowed();
  }

  /**
   * A queue using more than its nominal quota of a governed resource is borrowing; the jobs that make up
   * the excess (lowest priority, then most recently started) are its borrowed ones, reclaimed first.
   * Jobs the caller marked `borrowed` stay borrowed.
   */
  private markBorrowed(): void {
    for (const [leaf, list] of this.runsByLeaf) {
      for (let r = 0; r < this.tree.resources.length; r++) {
        if (!this.tree.isGoverned(leaf, r)) continue;
        let excess = this.tree.usageOf(leaf, r) - this.tree.nominalOf(leaf, r);
        if (excess <= 1e-9) continue;
        const using = list.filter((i) => r === this.anyRes || r === this.h20eqRes || i.chip === r);
        const size = (i: RunInfo): number => (r === this.h20eqRes ? i.amount * (i.chip >= 0 ? (this.chipWeight[i.chip] as number) : this.weights.of(i.chipName)) : i.amount);
        // Jobs the caller already marked borrowed cover the excess first.
        for (const i of using) if (i.borrowed) excess -= size(i);
        using.sort((a, b) => a.priority - b.priority || b.startTimeSec - a.startTimeSec || (a.jobId < b.jobId ? -1 : 1));
        for (const i of using) {
          if (excess <= 1e-9) break;
          if (i.borrowed) continue;
          i.borrowed = true;
          excess -= size(i);
        }
      }
    }
  }
}

const books = new WeakMap<ClusterState, { book: QueueBook; queue: readonly unknown[] | null }>();

/**
 * Opens the book for one `schedule()` call, from `prepare` (which sees the call's queue). A cluster state
 * may outlive a call (the simulator's persistent engine keeps one for a whole run), so a new queue array
 * means a new call and a new book built from the snapshot's running work. `weights` given by the quota
 * plugin win: a book built in this call with other weights is rebuilt (still before any job).
 */
export function openBook(state: ClusterState, snapshot: Snapshot, queue: readonly unknown[], weights?: H20eqWeights): QueueBook {
  const known = books.get(state);
  if (known && known.queue === queue && (weights === undefined || known.book.weights.key === weights.key)) return known.book;
  const book = new QueueBook(state, snapshot, weights ?? (known?.queue === queue ? known.book.weights : undefined) ?? DEFAULT_H20EQ);
  books.set(state, { book, queue });
  return book;
}

/** The current call's book (built now if no `prepare` opened one, e.g. in a profile without them). */
export function bookFor(state: ClusterState, snapshot: Snapshot, weights?: H20eqWeights): QueueBook {
  const known = books.get(state);
  if (known) return known.book;
  const book = new QueueBook(state, snapshot, weights ?? DEFAULT_H20EQ);
  books.set(state, { book, queue: null });
  return book;
}
