import type { Fleet } from '../fleet/types.js';
import { CARD_MILLI } from './framework/cluster-state.js';
import type { SchedNode } from './types.js';

/**
 * An empty fleet as scheduler nodes: every card free, CPU and memory where the fleet states them
 * (unknown stays unconstrained). Drivers subtract running work themselves.
 */
export function fleetToSchedNodes(fleet: Fleet): SchedNode[] {
  return fleet.nodes.map((n) => ({
    id: n.id,
    chip: n.chip,
    cluster: n.cluster,
    rack: n.rack,
    linkDomainSize: n.linkDomainSize,
    cards: n.cards,
    freeMilli: new Array<number>(n.cards).fill(CARD_MILLI),
    ...(n.cpuMilli !== null ? { cpuMilliFree: n.cpuMilli } : {}),
    ...(n.memoryMiB !== null ? { memoryMiBFree: n.memoryMiB } : {}),
    schedulable: true,
  }));
}
