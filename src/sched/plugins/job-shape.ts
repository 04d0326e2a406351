import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import type { PluginFactory, PreFilterPlugin } from '../framework/plugin.js';
import { FIT, unresolvable } from '../framework/status.js';

export const NAME = 'job-shape';

/** Rejects requests that are malformed, whatever the fleet: card counts, milli shares, CPU and memory. */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: PreFilterPlugin = {
    name: NAME,
    preFilter: (cycle) => {
      const { job } = cycle;
      if (!Number.isInteger(job.cards) || job.cards < 0) return unresolvable(`cards must be a non-negative integer, got ${job.cards}`);
      if (!Number.isInteger(job.milliPerCard) || job.milliPerCard < 0 || job.milliPerCard > CARD_MILLI) return unresolvable(`milliPerCard must be an integer in 0..1000, got ${job.milliPerCard}`);
      if (job.cards > 0 && job.milliPerCard === 0) return unresolvable('milliPerCard must be at least 1 when cards > 0');
      if (job.gang && job.milliPerCard < CARD_MILLI && job.cards > 1) return unresolvable('a gang of fractional cards is not supported; use whole cards');
      if ((job.cpuMilli ?? 0) < 0 || (job.memoryMiB ?? 0) < 0) return unresolvable('cpuMilli and memoryMiB must not be negative');
      return FIT;
    },
  };
  return plugin;
};
