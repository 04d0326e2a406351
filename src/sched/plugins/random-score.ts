import { onlyArgs } from '../framework/args.js';
import type { PluginFactory, PreScorePlugin, ScorePlugin } from '../framework/plugin.js';
import { randomInt } from '../../lib/rng.js';

export const NAME = 'random-score';

/** The FGD paper's Random baseline: one feasible node drawn uniformly scores 100, the rest 0. */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  let chosen = -1;
  const plugin: PreScorePlugin & ScorePlugin = {
    name: NAME,
    perNode: true,
    preScore: (cycle, _state, feasible, count) => {
      chosen = feasible[randomInt(cycle.ctx.rng, count)] as number;
    },
    score: (_cycle, _state, node) => (node === chosen ? 100 : 0),
  };
  return plugin;
};
