import { onlyArgs } from '../framework/args.js';
import type { Cycle, FilterPlugin, PermitPlugin, PluginFactory, PreFilterPlugin, PreparePlugin } from '../framework/plugin.js';
import { FIT, unschedulable } from '../framework/status.js';
import { parseH20eqArg } from './h20eq-weights.js';
import { bookFor, openBook, QueueBook } from './queue-book.js';

export const NAME = 'queue-quota';

/** What the quota check learned about a job, for the other queueing plugins of the same cycle. */
export interface QuotaScratch {
  leaf: number;
  amount: number;
  /** Set when quota blocks the job on every accepted chip but lower-priority work in its queue could make room. */
  blocked: string | null;
}

export function quotaScratch(cycle: Cycle): QuotaScratch | undefined {
  return cycle.scratch.get(NAME) as QuotaScratch | undefined;
}

/**
 * Queue-level admission, checked before placement and counted after it (so a job whose quota allows it
 * but which cannot be placed holds no quota and blocks nobody: the deadlock Kueue users meet when quota
 * is reserved for unplaceable work). preFilter: the job's queue must exist and belong to its tenant;
 * chips whose quota (per chip, `*`, `h20eq`, along the queue's ancestors) cannot take the job are
 * dropped from the chips it may use, so placement looks only where quota allows; when none is left the
 * job waits with the reason (`queue team-a: quota for ascend-910b exhausted (16/16 cards, borrowing
 * limit 8 reached; job needs 4)`). permit: the placement's chip is charged to the queue and its ancestors.
 * When quota blocks a job but lower-priority work of its own queue runs, every node is filtered out with
 * the quota reason instead, so that the preemption plugin (postFilter) can free room inside the queue.
 *
 * Args: `h20eq` `{chipId: H20-equivalents per card}` for `h20eq` quotas and DRF (absent: 1 per card).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['h20eq']);
  const weights = parseH20eqArg(NAME, args.h20eq);
  const plugin: PreparePlugin & PreFilterPlugin & FilterPlugin & PermitPlugin = {
    name: NAME,
    prepare: (state, queue, ctx) => {
      openBook(state, ctx.snapshot, queue, weights);
    },
    preFilter: (cycle, state) => {
      const book = bookFor(state, cycle.ctx.snapshot, weights);
      const leaf = book.leafOf(cycle.job);
      if (typeof leaf === 'string') return unschedulable(leaf);
      const amount = QueueBook.amountOf(cycle.cards, cycle.milli);
      const scratch: QuotaScratch = { leaf, amount, blocked: null };
      cycle.scratch.set(NAME, scratch);
      if (amount === 0) return FIT;
      const accepted = cycle.chipOk.slice();
      let first: string | null = null;
      let any = false;
      for (let c = 0; c < state.chips.length; c++) {
        if (!cycle.chipOk[c]) continue;
        const reason = book.admits(leaf, c, amount);
        if (reason === null) any = true;
        else {
          cycle.chipOk[c] = 0;
          first ??= reason;
        }
      }
      if (any) return FIT;
      const reason = first ?? 'no chip accepted';
      const now = cycle.ctx.snapshot.nowSec;
      const preemptible = (book.runsByLeaf.get(leaf) ?? []).some((r) => r.priority < cycle.job.priority && !book.victims.has(r.jobId) && now - r.startTimeSec >= (r.minRuntimeSec ?? 0));
      if (!preemptible) return unschedulable(reason);
      cycle.chipOk.set(accepted);
      scratch.blocked = reason;
      return FIT;
    },
    filter: (cycle) => quotaScratch(cycle)?.blocked ?? null,
    permit: (cycle, state, placements) => {
      const scratch = quotaScratch(cycle);
      const first = placements[0];
      if (!scratch || !first || scratch.amount === 0) return FIT;
      const book = bookFor(state, cycle.ctx.snapshot, weights);
      const node = state.nodeIndex.get(first.nodeId) as number;
      const chip = state.chipOf[node] as number;
      const reason = book.admits(scratch.leaf, chip, scratch.amount);
      if (reason !== null) return unschedulable(reason);
      book.charge(scratch.leaf, chip, state.chips[chip] as string, scratch.amount, 1);
      return FIT;
    },
  };
  return plugin;
};
