import { onlyArgs } from '../framework/args.js';
import { CARD_MILLI } from '../framework/cluster-state.js';
import { pickTightestDevices, pickWholeDevices, reserveOn } from '../framework/devices.js';
import type { PluginFactory, ReservePlugin } from '../framework/plugin.js';

export const NAME = 'best-device';

/**
 * Device choice on the chosen node (open-gpu-share's `best`): a fractional job takes the card with the
 * least free share that still fits (lowest index on ties); whole cards take fully free devices, kept
 * inside one link domain when possible.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  const plugin: ReservePlugin = {
    name: NAME,
    reserve: (cycle, state, node, cards, txn) => {
      const devices = cards === 0 ? [] : cycle.milli >= CARD_MILLI ? pickWholeDevices(state, node, cards) : pickTightestDevices(state, node, cards, cycle.milli);
      if (!devices) return false;
      reserveOn(cycle, node, devices, cards, txn);
      return true;
    },
  };
  return plugin;
};
