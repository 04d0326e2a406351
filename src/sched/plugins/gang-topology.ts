import { onlyArgs } from '../framework/args.js';
import type { GangPlugin, PluginFactory } from '../framework/plugin.js';
import { FIT, unschedulable } from '../framework/status.js';

export const NAME = 'gang-topology';

/**
 * Places a gang that no single node holds, all or nothing, on one chip type and as close together as
 * possible: inside one rack when a rack has enough free cards (the rack that fits most tightly, so that
 * emptier racks stay whole for larger gangs), else inside one cluster; never across clusters, which
 * share no fast network. Inside the domain it takes the nodes with the most free cards first (fewest
 * nodes, so the fewest cross-node hops), and the last chunk on the node that fits it most tightly.
 * Bandwidth tiers, best first: one link domain > one node > one rack > one cluster.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, []);
  let rackSum = new Float64Array(0);
  let clusterSum = new Float64Array(0);
  const plugin: GangPlugin = {
    name: NAME,
    placeGang: (cycle, state, feasible, count, txn, reserve) => {
      const usable = (node: number): number => state.devicesWithAtLeast(node, cycle.milli);
      const chips = state.chips.length;
      // Free cards per (chip, rack) and (chip, cluster), in reused typed arrays: numeric keys, no strings.
      if (rackSum.length < chips * state.racks.length) rackSum = new Float64Array(chips * state.racks.length);
      if (clusterSum.length < chips * state.clusters.length) clusterSum = new Float64Array(chips * state.clusters.length);
      rackSum.fill(0);
      clusterSum.fill(0);
      const rackKey = (node: number): number => (state.rackOf[node] as number) * chips + (state.chipOf[node] as number);
      const clusterKey = (node: number): number => (state.clusterOf[node] as number) * chips + (state.chipOf[node] as number);
      for (let i = 0; i < count; i++) {
        const node = feasible[i] as number;
        const u = usable(node);
        rackSum[rackKey(node)] = (rackSum[rackKey(node)] as number) + u;
        clusterSum[clusterKey(node)] = (clusterSum[clusterKey(node)] as number) + u;
      }
      const tightest = (sums: Float64Array): number => {
        let best = -1;
        let bestFree = Infinity;
        for (let k = 0; k < sums.length; k++) {
          const free = sums[k] as number;
          if (free >= cycle.cards && free < bestFree) [best, bestFree] = [k, free];
        }
        return best;
      };
      let level: 'rack' | 'cluster' = 'rack';
      let domain = tightest(rackSum);
      if (domain < 0) {
        level = 'cluster';
        domain = tightest(clusterSum);
      }
      if (domain < 0) return unschedulable(`no cluster has ${cycle.cards} free cards of one accepted chip`);
      const members: number[] = [];
      for (let i = 0; i < count; i++) {
        const node = feasible[i] as number;
        if ((level === 'rack' ? rackKey(node) : clusterKey(node)) === domain) members.push(node);
      }
      members.sort((a, b) => usable(b) - usable(a) || (state.rank[a] as number) - (state.rank[b] as number));
      let remaining = cycle.cards;
      while (remaining > 0 && members.length > 0) {
        // The last chunk goes to the node that fits it most tightly; earlier chunks to the emptiest nodes.
        let pick = 0;
        if ((usable(members[0] as number) ?? 0) >= remaining) {
          for (let j = members.length - 1; j >= 0; j--) {
            if (usable(members[j] as number) >= remaining) {
              pick = j;
              break;
            }
          }
        }
        const node = members.splice(pick, 1)[0] as number;
        const take = Math.min(remaining, usable(node));
        if (take <= 0) continue;
        if (!reserve.reserve(cycle, state, node, take, txn)) return unschedulable(`could not reserve ${take} cards on ${state.nodeIds[node]}`);
        remaining -= take;
      }
      return remaining === 0 ? FIT : unschedulable(`only ${cycle.cards - remaining} of ${cycle.cards} cards could be reserved`);
    },
  };
  return plugin;
};
