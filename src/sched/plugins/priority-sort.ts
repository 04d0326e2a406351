import { onlyArgs } from '../framework/args.js';
import type { PluginFactory, QueueSortPlugin } from '../framework/plugin.js';

export const NAME = 'priority-sort';

/** Higher priority first, then earlier submission, then job id (a total order, so runs are reproducible). */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: QueueSortPlugin = {
    name: NAME,
    compare: (a, b) => b.priority - a.priority || a.submitTimeSec - b.submitTimeSec || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  };
  return plugin;
};
