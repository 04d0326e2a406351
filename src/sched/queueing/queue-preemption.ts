import { enumArg, numberArg, onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle, PluginFactory, PostFilterPlugin, PreparePlugin } from '../framework/plugin.js';
import type { Decision } from '../types.js';
import { anyNodeFitsOnChip, fitsOnNode, GangMeter } from './fit.js';
import { bookFor, openBook, QueueBook, type RunInfo } from './queue-book.js';
import { quotaScratch } from './queue-quota.js';
import { Trial } from './trial.js';

export const NAME = 'queue-preemption';

/** Per call (book): shape key -> the highest priority that found no victims. */
const failures = new WeakMap<QueueBook, Map<string, number>>();

interface Candidate {
  info: RunInfo;
  /** 0: borrowed work reclaimed for a queue within its nominal quota; 1: lower priority. */
  tier: 0 | 1;
  lostCardSec: number;
}

interface Choice {
  victims: Candidate[];
  cost: number[];
  /** Chip index the job will run on once the victims are gone (-1: decided by quota afterwards). */
  chip: number;
}

/**
 * postFilter: when a job found no place (or its queue's quota is full), frees room by preempting, and
 * only when the job then fits (checked on a what-if release of the victims, undone afterwards):
 * - a queue within its nominal quota reclaims work other queues run on borrowed quota (`reclaim`:
 *   any priority by default), borrowed work first;
 * - otherwise, and also, lower-priority work of the job's own queue (all queues when none are configured);
 * - never a job younger than its `minRuntimeSec` (or the `minRuntimeSec` argument when the job has none);
 * - never part of a gang: a victim is a whole job with every placement;
 * - the cheapest set: fewest non-borrowed victims, then the lowest highest priority, then the fewest
 *   cards, then the least work lost (cards x seconds run); after the greedy pick, victims whose removal
 *   is not needed are spared (kube-scheduler's reprieve).
 * A non-gang job needs one node, so each node with candidates is tried on its own and the cheapest wins.
 * Emits `preempt` decisions with `forJobId` and the reason; the caller evicts, and the job binds in a
 * later call. Victims chosen in this call are not chosen again.
 *
 * Args: `reclaim` ('any' | 'lower-priority' | 'never', default 'any'), `minRuntimeSec` (default 0),
 * `maxVictims` per preemptor (default 64), `maxPreemptionsPerCall` (default 0 = no limit: a churn
 * limiter; preemptors beyond it wait for the next call).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['reclaim', 'minRuntimeSec', 'maxVictims', 'maxPreemptionsPerCall']);
  const maxPerCall = numberArg(NAME, args, 'maxPreemptionsPerCall', 0, 0, 1e9);
  const reclaim = enumArg(NAME, args, 'reclaim', ['any', 'lower-priority', 'never'] as const, 'any');
  const defaultMinRuntimeSec = numberArg(NAME, args, 'minRuntimeSec', 0, 0, 1e9);
  const maxVictims = numberArg(NAME, args, 'maxVictims', 64, 1, 10_000);
  const plugin: PreparePlugin & PostFilterPlugin = {
    name: NAME,
    prepare: (state, queue, ctx) => {
      openBook(state, ctx.snapshot, queue);
    },
    postFilter: (cycle, state) => {
      const book = bookFor(state, cycle.ctx.snapshot);
      const job = cycle.job;
      const scratch = quotaScratch(cycle);
      const leafOrReason = scratch?.leaf ?? book.leafOf(job);
      if (typeof leafOrReason === 'string' || cycle.cards === 0) return [];
      const leaf = leafOrReason;
      if (maxPerCall > 0 && book.victims.size >= maxPerCall) return [];
      const amount = scratch?.amount ?? QueueBook.amountOf(cycle.cards, cycle.milli);
      const quotaBlocked = scratch?.blocked ?? null;
      const now = cycle.ctx.snapshot.nowSec;
      const withinNominal = book.configured && !quotaBlocked && acceptedChips(cycle, state).some((c) => book.withinNominal(leaf, c, amount));

      // Within one call victims are only taken and capacity only shrinks: a shape of one queue that
      // found no victims at some priority finds none at that priority or below later in the call.
      let chipKey = '';
      for (let c = 0; c < state.chips.length; c++) chipKey += cycle.chipOk[c] ? '1' : '0';
      const key = `${leaf}|${cycle.cards}|${cycle.milli}|${job.gang ? 1 : 0}|${quotaBlocked ? 1 : 0}|${chipKey}`;
      let failed = failures.get(book);
      if (!failed) failures.set(book, (failed = new Map()));
      if ((failed.get(key) ?? -Infinity) >= job.priority) return [];

      const candidates: Candidate[] = [];
      const consider = (info: RunInfo, tier: 0 | 1): void => {
        if (book.victims.has(info.jobId) || now - info.startTimeSec < (info.minRuntimeSec ?? defaultMinRuntimeSec)) return;
        if (!quotaBlocked && (info.chip < 0 || !cycle.chipOk[info.chip])) return;
        candidates.push({ info, tier, lostCardSec: info.amount * Math.max(0, now - info.startTimeSec) });
      };
      // Lower priority: in the job's own queue (everywhere when no queues are configured).
      for (const info of book.configured ? (book.runsByLeaf.get(leaf) ?? []) : book.runsByPriority) {
        if (info.priority >= job.priority) break;
        consider(info, 1);
      }
      // Reclaim: borrowed work of other queues, for a queue within its nominal quota.
      if (book.configured && !quotaBlocked && withinNominal && reclaim !== 'never') {
        for (const info of book.borrowedRuns) {
          if (info.leaf === leaf) continue;
          if (reclaim === 'lower-priority' && info.priority >= job.priority) break;
          consider(info, 0);
        }
      }
      if (candidates.length === 0) return [];
      candidates.sort((a, b) => a.tier - b.tier || (a.info.borrowed === b.info.borrowed ? 0 : a.info.borrowed ? -1 : 1) || a.info.priority - b.info.priority || a.lostCardSec - b.lostCardSec || a.info.amount - b.info.amount || (a.info.jobId < b.info.jobId ? -1 : 1));

      let choice: Choice | null;
      if (quotaBlocked) {
        // Quota and cards on the same chip: the job must be admissible where it can be placed.
        const chips = acceptedChips(cycle, state);
        const fitsOn = (c: number): boolean => book.admits(leaf, c, amount) === null && (job.gang ? new GangMeter(state, cycle).fittingDomain(c) !== null : anyNodeFitsOnChip(state, cycle, c));
        choice = greedy(state, book, candidates.slice(0, maxVictims), () => chips.some(fitsOn), true, () => chips.find(fitsOn) ?? -1);
      } else if (job.gang) {
        choice = greedyGang(state, cycle, candidates.slice(0, maxVictims));
      } else choice = perNode(state, cycle, candidates);
      if (!choice || (maxPerCall > 0 && book.victims.size + choice.victims.length > maxPerCall)) {
        if (!choice) failed.set(key, Math.max(failed.get(key) ?? -Infinity, job.priority));
        return [];
      }
      // The victims leave and the job will take their place: count that now, so later jobs of this call
      // see the quota as it will be (a queue within nominal stops reclaiming once its nominal is spoken for).
      for (const v of choice.victims) book.charge(v.info.leaf, v.info.chip, v.info.chipName, v.info.amount, -1);
      const chip = choice.chip >= 0 ? choice.chip : (acceptedChips(cycle, state).find((c) => book.admits(leaf, c, amount) === null) ?? -1);
      if (chip >= 0) book.charge(leaf, chip, state.chips[chip] as string, amount, 1);
      const decisions: Decision[] = [];
      for (const v of choice.victims) {
        book.victims.add(v.info.jobId);
        decisions.push({ kind: 'preempt', jobId: v.info.jobId, forJobId: job.id, reason: reasonFor(book, v, job.id, job.priority, quotaBlocked) });
      }
      book.preemptedFor.set(job.id, { victims: choice.victims.map((v) => v.info.jobId), chip });
      return decisions;
    },
  };
  return plugin;
};

function acceptedChips(cycle: Cycle, state: ClusterState): number[] {
  const out: number[] = [];
  for (let c = 0; c < state.chips.length; c++) if (cycle.chipOk[c]) out.push(c);
  return out;
}

function reasonFor(book: QueueBook, v: Candidate, forJob: string, priority: number, quotaBlocked: string | null): string {
  const queue = v.info.leaf > 0 ? book.name(v.info.leaf) : 'an unknown queue';
  if (v.tier === 0) return `reclaiming quota: queue ${queue} runs this job on borrowed quota (${v.info.chipName}), needed by ${forJob} within its queue's nominal quota`;
  const why = quotaBlocked ? `to free quota in queue ${queue}` : 'to free cards';
  return `lower priority (${v.info.priority} < ${priority})${v.info.borrowed ? ', on borrowed quota' : ''}: preempted ${why} for ${forJob}`;
}

/** Lexicographic cost of a victim set: non-borrowed victims, highest priority, cards, work lost. */
function costOf(victims: Candidate[]): number[] {
  let nonBorrowed = 0;
  let maxPriority = -Infinity;
  let cards = 0;
  let lost = 0;
  for (const v of victims) {
    if (!v.info.borrowed) nonBorrowed++;
    maxPriority = Math.max(maxPriority, v.info.priority);
    cards += v.info.amount;
    lost += v.lostCardSec;
  }
  return [nonBorrowed, maxPriority, cards, lost];
}

