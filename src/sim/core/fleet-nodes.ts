/** A fleet as the scheduler sees it at the start of a simulation: every card free, every node up. */
import type { Fleet } from '../../fleet/index.js';
import type { SchedNode } from '../../sched/types.js';

export function fleetToNodes(fleet: Fleet): SchedNode[] {
  return fleet.nodes.map((n) => ({
    id: n.id,
    chip: n.chip,
    cluster: n.cluster,
    rack: n.rack,
    linkDomainSize: n.linkDomainSize,
    cards: n.cards,
    freeMilli: new Array<number>(n.cards).fill(1000),
    ...(n.cpuMilli !== null ? { cpuMilliFree: n.cpuMilli } : {}),
    ...(n.memoryMiB !== null ? { memoryMiBFree: n.memoryMiB } : {}),
    schedulable: true,
  }));
}
