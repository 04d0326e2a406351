import type { Decision, PendingReason, SchedJob } from '../types.js';
import { CARD_MILLI, jobTag, type ClusterState } from './cluster-state.js';
import { NodeClasses } from './node-classes.js';
import type { Cycle, EngineContext } from './plugin.js';
import type { Profile } from './profile.js';
import { StatusCode } from './status.js';
import { Transaction } from './transaction.js';

/** What one scheduling cycle decided for one job. */
export type Outcome =
  | { kind: 'bind'; decision: Extract<Decision, { kind: 'bind' }> }
  | { kind: 'reject'; decision: Extract<Decision, { kind: 'reject' }> }
  | { kind: 'pending'; reasons: PendingReason[]; decisions: Decision[] };

/**
 * Runs profiles over a cluster state, one job at a time (kube-scheduler's scheduling cycle):
 * preFilter -> filter (per node, early cut-off) -> preScore -> score (+normalize) -> select host
 * (highest weighted score; ties to the smallest rank) -> reserve (transaction) -> permit -> commit.
 * A gang no single node can hold goes to the profile's gang plugin, all or nothing.
 * Scratch buffers are allocated once per engine, so the hot loop allocates nothing per node.
 */
export class Engine {
  private readonly feasible: Int32Array;
  private readonly partialBuf: Int32Array;
  private readonly total: Float64Array;
  private readonly perPlugin: Float64Array[];
  private readonly reasonCounts: Map<string, number>[];
  private readonly failedShapes = new Map<string, Outcome>();
  private readonly chipOk: Uint8Array;
  private readonly scratch = new Map<string, unknown>();
  private nextStart = 0;
  /** Groups of identical nodes, or null when a plugin needs to see every node. */
  private readonly classes: NodeClasses | null;

  constructor(
    readonly state: ClusterState,
    readonly profile: Profile,
    readonly ctx: EngineContext,
  ) {
    const n = state.nodeCount;
    this.feasible = new Int32Array(n);
    this.partialBuf = new Int32Array(n);
    this.total = new Float64Array(n);
    this.perPlugin = profile.score.map(() => new Float64Array(n));
    this.reasonCounts = profile.filter.map(() => new Map());
    this.chipOk = new Uint8Array(state.chips.length);
    const all = [profile.queueSort, ...profile.prepare, ...profile.preFilter, ...profile.filter, ...profile.preScore, ...profile.score.map((s) => s.plugin), profile.reserve, profile.gang, ...profile.permit, ...profile.postFilter];
    this.classes = all.some((p) => p?.perNode) ? null : new NodeClasses(state);
  }

  /**
   * Forget remembered failures: call after capacity was given back (jobs finished, nodes returned)
   * when the same engine is used across time. `schedule()` builds a fresh engine per call.
   */
  capacityFreed(): void {
    this.failedShapes.clear();
  }

  /** Lets plugins look at the whole queue once (e.g. to learn the workload mix). */
  prepare(queue: readonly SchedJob[]): void {
    for (const p of this.profile.prepare) p.prepare(this.state, queue, this.ctx);
  }

  /** Sorts a copy of the queue by the profile's queue-sort plugin (or keeps its order). */
  order(queue: readonly SchedJob[]): SchedJob[] {
    const sorter = this.profile.queueSort;
    const sorted = sorter ? [...queue].sort((a, b) => sorter.compare(a, b)) : [...queue];
    const nominated = this.ctx.snapshot.nominated;
    if (!nominated || nominated.length === 0) return sorted;
    // Nominated jobs first (in the queue's order among themselves), then the rest.
    const first = new Set(nominated);
    return [...sorted.filter((j) => first.has(j.id)), ...sorted.filter((j) => !first.has(j.id))];
  }

