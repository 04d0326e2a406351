/**
 * The scheduler engine kept alive across a simulation. `schedule()` builds its cluster view from the
 * snapshot on every call (O(nodes + devices), about 2 ms on unicom-2025), which dominates a
 * million-job run. Here the same `ClusterState` and `Engine` from `sched/` live for the whole run:
 * bindings are committed by the engine itself, completions are handed back with `release`, and
 * `capacityFreed()` tells the engine to forget remembered failures (the engine's documented way to
 * be used across time). Anything the incremental path does not model (preemption, node loss and
 * return) marks the view stale, and it is rebuilt from the simulator's nodes before the next call.
 * Decisions are the engine's own; only where the cluster view comes from differs.
 */
import { ClusterState, Engine, jobTag, resolveProfile, type Profile } from '../../sched/index.js';
import type { Decision, Placement, QueueConfig, Running, SchedJob, SchedNode, ScheduleResult, Snapshot } from '../../sched/types.js';
import type { ScheduleCtx } from './types.js';

export class PersistentEngine {
  private state!: ClusterState;
  private engine!: Engine;
  private stale = true;
  private readonly profile: Profile;
  private readonly snapshot: Snapshot;

  constructor(
    private readonly nodes: SchedNode[],
    running: Running[],
    private readonly ctx: ScheduleCtx,
    queues?: QueueConfig[],
  ) {
    this.profile = resolveProfile(ctx.profile as Parameters<typeof resolveProfile>[0]);
    this.snapshot = { nodes, running, nowSec: 0, ...(queues ? { queues } : {}) };
  }

  /** Rebuild the view from the simulator's nodes before the next call. */
  invalidate(): void {
    this.stale = true;
  }

  private rebuild(): void {
    this.state = new ClusterState(this.nodes, this.snapshot.running);
    const perf = typeof this.ctx.perf === 'function' ? (this.ctx.perf as NonNullable<ConstructorParameters<typeof Engine>[2]['perf']>) : undefined;
    const catalog = this.ctx.catalog as ConstructorParameters<typeof Engine>[2]['catalog'];
    this.engine = new Engine(this.state, this.profile, { rng: this.ctx.rng, snapshot: this.snapshot, ...(catalog ? { catalog } : {}), ...(perf ? { perf } : {}) });
    this.stale = false;
  }

  /** Gives a finished or failed job's cards (and its share of CPU and memory) back to the engine's view. */
  release(job: SchedJob, placements: Placement[]): void {
    if (this.stale) return;
    const cards = placements.reduce((s, p) => s + p.devices.length, 0);
    const tag = jobTag(job);
    for (const p of placements) {
      const node = this.state.nodeIndex.get(p.nodeId);
      if (node === undefined) continue;
      const share = cards === 0 ? 1 : p.devices.length / cards;
      this.state.apply(node, p.devices, p.milliPerDevice, (job.cpuMilli ?? 0) * share, (job.memoryMiB ?? 0) * share, tag, -1);
    }
    this.engine.capacityFreed();
  }

  /** Same contract and loop as `sched.schedule`, on the long-lived view; `nominated` as `Snapshot.nominated`. */
  schedule(queue: SchedJob[], nowSec: number, nominated: readonly string[] = []): ScheduleResult {
    if (this.stale) this.rebuild();
    this.snapshot.nowSec = nowSec;
    if (nominated.length > 0) this.snapshot.nominated = nominated;
    else delete this.snapshot.nominated;
    this.engine.prepare(queue);
    const decisions: Decision[] = [];
    const pending: ScheduleResult['pending'] = {};
    const seen = new Set<string>();
    for (const job of this.engine.order(queue)) {
      if (seen.has(job.id)) {
        decisions.push({ kind: 'reject', jobId: job.id, reason: 'duplicate job id in the queue' });
        continue;
      }
      seen.add(job.id);
      const outcome = this.engine.scheduleOne(job);
      if (outcome.kind === 'pending') {
        pending[job.id] = outcome.reasons;
        decisions.push(...outcome.decisions);
      } else decisions.push(outcome.decision);
    }
    if (decisions.some((d) => d.kind === 'preempt')) this.stale = true;
    return { decisions, pending };
  }
}
