import { affinityTag, CARD_MILLI, type ClusterState } from '../framework/cluster-state.js';
import type { RunInfo } from './queue-book.js';

interface Op {
  node: number;
  devices: number[];
  milli: number;
  tag: number;
  sign: 1 | -1;
}

/**
 * What-if changes to the cluster state, undone in reverse order: releasing running jobs (to see whether
 * a preemptor would fit without them, or when a blocked job could start) and holding devices for a
 * backfill reservation. The framework's `Transaction` only reserves; this adds the release side and goes
 * through the same `ClusterState.apply`, so every derived counter stays in step. Host CPU and memory of
 * running jobs are not in `Running`, so a release frees cards only (a conservative what-if).
 */
export class Trial {
  private ops: Op[] = [];
  constructor(private readonly state: ClusterState) {}

  /** Frees every placement of a running job (all of a gang's nodes at once). Returns the nodes touched. */
  release(info: RunInfo): number[] {
    return this.applyRun(info, -1);
  }

  /** Takes a released job's cards back (e.g. when the minimisation pass spares a victim). */
  restore(info: RunInfo): number[] {
    return this.applyRun(info, 1);
  }

  /** Takes `milli` on each device (a backfill hold). */
  take(node: number, devices: number[], milli: number): void {
    this.op({ node, devices, milli, tag: affinityTag(devices.length, milli), sign: 1 });
  }

  get size(): number {
    return this.ops.length;
  }

  undo(): void {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i] as Op;
      this.state.apply(op.node, op.devices, op.milli, 0, 0, op.tag, op.sign === 1 ? -1 : 1);
    }
    this.ops = [];
  }

  private applyRun(info: RunInfo, sign: 1 | -1): number[] {
    const nodes: number[] = [];
    for (const run of info.runs) {
      // The same tag the cluster state counted for this entry when it was built, so counts stay exact.
      const tag = affinityTag(run.placements.reduce((n, p) => n + p.devices.length, 0), run.placements[0]?.milliPerDevice ?? CARD_MILLI);
      for (const p of run.placements) {
        const node = this.state.nodeIndex.get(p.nodeId);
        if (node === undefined || p.devices.length === 0) continue;
        this.op({ node, devices: p.devices, milli: p.milliPerDevice, tag, sign });
        nodes.push(node);
      }
    }
    return nodes;
  }

  private op(op: Op): void {
    this.state.apply(op.node, op.devices, op.milli, 0, 0, op.tag, op.sign);
    this.ops.push(op);
  }
}
