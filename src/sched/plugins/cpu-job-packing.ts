import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'cpu-job-packing';

/**
 * Keeps CPU-only jobs off card capacity: a CPU-only job prefers nodes whose cards are already taken
 * (their CPU is otherwise stranded) and spares nodes with free cards, whose CPU future card jobs need.
 * Score = 100 x the node's share of card milli in use; card jobs score 0 everywhere (no effect).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      if (cycle.cards > 0) return 0;
      const cap = (state.cardsOf[node] as number) * CARD_MILLI;
      return cap === 0 ? 100 : (100 * (cap - (state.freeMilliSum[node] as number))) / cap;
    },
  };
  return plugin;
};