  scheduleOne(job: SchedJob): Outcome {
    this.classes?.refresh();
    // One cycle object and its buffers are reused: plugins must not keep them past the cycle.
    this.chipOk.fill(1);
    this.scratch.clear();
    const cycle: Cycle = {
      job,
      cards: Math.max(0, Math.trunc(job.cards)),
      milli: Math.trunc(job.milliPerCard),
      cpuMilli: job.cpuMilli ?? 0,
      memoryMiB: job.memoryMiB ?? 0,
      tag: jobTag(job),
      chipOk: this.chipOk,
      scratch: this.scratch,
      ctx: this.ctx,
    };
    for (const p of this.profile.preFilter) {
      const st = p.preFilter(cycle, this.state);
      if (st.code === StatusCode.fit) continue;
      const reason = st.reason ?? st.code;
      if (st.code === StatusCode.unresolvable) return { kind: 'reject', decision: { kind: 'reject', jobId: job.id, reason: `${p.name}: ${reason}` } };
      return { kind: 'pending', reasons: [{ plugin: p.name, reason }], decisions: [] };
    }
    const shape = shapeKey(job, cycle);
    const known = this.failedShapes.get(shape);
    if (known) return known;

    const count = this.filterNodes(cycle, false, this.feasible, false);
    if (count > 0) {
      const node = this.selectHost(cycle, count);
      const txn = new Transaction(this.state);
      if (this.profile.reserve.reserve(cycle, this.state, node, cycle.cards, txn)) {
        const outcome = this.permitAndCommit(cycle, txn);
        if (outcome) return outcome;
      } else {
        txn.rollback();
      }
      return { kind: 'pending', reasons: [{ plugin: this.profile.reserve.name, reason: 'could not reserve devices on the chosen node' }], decisions: [] };
    }
    if (cycle.job.gang && this.profile.gang) {
      const partial = this.filterNodes(cycle, true, this.partialBuf, false);
      const txn = new Transaction(this.state);
      const st = partial > 0 ? this.profile.gang.placeGang(cycle, this.state, this.partialBuf, partial, txn, this.profile.reserve) : { code: StatusCode.unschedulable, reason: 'no node can hold any part of the gang' };
      if (st.code === StatusCode.fit) {
        const outcome = this.permitAndCommit(cycle, txn);
        if (outcome) return outcome;
      } else {
        txn.rollback();
        this.filterNodes(cycle, false, this.partialBuf, true);
        const reasons = this.collectReasons();
        reasons.unshift({ plugin: this.profile.gang.name, reason: st.reason ?? st.code });
        return this.pending(cycle, shape, reasons);
      }
    }
    // Reasons are counted on a second scan, only for jobs that found no node: the first scan stays lean.
    this.filterNodes(cycle, false, this.partialBuf, true);
    return this.pending(cycle, shape, this.collectReasons());
  }

  private pending(cycle: Cycle, shape: string, reasons: PendingReason[]): Outcome {
    const decisions: Decision[] = [];
    for (const p of this.profile.postFilter) decisions.push(...p.postFilter(cycle, this.state, new Map(reasons.map((r) => [`${r.plugin}: ${r.reason}`, 1]))));
    // Later jobs of the same shape get the same verdict without a scan; post-filters (preemption)
    // act per job, so a profile with any keeps asking them.
    if (this.profile.postFilter.length === 0) this.failedShapes.set(shape, { kind: 'pending', reasons, decisions: NONE });
    return { kind: 'pending', reasons, decisions };
  }

  private permitAndCommit(cycle: Cycle, txn: Transaction): Outcome | null {
    const placements = txn.placements();
    for (const p of this.profile.permit) {
      const st = p.permit(cycle, this.state, placements);
      if (st.code !== StatusCode.fit) {
        txn.rollback();
        return { kind: 'pending', reasons: [{ plugin: p.name, reason: st.reason ?? st.code }], decisions: [] };
      }
    }
    if (placements.length === 0) {
      txn.rollback();
      return null;
    }
    txn.commit();
    const first = this.state.nodeIndex.get(placements[0]?.nodeId ?? '') ?? 0;
    const chip = this.state.chips[this.state.chipOf[first] as number] as string;
    return { kind: 'bind', decision: { kind: 'bind', jobId: cycle.job.id, chip, placements } };
  }

