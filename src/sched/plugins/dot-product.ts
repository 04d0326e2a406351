import { onlyArgs } from '../framework/args.js';
import { cpuLeft, scaleArgs } from '../framework/openb-scale.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'dot-product';

/**
 * The FGD paper's DotProd (merge, max-normalised): prefer the node whose free vector is least aligned
 * with the request, `score = trunc(100 * (1 - ((Lcpu/M)(rcpu/M) + (Lg/G)(rg/G)) / 2))`; 0 if the CPU does not fit.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['maxCpuMilli', 'maxCardMilli']);
  const { maxCpuMilli, maxCardMilli } = scaleArgs(NAME, args);
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      const rCpu = cycle.cpuMilli;
      const lCpu = cpuLeft(state, node, rCpu);
      if (lCpu < rCpu) return 0;
      const rG = cycle.milli * cycle.cards;
      const lG = state.freeMilliSum[node] as number;
      const d = ((lCpu / maxCpuMilli) * (rCpu / maxCpuMilli) + (lG / maxCardMilli) * (rG / maxCardMilli)) / 2;
      return Math.trunc(100 * (1 - d));
    },
  };
  return plugin;
};
