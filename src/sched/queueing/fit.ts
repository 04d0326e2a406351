import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle } from '../framework/plugin.js';

/**
 * Feasibility as the placement filters see it (node up, accepted chip, host CPU and memory, enough
 * devices with the share free), without scoring: used to check that a preemption or a reservation
 * actually lets the job start. A gang needs one chip type inside one cluster, as `gang-topology` places it.
 */
export function fitsOnNode(state: ClusterState, cycle: Cycle, node: number, partial = false): boolean {
  if (!state.schedulable[node] || !cycle.chipOk[state.chipOf[node] as number]) return false;
  const share = partial ? 1 / Math.max(1, cycle.cards) : 1;
  if ((state.cpuFree[node] as number) < cycle.cpuMilli * share || (state.memFree[node] as number) < cycle.memoryMiB * share) return false;
  return state.devicesWithAtLeast(node, cycle.milli) >= (partial ? 1 : cycle.cards);
}

/** Cards of the job's share a node could give a gang (0 when the node is out). */
export function usableForGang(state: ClusterState, cycle: Cycle, node: number): number {
  return fitsOnNode(state, cycle, node, true) ? state.devicesWithAtLeast(node, cycle.milli) : 0;
}

/** Some node of chip index `chip` (which the job accepts) holds the whole (non-gang) job. */
export function anyNodeFitsOnChip(state: ClusterState, cycle: Cycle, chip: number): boolean {
  if (!cycle.chipOk[chip]) return false;
  for (const node of state.nodesByChip[chip] as Int32Array) if (fitsOnNode(state, cycle, node)) return true;
  return false;
}

/**
 * Usable gang cards per (chip, cluster), kept up to date node by node, so that "does the gang fit
 * now?" costs the number of domains, not the number of nodes.
 */
export class GangMeter {
  private readonly perNode: Int32Array;
  private readonly sums = new Map<number, number>();
  constructor(
    private readonly state: ClusterState,
    private readonly cycle: Cycle,
  ) {
    this.perNode = new Int32Array(state.nodeCount);
    for (let n = 0; n < state.nodeCount; n++) this.update(n);
  }

  key(node: number): number {
    return (this.state.chipOf[node] as number) * 1_000_003 + (this.state.clusterOf[node] as number);
  }

  chipOfKey(key: number): number {
    return Math.floor(key / 1_000_003);
  }

  update(node: number): void {
    const now = usableForGang(this.state, this.cycle, node);
    const before = this.perNode[node] as number;
    if (now === before) return;
    this.perNode[node] = now;
    const k = this.key(node);
    this.sums.set(k, (this.sums.get(k) ?? 0) + now - before);
  }

  /** A domain key with enough usable cards (of chip index `chip` when given), or null. */
  fittingDomain(chip = -1): number | null {
    for (const [k, v] of this.sums) if (v >= this.cycle.cards && (chip < 0 || this.chipOfKey(k) === chip)) return k;
    return null;
  }

  usable(node: number): number {
    return this.perNode[node] as number;
  }
}

export function gangFits(state: ClusterState, cycle: Cycle): boolean {
  return new GangMeter(state, cycle).fittingDomain() !== null;
}