  /**
   * Fills `out` with the nodes that pass every filter and returns how many. Scans the chips the job
   * accepts, skips a chip at once when its free whole cards cannot cover a whole-card job, and stops
   * at `maxFeasibleNodes` (rotating the start so that load spreads) when the profile allows.
   */
  private filterNodes(cycle: Cycle, partial: boolean, out: Int32Array, diagnose: boolean): number {
    const state = this.state;
    const limit = partial || diagnose ? 0 : this.profile.maxFeasibleNodes;
    if (diagnose) for (const m of this.reasonCounts) m.clear();
    let count = 0;
    const whole = cycle.milli >= CARD_MILLI;
    const start = this.nextStart;
    for (let c = 0; c < state.chips.length; c++) {
      if (!cycle.chipOk[c]) continue;
      if (whole && (state.chipFreeWhole[c] as number) < (partial ? 1 : cycle.cards)) {
        if (diagnose) this.countReason(this.profile.filter.length - 1, `not enough free cards of ${state.chips[c]}`, (state.nodesByChip[c] as Int32Array).length);
        continue;
      }
      if (this.classes) {
        // One representative (the lowest-rank member) per group of identical nodes.
        const ids = this.classes.ofChip(c);
        const len = ids.length;
        for (let i = 0; i < len; i++) {
          const members = this.classes.members(ids[(start + i) % len] as number);
          if (members.length === 0) continue;
          if (!this.passes(cycle, members[0] as number, partial, diagnose, members.length)) continue;
          if (partial) for (const m of members) out[count++] = m;
          else out[count++] = members[0] as number;
          if (limit > 0 && count >= limit) {
            this.nextStart = (start + i + 1) % Math.max(1, len);
            return count;
          }
        }
        continue;
      }
      const list = state.nodesByChip[c] as Int32Array;
      const len = list.length;
      for (let i = 0; i < len; i++) {
        const node = list[(start + i) % len] as number;
        if (!this.passes(cycle, node, partial, diagnose, 1)) continue;
        out[count++] = node;
        if (limit > 0 && count >= limit) {
          this.nextStart = (start + i + 1) % Math.max(1, len);
          return count;
        }
      }
    }
    return count;
  }

  private passes(cycle: Cycle, node: number, partial: boolean, diagnose: boolean, weight: number): boolean {
    const filters = this.profile.filter;
    for (let f = 0; f < filters.length; f++) {
      const reason = (filters[f] as (typeof filters)[number]).filter(cycle, this.state, node, partial);
      if (reason !== null) {
        if (diagnose) this.countReason(f, reason, weight);
        return false;
      }
    }
    return true;
  }

  private countReason(filterIndex: number, reason: string, n: number): void {
    const map = this.reasonCounts[Math.max(0, filterIndex)];
    if (map) map.set(reason, (map.get(reason) ?? 0) + n);
  }

  private collectReasons(): PendingReason[] {
    const out: PendingReason[] = [];
    this.profile.filter.forEach((f, i) => {
      for (const [reason, n] of this.reasonCounts[i] ?? []) out.push({ plugin: f.name, reason: `${reason} (${n} node${n === 1 ? '' : 's'})` });
    });
    if (out.length === 0) out.push({ plugin: 'engine', reason: 'no node accepts this job' });
    return out;
  }

  /** Highest weighted score wins; on a tie the smallest rank. */
  private selectHost(cycle: Cycle, count: number): number {
    const feasible = this.feasible;
    const state = this.state;
    if (count === 1) return feasible[0] as number;
    for (const p of this.profile.preScore) p.preScore(cycle, state, feasible, count);
    const total = this.total;
    total.fill(0, 0, count);
    const scorers = this.profile.score;
    for (let s = 0; s < scorers.length; s++) {
      const { plugin, weight } = scorers[s] as (typeof scorers)[number];
      const buf = this.perPlugin[s] as Float64Array;
      for (let i = 0; i < count; i++) buf[i] = plugin.score(cycle, state, feasible[i] as number);
      if (plugin.normalize) plugin.normalize(cycle, state, feasible, buf, count);
      for (let i = 0; i < count; i++) total[i] = (total[i] as number) + weight * (buf[i] as number);
    }
    let best = feasible[0] as number;
    let bestScore = total[0] as number;
    for (let i = 1; i < count; i++) {
      const node = feasible[i] as number;
      const sc = total[i] as number;
      if (sc > bestScore || (sc === bestScore && (state.rank[node] as number) < (state.rank[best] as number))) {
        best = node;
        bestScore = sc;
      }
    }
    return best;
  }
}

const NONE: Decision[] = [];

/** Jobs with the same shape fail alike: within one pass capacity only shrinks, so a failure is remembered. */
function shapeKey(job: SchedJob, cycle: Cycle): string {
  const c = job.chips;
  const chips = c.kind === 'pinned' ? c.chip : c.kind === 'any-of' ? c.chips.join(',') : c.kind === 'any-stack' ? `stack:${c.stacks.join(',')}` : '*';
  return `${job.tenant}|${job.queue}|${chips}|${cycle.cards}|${cycle.milli}|${cycle.cpuMilli}|${cycle.memoryMiB}|${job.gang ? 1 : 0}`;
}
