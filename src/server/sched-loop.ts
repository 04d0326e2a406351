/**
 * The scheduling loop. On a timer and when poked (a job arrived, a node registered, work ended) it:
 * takes the leader lease (only one loop acts per database; others stand by), marks silent nodes Lost,
 * admits Pending jobs within quota, runs the engine (`schedule`, the same pure function the simulator
 * calls) on a fresh snapshot, applies its decisions in one fenced transaction, keeps inference
 * services at their replica count, and stores why each waiting job waits.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.js';
import { resolveProfile, schedule, seededRng, type Decision, type PendingReason } from '../sched/index.js';
import { queueingProfileNames, resolveQueueingProfile } from '../sched/queueing/index.js';
import type { ApplyResult, JobRecord, Lease, SchedState, Store } from '../store/index.js';
import { JobState, isTerminal } from '../workload/index.js';
import { admit, enforceChipQuotas } from './admission.js';
import type { ServerMetrics } from './metrics.js';
import { replicaJobSpec } from './routes/services.js';
import { toSchedJob, toSnapshot } from './snapshot.js';

export const leaseName = 'scheduler';
/**
 * Most admissions and decisions written per cycle. A backlog is worked off over several quick
 * cycles rather than one long write transaction that would hold the database from the API.
 */
const maxAdmitPerCycle = 2000;
const maxDecisionsPerCycle = 1000;
/** Most explanations written per cycle, and most examined for a change. */
const explainBatch = 2000;
const explainExamine = 8000;
/**
 * Rows per write transaction. SQLite has one writer: while the loop holds it, the API's group
 * commits wait (and better-sqlite3 waits synchronously, stalling its event loop). Chunks of a few
 * milliseconds, with a pause between them, keep that wait far below the API's latency budget.
 */
const admitChunk = 200;
const decisionChunk = 50;
const explainChunk = 500;
const chunkPauseMs = 4;
/** Under a storm of pokes, cycles start at most this fraction of the time busy (the rest is the API's). */
const busyShare = 0.5;

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The loop's scheduler profile unless told otherwise: FGD placement (the simulator's `default`)
 * inside tenant queues with DRF order, per-tenant quotas, preemption within a queue and backfill.
 */
export const DEFAULT_LOOP_PROFILE = 'tenant-fair-fgd';

/** Cycles a job that preempted others goes first in (see `nominatedFor`). */
const nominationCycles = 3;

export interface LoopOptions {
  store: Store;
  catalog: Catalog | null;
  metrics: ServerMetrics;
  log: FastifyBaseLogger;
  /** Identity in the lease table; unique per process. */
  holder?: string;
  intervalMs?: number;
  leaseTtlMs?: number;
  nodeLeaseSec?: number;
  profile?: string;
  seed?: number;
  /**
   * Least time between the starts of two cycles. Pokes arrive with every submission; a cycle per
   * poke would keep the database busy re-reading the fleet. Default: a quarter of the interval, at most 250 ms.
   */
  minGapMs?: number;
  /** The store's clock (epoch ms). */
  now?: () => number;
  /** Called after every cycle (the worker thread reports it to the API thread). */
  onCycle?: (report: CycleReport) => void | Promise<void>;
}

export interface CycleReport {
  leader: boolean;
  lost: number;
  admitted: number;
  queued: number;
  binds: number;
  preempts: number;
  rejects: number;
  refused: number;
  replicasCreated: number;
  snapshotMs: number;
  admitMs: number;
  scheduleMs: number;
  applyMs: number;
  explainMs: number;
  totalMs: number;
}

export class SchedulingLoop {
  readonly holder: string;
  private readonly intervalMs: number;
  private readonly leaseTtlMs: number;
  private readonly nodeLeaseMs: number;
  private readonly profile: string;
  /** Jobs whose preemptions were applied, and for how many more cycles they go first (see `Snapshot.nominated`). */
  private readonly nominated = new Map<string, number>();
  /** A queueing profile: the snapshot carries the tenant/queue tree and the profile is built per cycle. */
  private readonly queueing: boolean;
  private readonly seed: number;
  private readonly minGapMs: number;
  private lastStart = 0;
  private lastCycleMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private pokeTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<CycleReport> | null = null;
  private again = false;
  private lease: Lease | null = null;
  private cycles = 0;
  private stopped = true;
  private readonly explained = new Map<string, string>();
  private latest: Record<string, PendingReason[]> = {};
  private explainCursor = 0;
  lastReport: CycleReport | null = null;

