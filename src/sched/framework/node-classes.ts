import type { ClusterState } from './cluster-state.js';

interface NodeClass {
  sig: string;
  chip: number;
  /** Member nodes sorted by rank, so the first is the one a tie-break would pick. */
  members: number[];
}

/**
 * Groups nodes that placement plugins cannot tell apart (same `ClusterState.signature`), so that a
 * cycle filters and scores one representative per group (its lowest-rank member) instead of every node:
 * on a fleet of identical servers that turns 1747 evaluations into a few dozen, with the same result,
 * because equal nodes score equally and the tie-break takes the lowest rank anyway.
 * Kept in step with the state through `ClusterState.takeDirty()`.
 */
export class NodeClasses {
  private readonly classes: NodeClass[] = [];
  private readonly bySig = new Map<string, number>();
  private readonly classOf: Int32Array;
  /** Class ids per chip, append-only between compactions. */
  private byChip: number[][];
  /** Classes that are empty now; their ids stay reusable for the same signature until compaction. */
  private empty = 0;

  constructor(private readonly state: ClusterState) {
    this.classOf = new Int32Array(state.nodeCount).fill(-1);
    this.byChip = state.chips.map(() => []);
    const order = Array.from({ length: state.nodeCount }, (_, i) => i).sort((a, b) => (state.rank[a] as number) - (state.rank[b] as number));
    for (const node of order) this.add(node, state.signature(node), false);
    state.takeDirty();
  }

  /** Moves changed nodes to their new classes; call before each cycle. */
  refresh(): void {
    for (const node of this.state.takeDirty()) {
      const sig = this.state.signature(node);
      const current = this.classes[this.classOf[node] as number];
      if (current && current.sig === sig) continue;
      if (current) {
        const i = this.indexOf(current.members, node);
        current.members.splice(i, 1);
        if (current.members.length === 0) this.empty++;
      }
      this.add(node, sig, true);
    }
    if (this.empty > 64 && this.empty > this.bySig.size - this.empty) this.compact();
  }

  /** Class ids of one chip (some may be empty). */
  ofChip(chip: number): readonly number[] {
    return this.byChip[chip] ?? [];
  }

  members(cls: number): readonly number[] {
    return (this.classes[cls] as NodeClass).members;
  }

  private add(node: number, sig: string, sorted: boolean): void {
    let id = this.bySig.get(sig);
    if (id === undefined) {
      id = this.classes.length;
      const chip = this.state.chipOf[node] as number;
      this.classes.push({ sig, chip, members: [] });
      this.bySig.set(sig, id);
      (this.byChip[chip] as number[]).push(id);
    }
    const members = (this.classes[id] as NodeClass).members;
    // An existing class with no members was counted as empty; it is live again.
    if (members.length === 0 && sorted) this.empty--;
    if (sorted) members.splice(this.insertAt(members, node), 0, node);
    else members.push(node);
    this.classOf[node] = id;
  }

  private insertAt(members: number[], node: number): number {
    const r = this.state.rank[node] as number;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.state.rank[members[mid] as number] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(members: number[], node: number): number {
    const i = this.insertAt(members, node);
    if (members[i] === node) return i;
    return members.indexOf(node);
  }

  /** Forgets empty classes (their signatures and list entries). */
  private compact(): void {
    this.byChip = this.byChip.map((ids) => ids.filter((id) => (this.classes[id] as NodeClass).members.length > 0));
    for (const [sig, id] of this.bySig) if ((this.classes[id] as NodeClass).members.length === 0) this.bySig.delete(sig);
    this.empty = 0;
  }
}
