import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'least-allocated';

/** Spreads: 100 x the node's share of card milli still free (kube-scheduler's LeastAllocated, for cards). */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: ScorePlugin = {
    name: NAME,
    score: (_cycle, state, node) => {
      const cap = (state.cardsOf[node] as number) * CARD_MILLI;
      return cap === 0 ? 0 : (100 * (state.freeMilliSum[node] as number)) / cap;
    },
  };
  return plugin;
};