  constructor(private readonly o: LoopOptions) {
    this.holder = o.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.intervalMs = o.intervalMs ?? 1000;
    this.leaseTtlMs = o.leaseTtlMs ?? Math.max(10_000, 5 * this.intervalMs);
    this.nodeLeaseMs = (o.nodeLeaseSec ?? 30) * 1000;
    this.profile = o.profile ?? DEFAULT_LOOP_PROFILE;
    this.queueing = (queueingProfileNames as readonly string[]).includes(this.profile);
    // Fail at start, not in the first cycle, on a profile name that does not exist.
    if (!this.queueing) resolveProfile(this.profile);
    this.seed = o.seed ?? 1;
    this.minGapMs = o.minGapMs ?? Math.min(250, this.intervalMs / 4);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.poke(), this.intervalMs);
    this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pokeTimer) clearTimeout(this.pokeTimer);
    this.timer = this.pokeTimer = null;
    await this.inFlight?.catch(() => undefined);
    if (this.lease?.holder === this.holder) await this.o.store.releaseLease(leaseName, this.holder).catch(() => undefined);
    this.lease = null;
  }

  /** Asks for a cycle soon; many pokes in a burst make one cycle. */
  poke(): void {
    if (this.stopped || this.pokeTimer) return;
    // A cycle of C ms is followed by at least C * (1 - busyShare) / busyShare ms before a poke starts the next.
    const gap = Math.max(this.minGapMs, (this.lastCycleMs * (1 - busyShare)) / busyShare);
    const delay = Math.max(20, this.lastStart + this.lastCycleMs + gap - performance.now());
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = null;
      if (this.inFlight) {
        this.again = true;
        return;
      }
      void this.cycle().catch((e: unknown) => this.o.log.error({ err: e }, 'scheduling cycle failed'));
    }, delay);
  }

  role(): 'leader' | 'standby' | 'off' {
    if (this.stopped) return 'off';
    return this.isLeader() ? 'leader' : 'standby';
  }

  /** Not started: nothing to wait for. Started: ready once the first lease attempt answered (leader or standby). */
  ready(): boolean {
    return this.stopped || this.lease !== null;
  }

  private isLeader(): boolean {
    return this.lease !== null && this.lease.holder === this.holder && this.lease.expiresAtMs > (this.o.now ?? Date.now)();
  }

  /** Runs one cycle now (or waits for the one in flight). */
  async cycle(): Promise<CycleReport> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.runCycle().finally(() => {
      this.inFlight = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.poke();
      }
    });
    return this.inFlight;
  }

  private async runCycle(): Promise<CycleReport> {
    const t0 = performance.now();
    this.lastStart = t0;
    const report: CycleReport = { leader: false, lost: 0, admitted: 0, queued: 0, binds: 0, preempts: 0, rejects: 0, refused: 0, replicasCreated: 0, snapshotMs: 0, admitMs: 0, scheduleMs: 0, applyMs: 0, explainMs: 0, totalMs: 0 };
    const { store, metrics, log } = this.o;
    this.lease = await store.acquireLease(leaseName, this.holder, this.leaseTtlMs);
    metrics.leader.set(this.isLeader() ? 1 : 0);
    if (!this.isLeader()) return this.finish(report, t0);
    report.leader = true;
    const actor = { id: `scheduler:${this.holder}`, role: 'system' as const };

    for (const nodeId of await store.silentNodes(this.nodeLeaseMs)) {
      const requeued = await store.markLost(nodeId, actor);
      report.lost++;
      log.warn({ nodeId, jobs: requeued.map((j) => j.id) }, 'node lost: silent past its lease; its work was requeued');
    }
    report.replicasCreated = await this.reconcileServices(actor);

    let state = await store.schedState();
    const tSnap = performance.now();
    const admission = admit(state);
    if (admission.admit.length > maxAdmitPerCycle) {
      admission.admit = admission.admit.slice(0, maxAdmitPerCycle);
      this.again = true;
    }
    if (admission.admit.length > 0) {
      const ids = new Set<string>();
      for (let i = 0; i < admission.admit.length; i += admitChunk) {
        if (i > 0) await pause(chunkPauseMs);
        const chunk = admission.admit.slice(i, i + admitChunk);
        for (const id of await store.admitJobs(chunk.map((j) => ({ id: j.id, version: j.version, tenant: j.tenant })), actor)) ids.add(id);
      }
      report.admitted = ids.size;
      // The admitted jobs moved one version on; no need to read the whole snapshot again.
      const now = this.o.now?.() ?? Date.now();
      const moved = state.pending.filter((j) => ids.has(j.id)).map((j) => ({ ...j, state: JobState.admitted, version: j.version + 1, updatedAtMs: now }));
      state = { ...state, pending: state.pending.filter((j) => !ids.has(j.id)), admitted: [...state.admitted, ...moved] };
    }
    const t1 = performance.now();
    report.snapshotMs = tSnap - t0;
    report.admitMs = t1 - tSnap;
    report.queued = state.admitted.length;

    // Queueing plugins keep per-call books: a fresh profile each cycle. Tenants are separate roots
    // with hard quotas (queue-tree.ts): nobody borrows across tenants, so there is nothing to reclaim,
    // and preemption stays lower priority within a job's own queue.
    const profile = this.queueing ? (resolveQueueingProfile(this.profile, { reclaim: 'never' }) ?? this.profile) : this.profile;
    const nominated = this.nominatedFor(state);
    const result = state.admitted.length > 0 ? schedule({ ...toSnapshot(state, this.queueing), ...(nominated.length > 0 ? { nominated } : {}) }, state.admitted.map(toSchedJob), { profile, rng: seededRng(this.seed + this.cycles), ...(this.o.catalog ? { catalog: this.o.catalog } : {}) }) : { decisions: [] as Decision[], pending: {} };
    const t2 = performance.now();
    report.scheduleMs = t2 - t1;
    // Only the jobs the decisions name: a map over every waiting and running job would cost more than the cycle's writes.
    const named = new Set(result.decisions.map((d) => d.jobId));
    const jobsById = new Map<string, JobRecord>();
    if (named.size > 0) for (const list of [state.admitted, state.running]) for (const j of list) if (named.has(j.id)) jobsById.set(j.id, j);

    const quota = enforceChipQuotas(state, result.decisions, jobsById);
    if (quota.kept.length > maxDecisionsPerCycle) {
      // The engine's order is priority order: keep its head now, the rest is decided again next cycle.
      quota.kept = quota.kept.slice(0, maxDecisionsPerCycle);
      this.again = true;
    }
    const versions: Record<string, number> = {};
    for (const d of quota.kept) {
      const j = jobsById.get(d.jobId);
      if (j) versions[j.id] = j.version;
    }
    if (quota.kept.length > 0 && this.lease) {
      // A long cycle may outlive the lease; renew it so the fence checks the current epoch (a new leader makes this fail, as it must).
      this.lease = await store.acquireLease(leaseName, this.holder, this.leaseTtlMs);
      if (!this.isLeader()) return this.finish({ ...report, leader: false }, t0);
      const applied = await this.applyChunked(quota.kept, versions, actor);
      for (const d of applied.applied) {
        if (d.kind === 'bind') report.binds++;
        else if (d.kind === 'preempt') {
          report.preempts++;
          this.nominated.set(d.forJobId, nominationCycles);
        }
        else report.rejects++;
        metrics.decisions.inc({ kind: d.kind });
      }
      report.refused = applied.refused.length;
      metrics.refused.inc(applied.refused.length);
      for (const r of applied.refused) log.info({ jobId: r.decision.jobId, kind: r.decision.kind, reason: r.reason }, 'decision refused by the store');
    }
    const t3 = performance.now();
    report.applyMs = t3 - t2;
    // The engine's map is ours: adding the few quota holds to it costs less than copying 50,000 entries.
    await this.saveExplanations(Object.assign(result.pending, quota.held, admission.held));
    report.explainMs = performance.now() - t3;
    this.updateGauges(state, quota.kept);
    return this.finish(report, t0);
  }

  /**
   * The nominated jobs still waiting, each for at most `nominationCycles` cycles after its
   * preemptions were applied: long enough for the victims' cards to be free, short enough that a
   * job that still cannot fit stops jumping the queue.
   */
  private nominatedFor(state: SchedState): string[] {
    if (this.nominated.size === 0) return [];
    const waiting = new Set(state.admitted.map((j) => j.id));
    const out: string[] = [];
    for (const [id, left] of this.nominated) {
      if (!waiting.has(id) || left <= 0) this.nominated.delete(id);
      else {
        this.nominated.set(id, left - 1);
        out.push(id);
      }
    }
    return out;
  }

  /**
   * Applies decisions in short fenced transactions. A chunk ends only after a bind or a reject, so
   * evictions stay in one transaction with the bind they make room for.
   */
  private async applyChunked(decisions: Decision[], versions: Record<string, number>, actor: { id: string; role: 'system' }): Promise<ApplyResult> {
    const out: ApplyResult = { applied: [], refused: [] };
    const fence = { name: leaseName, holder: this.holder, epoch: this.lease!.epoch };
    let start = 0;
    while (start < decisions.length) {
      let end = Math.min(decisions.length, start + decisionChunk);
      while (end < decisions.length && decisions[end - 1]!.kind === 'preempt') end++;
      if (start > 0) await pause(chunkPauseMs);
      const r = await this.o.store.applyDecisions(decisions.slice(start, end), { actor, versions, fence });
      out.applied.push(...r.applied);
      out.refused.push(...r.refused);
      start = end;
    }
    return out;
  }

  private finish(report: CycleReport, t0: number): CycleReport {
    report.totalMs = performance.now() - t0;
    // What the cycle took (write pauses included): the pace of the next one follows from it.
    this.lastCycleMs = report.leader ? report.totalMs : 0;
    if (report.leader) this.o.metrics.cycleSeconds.observe(report.totalMs / 1000);
    this.cycles++;
    this.lastReport = report;
    if (this.o.onCycle) void Promise.resolve(this.o.onCycle(report)).catch(() => undefined);
    return report;
  }

  /**
   * Stores why jobs wait. Tens of thousands of jobs wait at fleet scale and their reasons change
   * every cycle; comparing and writing them all would cost more than scheduling. So the latest
   * reasons are kept in memory (and served from there), and each cycle examines a rotating window
   * of at most `explainExamine` jobs and writes the at most `explainBatch` whose reasons changed.
   */
  private async saveExplanations(pending: Record<string, PendingReason[]>): Promise<void> {
    this.latest = pending;
    const ids = Object.keys(pending);
    if (ids.length === 0) return;
    const batch: Record<string, PendingReason[]> = {};
    let written = 0;
    let k = 0;
    for (; k < Math.min(ids.length, explainExamine) && written < explainBatch; k++) {
      const id = ids[(this.explainCursor + k) % ids.length]!;
      const reasons = pending[id]!;
      const text = JSON.stringify(reasons);
      if (this.explained.get(id) === text) continue;
      this.explained.set(id, text);
      batch[id] = reasons;
      written++;
    }
    this.explainCursor = (this.explainCursor + k) % ids.length;
    if (this.explained.size > 200_000) this.explained.clear();
    const entries = Object.entries(batch);
    for (let i = 0; i < entries.length; i += explainChunk) {
      if (i > 0) await pause(chunkPauseMs);
      await this.o.store.saveExplanations(Object.fromEntries(entries.slice(i, i + explainChunk)));
    }
  }

  /** The latest explanation of a waiting job, when this loop computed one. */
  explanation(jobId: string): PendingReason[] | undefined {
    return this.latest[jobId];
  }

  /** Keeps each active inference service at its replica count (replaces replicas that ended). */
  private async reconcileServices(actor: { id: string; role: 'system' }): Promise<number> {
    let created = 0;
    for (const svc of await this.o.store.listServices()) {
      const replicas = await this.o.store.listJobs({ serviceId: svc.id, limit: 10_000, offset: 0 });
      const live = replicas.items.filter((j) => !isTerminal(j.state)).length;
      for (let i = live; i < svc.spec.replicas; i++) {
        await this.o.store.submitJob(replicaJobSpec(svc.spec, replicas.total + created), { actor, serviceId: svc.id });
        created++;
      }
    }
    return created;
  }

  private updateGauges(state: SchedState, applied: Decision[]): void {
    const m = this.o.metrics;
    m.queueDepth.reset();
    // tenant -> queue -> count, per state list: no per-job string building over 50,000 jobs.
    for (const [st, jobs] of [[JobState.pending, state.pending], [JobState.admitted, state.admitted]] as const) {
      const depth = new Map<string, Map<string, number>>();
      for (const j of jobs) {
        let byQueue = depth.get(j.tenant);
        if (!byQueue) depth.set(j.tenant, (byQueue = new Map()));
        byQueue.set(j.queue, (byQueue.get(j.queue) ?? 0) + 1);
      }
      for (const [tenant, byQueue] of depth) for (const [queue, n] of byQueue) m.queueDepth.set({ tenant, queue, state: st }, n);
    }
    const allocated = new Map<string, number>();
    const total = new Map<string, number>();
    for (const n of state.nodes) {
      if (n.state === 'Ready') total.set(n.chip, (total.get(n.chip) ?? 0) + n.devices.length);
      allocated.set(n.chip, (allocated.get(n.chip) ?? 0) + n.devices.reduce((s, d) => s + d.usedMilli, 0) / 1000);
    }
    for (const d of applied) if (d.kind === 'bind') allocated.set(d.chip, (allocated.get(d.chip) ?? 0) + d.placements.reduce((s, p) => s + (p.devices.length * p.milliPerDevice) / 1000, 0));
    m.allocatedCards.reset();
    m.totalCards.reset();
    for (const [chip, n] of allocated) m.allocatedCards.set({ chip }, n);
    for (const [chip, n] of total) m.totalCards.set({ chip }, n);
  }
}
