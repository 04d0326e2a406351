import { onlyArgs } from '../framework/args.js';
import type { FilterPlugin, PluginFactory } from '../framework/plugin.js';

export const NAME = 'node-resources-fit';

const CPU = 'insufficient cpu';
const MEMORY = 'insufficient memory';

/**
 * Host CPU and memory, like kube-scheduler's NodeResourcesFit. The job's figures are for the whole job;
 * while a gang is assembled a node must hold at least one card's share.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: FilterPlugin = {
    name: NAME,
    filter: (cycle, state, node, partial) => {
      const share = partial ? 1 / cycle.cards : 1;
      if ((state.cpuFree[node] as number) < cycle.cpuMilli * share) return CPU;
      if ((state.memFree[node] as number) < cycle.memoryMiB * share) return MEMORY;
      return null;
    },
  };
  return plugin;
};
