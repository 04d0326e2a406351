import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'link-domain';

/**
 * Topology for multi-card jobs on one node: 100 when some link domain (NVLink/HCCS/ICN island) of the
 * node has all the cards free, so collectives run at card-link bandwidth; 50 when the cards must cross
 * domains (host/PCIe bandwidth). Single-card and fractional jobs score 100 everywhere.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      if (cycle.cards <= 1 || cycle.milli < CARD_MILLI) return 100;
      const domain = state.linkDomainSize[node] as number;
      const cards = state.cardsOf[node] as number;
      if (domain >= cards) return 100;
      const start = state.devStart[node] as number;
      for (let d = 0; d * domain < cards; d++) {
        let free = 0;
        for (let i = d * domain; i < Math.min(cards, (d + 1) * domain); i++) if (state.freeMilli[start + i] === CARD_MILLI) free++;
        if (free >= cycle.cards) return 100;
      }
      return 50;
    },
  };
  return plugin;
};
