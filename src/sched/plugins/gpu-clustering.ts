import { onlyArgs } from '../framework/args.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'gpu-clustering';

/**
 * The FGD paper's GpuClustering: keep jobs of one kind (fractional, 1-card, 2-card, ...) together.
 * `b = 25*(8000-Lg)/8000` (integer division), plus 75 if the node holds only this kind, 50 if this kind
 * among others, 25 if no card job at all, 0 if only other kinds. CPU-only jobs score 0.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['maxCardMilli']);
  const maxCardMilli = typeof args.maxCardMilli === 'number' ? args.maxCardMilli : 8000;
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      if (cycle.cards === 0) return 0;
      const b = Math.trunc((25 * (maxCardMilli - (state.freeMilliSum[node] as number))) / maxCardMilli);
      const tags = state.tagCounts[node] as Map<number, number>;
      if (tags.size === 0) return b + 25;
      if (!tags.has(cycle.tag)) return b;
      return tags.size === 1 ? b + 75 : b + 50;
    },
  };
  return plugin;
};