function cheaper(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  return false;
}

/**
 * Releases candidates in order until `fits`, then spares those not needed (most expensive first),
 * undoing every change before returning. `book`: also uncharge the victims' quota (quota preemption).
 */
function greedy(state: ClusterState, book: QueueBook, candidates: Candidate[], fits: () => boolean, uncharge: boolean, chipAfter: () => number): Choice | null {
  const trial = new Trial(state);
  const chosen: Candidate[] = [];
  const release = (c: Candidate): void => {
    trial.release(c.info);
    if (uncharge) book.charge(c.info.leaf, c.info.chip, c.info.chipName, c.info.amount, -1);
  };
  const restore = (c: Candidate): void => {
    trial.restore(c.info);
    if (uncharge) book.charge(c.info.leaf, c.info.chip, c.info.chipName, c.info.amount, 1);
  };
  let ok = false;
  for (const c of candidates) {
    release(c);
    chosen.push(c);
    if (fits()) {
      ok = true;
      break;
    }
  }
  if (ok) reprieve(chosen, restore, release, fits);
  const chip = ok ? chipAfter() : -1;
  for (const c of chosen) if (uncharge) book.charge(c.info.leaf, c.info.chip, c.info.chipName, c.info.amount, 1);
  trial.undo();
  return ok ? { victims: chosen, cost: costOf(chosen), chip } : null;
}

