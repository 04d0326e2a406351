import { onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle, PluginFactory, PostFilterPlugin, PreFilterPlugin } from '../framework/plugin.js';
import { FIT, unschedulable } from '../framework/status.js';
import { LIFTED, RESERVED } from './backfill.js';
import { bookFor, type QueueBook } from './queue-book.js';
import { quotaScratch } from './queue-quota.js';

export const NAME = 'shape-memo';

interface Failure {
  jobId: string;
  priority: number;
  releases: number;
  reasons: string;
}

/**
 * The engine remembers a failed job shape for the rest of a call only in profiles without post-filters,
 * because preemption acts per job; this plugin restores that shortcut for the queueing profile, where
 * it is safe. A job waits without a node scan when an earlier job of this call with the same queue and
 * shape (chips, cards, share, CPU, memory, gang) found no place, and
 * - nothing was released since (no victims left the quota, so quota and cards have only shrunk),
 * - that job preempted nothing and got no backfill reservation (this one would not get them either:
 *   preemption fails alike at the same or a lower priority, reservations are taken or impossible),
 * - this job's priority is not higher, and no reservation was lifted for it (a short job sees more).
 * Its reason names the earlier job and repeats why it waits. List it last among pre- and post-filters.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const calls = new WeakMap<ClusterState, { book: QueueBook; failures: Map<string, Failure> }>();
  const memo = (state: ClusterState, cycle: Cycle): Map<string, Failure> => {
    const book = bookFor(state, cycle.ctx.snapshot);
    let c = calls.get(state);
    if (!c || c.book !== book) calls.set(state, (c = { book, failures: new Map() }));
    return c.failures;
  };
  const keyOf = (cycle: Cycle): string | null => {
    const leaf = quotaScratch(cycle)?.leaf;
    if (leaf === undefined) return null;
    const c = cycle.job.chips;
    const chips = c.kind === 'pinned' ? c.chip : c.kind === 'any-of' ? c.chips.join(',') : c.kind === 'any-stack' ? `stack:${c.stacks.join(',')}` : '*';
    return `${leaf}|${chips}|${cycle.cards}|${cycle.milli}|${cycle.cpuMilli}|${cycle.memoryMiB}|${cycle.job.gang ? 1 : 0}`;
  };
  const plugin: PreFilterPlugin & PostFilterPlugin = {
    name: NAME,
    preFilter: (cycle, state) => {
      if (cycle.scratch.get(LIFTED)) return FIT;
      const key = keyOf(cycle);
      if (key === null) return FIT;
      const known = memo(state, cycle).get(key);
      if (!known || known.priority < cycle.job.priority || known.releases !== bookFor(state, cycle.ctx.snapshot).releases) return FIT;
      return unschedulable(`no place, as for ${known.jobId} (same queue and shape) earlier in this pass: ${known.reasons}`);
    },
    postFilter: (cycle, state, reasons) => {
      const book = bookFor(state, cycle.ctx.snapshot);
      const key = keyOf(cycle);
      if (key === null || cycle.scratch.get(LIFTED) || cycle.scratch.get(RESERVED) || book.preemptedFor.has(cycle.job.id)) return [];
      const failures = memo(state, cycle);
      const known = failures.get(key);
      if (!known || known.releases !== book.releases || known.priority < cycle.job.priority) {
        failures.set(key, { jobId: cycle.job.id, priority: cycle.job.priority, releases: book.releases, reasons: [...reasons.keys()].join('; ') });
      }
      return [];
    },
  };
  return plugin;
};
