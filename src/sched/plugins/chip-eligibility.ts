import { onlyArgs } from '../framework/args.js';
import type { PluginFactory, PreFilterPlugin } from '../framework/plugin.js';
import { FIT, unresolvable } from '../framework/status.js';

export const NAME = 'chip-eligibility';

/**
 * Narrows the chips a job accepts: pinned, an any-of list, any chip whose software stack the job has an
 * image for (needs the catalog; a chip the catalog does not know has no known stack), or any.
 * A job no chip of this fleet accepts is unresolvable: it is rejected with the reason.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: PreFilterPlugin = {
    name: NAME,
    preFilter: (cycle, state) => {
      const req = cycle.job.chips;
      if (req.kind === 'any') return FIT;
      let any = false;
      for (let c = 0; c < state.chips.length; c++) {
        const chip = state.chips[c] as string;
        let ok: boolean;
        if (req.kind === 'pinned') ok = chip === req.chip;
        else if (req.kind === 'any-of') ok = req.chips.includes(chip);
        else {
          const spec = cycle.ctx.catalog?.find(chip);
          ok = spec !== undefined && req.stacks.includes(spec.software.stack);
        }
        cycle.chipOk[c] = ok ? 1 : 0;
        any ||= ok;
      }
      if (any) return FIT;
      if (req.kind === 'pinned') return unresolvable(`no node of chip ${req.chip} in this fleet`);
      if (req.kind === 'any-of') return unresolvable(`no node of any accepted chip (${req.chips.join(', ')}) in this fleet`);
      return unresolvable(cycle.ctx.catalog ? `no chip in this fleet runs the stacks ${req.stacks.join(', ')}` : 'an any-stack request needs the chip catalog, and none was given');
    },
  };
  return plugin;
};
