import { onlyArgs } from '../framework/args.js';
import type { PluginFactory, PreFilterPlugin } from '../framework/plugin.js';
import { FIT, unresolvable } from '../framework/status.js';

export const NAME = 'never-fits';

/**
 * Rejects a job that could not run even on an empty fleet, instead of leaving it pending forever:
 * a non-gang job needs one node with enough cards of an accepted chip; a gang needs enough cards in total.
 * Runs after chip-eligibility.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: PreFilterPlugin = {
    name: NAME,
    preFilter: (cycle, state) => {
      if (cycle.job.cards === 0) return FIT;
      let maxPerNode = 0;
      let total = 0;
      for (let c = 0; c < state.chips.length; c++) {
        if (!cycle.chipOk[c]) continue;
        maxPerNode = Math.max(maxPerNode, state.maxCardsPerNodeByChip[c] as number);
        total += state.chipCards[c] as number;
      }
      if (cycle.job.gang) {
        if (total < cycle.cards) return unresolvable(`the gang needs ${cycle.cards} cards but the fleet has ${total} of the accepted chips`);
        return FIT;
      }
      if (maxPerNode < cycle.cards) return unresolvable(`needs ${cycle.cards} cards on one node but the largest node of an accepted chip has ${maxPerNode}; submit it as a gang to span nodes`);
      return FIT;
    },
  };
  return plugin;
};
