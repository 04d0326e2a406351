import { enumArg, numberArg, onlyArgs } from '../framework/args.js';
import type { PluginFactory, PreparePlugin, QueueSortPlugin } from '../framework/plugin.js';
import type { SchedJob } from '../types.js';
import { drfOrder, ShareBasis } from './drf.js';
import { openBook } from './queue-book.js';

export const NAME = 'drf-order';

/**
 * The queue order: hierarchical DRF across the queue tree (tenants, then their queues), priorities
 * inside a queue. Computed once per call in `prepare` by progressive filling (see `drf.ts`) and
 * served to the engine as a comparator over the precomputed ranks.
 *
 * Args: `shareBasis` ('dominant' | 'h20eq', default 'dominant', see `drf.ts`); `historyWeight` in
 * [0, 1] (default 0): time-based fair share, the weight of each queue's `pastShare` (supplied by the
 * caller, e.g. a decayed average) against its current share.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['historyWeight', 'shareBasis']);
  const historyWeight = numberArg(NAME, args, 'historyWeight', 0, 0, 1);
  const basis = enumArg(NAME, args, 'shareBasis', Object.values(ShareBasis), ShareBasis.dominant);
  let rank = new Map<SchedJob, number>();
  const fallback = (a: SchedJob, b: SchedJob): number => b.priority - a.priority || a.submitTimeSec - b.submitTimeSec || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const plugin: PreparePlugin & QueueSortPlugin = {
    name: NAME,
    prepare: (state, queue, ctx) => {
      rank = drfOrder(openBook(state, ctx.snapshot, queue), queue, historyWeight, basis);
    },
    compare: (a, b) => {
      const ra = rank.get(a);
      const rb = rank.get(b);
      if (ra !== undefined && rb !== undefined) return ra - rb;
      if (ra !== undefined) return -1;
      if (rb !== undefined) return 1;
      return fallback(a, b);
    },
  };
  return plugin;
};
