import { onlyArgs } from '../framework/args.js';
import type { FilterPlugin, PluginFactory } from '../framework/plugin.js';

export const NAME = 'node-schedulable';

const CORDONED = 'node is not schedulable';

/** Skips cordoned, draining or lost nodes. */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: FilterPlugin = { name: NAME, filter: (_c, state, node) => (state.schedulable[node] ? null : CORDONED) };
  return plugin;
};
