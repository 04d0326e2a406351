import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import { pickTightestDevices, pickWholeDevices, reserveOn } from '../framework/devices.js';
import type { PluginFactory, ReservePlugin } from '../framework/plugin.js';
import { randomInt } from '../../lib/rng.js';

export const NAME = 'random-device';

/**
 * open-gpu-share's `random`: a fractional job takes a uniformly random card among those with enough
 * free share (reservoir sampling in index order); whole cards follow the exclusive rule.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: ReservePlugin = {
    name: NAME,
    reserve: (cycle, state, node, cards, txn) => {
      let devices: number[] | null;
      if (cards === 0) devices = [];
      else if (cycle.milli >= CARD_MILLI) devices = pickWholeDevices(state, node, cards);
      else if (cards > 1) devices = pickTightestDevices(state, node, cards, cycle.milli);
      else {
        let chosen = -1;
        let seen = 0;
        for (let i = 0; i < (state.cardsOf[node] as number); i++) {
          if (state.free(node, i) < cycle.milli) continue;
          seen++;
          if (randomInt(cycle.ctx.rng, seen) === 0) chosen = i;
        }
        devices = chosen >= 0 ? [chosen] : null;
      }
      if (!devices) return false;
      reserveOn(cycle, node, devices, cards, txn);
      return true;
    },
  };
  return plugin;
};
