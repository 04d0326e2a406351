import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'gpu-packing';

/**
 * The FGD paper's GpuPacking: prefer partly used cards, then partly used nodes, then whole free nodes
 * (smaller nodes first). All integer arithmetic, as in the original.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const idx: number[] = [];
  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => {
      if (cycle.cards === 0) return 0;
      const cards = state.cardsOf[node] as number;
      const free = state.freeWhole[node] as number;
      if (free === cards) return Math.max(33 - free, free);
      const start = state.devStart[node] as number;
      idx.length = 0;
      for (let i = 0; i < cards; i++) if ((state.freeMilli[start + i] as number) >= cycle.milli) idx.push(i);
      idx.sort((a, b) => (state.freeMilli[start + a] as number) - (state.freeMilli[start + b] as number) || a - b);
      if (idx.length < cycle.cards) return 0;
      const take = cycle.cards;
      let fullyFree = 0;
      let leftPct = 0;
      for (let j = 0; j < take; j++) {
        const left = state.freeMilli[start + (idx[j] as number)] as number;
        if (left === CARD_MILLI) fullyFree++;
        leftPct += Math.trunc((left * 100) / CARD_MILLI);
      }
      if (fullyFree > 0) return Math.max(50 - fullyFree, 33);
      return Math.max(100 - Math.trunc(leftPct / 10), 50);
    },
  };
  return plugin;
};