function reprieve(chosen: Candidate[], restore: (c: Candidate) => void, release: (c: Candidate) => void, fits: () => boolean): void {
  for (let i = chosen.length - 1; i >= 0; i--) {
    const c = chosen[i] as Candidate;
    restore(c);
    if (fits()) chosen.splice(i, 1);
    else release(c);
  }
}

function greedyGang(state: ClusterState, cycle: Cycle, candidates: Candidate[]): Choice | null {
  const meter = new GangMeter(state, cycle);
  const touch = (nodes: number[]): void => {
    for (const n of nodes) meter.update(n);
  };
  const trial = new Trial(state);
  const chosen: Candidate[] = [];
  const fits = (): boolean => meter.fittingDomain() !== null;
  let ok = false;
  for (const c of candidates) {
    touch(trial.release(c.info));
    chosen.push(c);
    if (fits()) {
      ok = true;
      break;
    }
  }
  if (ok) reprieve(chosen, (c) => touch(trial.restore(c.info)), (c) => touch(trial.release(c.info)), fits);
  const domain = meter.fittingDomain();
  trial.undo();
  return ok && domain !== null ? { victims: chosen, cost: costOf(chosen), chip: meter.chipOfKey(domain) } : null;
}

/** A non-gang job lands on one node: try each node that holds candidates, keep the cheapest victim set. */
function perNode(state: ClusterState, cycle: Cycle, candidates: Candidate[]): Choice | null {
  const byNode = new Map<number, Candidate[]>();
  for (const c of candidates) {
    for (const run of c.info.runs) {
      for (const p of run.placements) {
        const node = state.nodeIndex.get(p.nodeId);
        if (node === undefined || !state.schedulable[node] || !cycle.chipOk[state.chipOf[node] as number] || (state.cardsOf[node] as number) < cycle.cards) continue;
        const list = byNode.get(node);
        if (!list) byNode.set(node, [c]);
        else if (list[list.length - 1] !== c) list.push(c);
      }
    }
  }
  let best: Choice | null = null;
  const nodes = [...byNode.keys()].sort((a, b) => (state.rank[a] as number) - (state.rank[b] as number));
  for (const node of nodes) {
    const list = byNode.get(node) as Candidate[];
    const trial = new Trial(state);
    const chosen: Candidate[] = [];
    const fits = (): boolean => fitsOnNode(state, cycle, node);
    let ok = false;
    for (const c of list) {
      trial.release(c.info);
      chosen.push(c);
      if (fits()) {
        ok = true;
        break;
      }
    }
    if (ok) reprieve(chosen, (c) => trial.restore(c.info), (c) => trial.release(c.info), fits);
    trial.undo();
    if (!ok) continue;
    const cost = costOf(chosen);
    if (!best || cheaper(cost, best.cost)) best = { victims: chosen, cost, chip: state.chipOf[node] as number };
  }
  return best;
}
