import { onlyArgs } from '../framework/args.js';
import type { FilterPlugin, PluginFactory } from '../framework/plugin.js';

export const NAME = 'card-fit';

const NO_CARDS = 'not enough free cards';
const NO_SHARE = 'no card has the requested share free';

/**
 * The node has `cards` devices with at least `milli` free each (whole cards need fully free devices).
 * While a gang is assembled across nodes, one such device is enough.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: FilterPlugin = {
    name: NAME,
    filter: (cycle, state, node, partial) => {
      if (cycle.job.cards === 0) return null;
      const need = partial ? 1 : cycle.cards;
      if (state.devicesWithAtLeast(node, cycle.milli) >= need) return null;
      return cycle.milli >= 1000 ? NO_CARDS : NO_SHARE;
    },
  };
  return plugin;
};
