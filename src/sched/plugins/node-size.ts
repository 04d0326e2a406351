import { enumArg, onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'node-size';

/**
 * Prefers smaller (or larger) nodes by card count: `small` scores 100 x (1 - cards/maxCards).
 * As a tie-break under FGD (`default` profile) it keeps large nodes whole for large jobs; on openb it
 * raised allocation at 130% load by 0.01 to 0.4 points over FGD (bench/fgd-compare.ts prints it).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['prefer']);
  const prefer = enumArg(NAME, args, 'prefer', ['small', 'large'] as const, 'small');
  let bound: ClusterState | null = null;
  let maxCards = 1;
  const plugin: ScorePlugin = {
    name: NAME,
    score: (_cycle, state, node) => {
      if (bound !== state) {
        bound = state;
        maxCards = 1;
        for (let n = 0; n < state.nodeCount; n++) maxCards = Math.max(maxCards, state.cardsOf[n] as number);
      }
      const share = (state.cardsOf[node] as number) / maxCards;
      return 100 * (prefer === 'small' ? 1 - share : share);
    },
  };
  return plugin;
};
