import { onlyArgs } from '../framework/args.js';
import { cpuLeft, scaleArgs } from '../framework/openb-scale.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'best-fit';

/**
 * The FGD paper's BestFit: prefer the node left with the least free CPU and cards after placement,
 * `raw = trunc((1 - [(Lcpu-rcpu)/maxCpu*0.5 + (Lg-rg)/maxGpu*0.5]) * 100)`, then min-max normalised over
 * the feasible nodes with integer division (all 0 when every node scores the same).
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['maxCpuMilli', 'maxCardMilli']);
  const { maxCpuMilli, maxCardMilli } = scaleArgs(NAME, args);
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      const rCpu = cycle.cpuMilli;
      const rG = cycle.milli * cycle.cards;
      const lCpu = cpuLeft(state, node, rCpu);
      const lG = state.freeMilliSum[node] as number;
      // Summed in the original's order so that float ties fall the same way.
      const used = ((lCpu - rCpu) / maxCpuMilli) * 0.5 + ((lG - rG) / maxCardMilli) * 0.5;
      return Math.trunc((1 - used) * 100);
    },
    normalize: (_cycle, _state, _feasible, scores, count) => {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < count; i++) {
        const s = scores[i] as number;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      for (let i = 0; i < count; i++) scores[i] = max === min ? 0 : Math.trunc((((scores[i] as number) - min) * 100) / (max - min));
    },
  };
  return plugin;
};
