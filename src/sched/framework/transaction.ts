import type { Placement } from '../types.js';
import type { ClusterState } from './cluster-state.js';

interface Op {
  node: number;
  devices: number[];
  milli: number;
  cpuMilli: number;
  memoryMiB: number;
  tag: number;
}

/**
 * Tentative placements: every `reserve` changes the cluster state at once (so later plugins in the
 * same cycle see it) and is recorded; `rollback` undoes them in reverse order, `commit` keeps them.
 * This is how a gang reserves all of its cards or none.
 */
export class Transaction {
  private ops: Op[] = [];
  constructor(private readonly state: ClusterState) {}

  reserve(node: number, devices: number[], milli: number, cpuMilli: number, memoryMiB: number, tag: number): void {
    this.state.apply(node, devices, milli, cpuMilli, memoryMiB, tag, 1);
    this.ops.push({ node, devices, milli, cpuMilli, memoryMiB, tag });
  }

  get size(): number {
    return this.ops.length;
  }

  /** The reserved placements, in reservation order. */
  placements(): Placement[] {
    return this.ops.map((op) => ({ nodeId: this.state.nodeIds[op.node] as string, devices: op.devices, milliPerDevice: op.milli }));
  }

  rollback(): void {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i] as Op;
      this.state.apply(op.node, op.devices, op.milli, op.cpuMilli, op.memoryMiB, op.tag, -1);
    }
    this.ops = [];
  }

  commit(): void {
    this.ops = [];
  }
}
